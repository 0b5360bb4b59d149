from django.contrib import admin

from sora_products.admin import VideoProductAdminMixin

from .models import Product


@admin.register(Product)
class ProductAdmin(VideoProductAdminMixin, admin.ModelAdmin):
    list_display = ["name", "category", "colour", "price"]
    list_filter = ["category"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
