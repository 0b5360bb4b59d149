"""The app's admin: the video list and pages, the costs page, and what a shop adds to its product admin.

A shop mixes ``VideoProductAdminMixin`` into its product ModelAdmin (or lists the
``generate_videos`` action itself); see the README's "Admin" section.
"""

from django.contrib import admin

from sora_products.admin.costs import CostsAdmin
from sora_products.admin.experiments import ExperimentAdmin
from sora_products.admin.product import ProductVideoInline, VideoProductAdminMixin, generate_videos
from sora_products.admin.video import ProductVideoAdmin
from sora_products.models import Experiment, ProductVideo, Spend

admin.site.register(ProductVideo, ProductVideoAdmin)
admin.site.register(Spend, CostsAdmin)
admin.site.register(Experiment, ExperimentAdmin)

__all__ = [
    "CostsAdmin",
    "ExperimentAdmin",
    "ProductVideoAdmin",
    "ProductVideoInline",
    "VideoProductAdminMixin",
    "generate_videos",
]
