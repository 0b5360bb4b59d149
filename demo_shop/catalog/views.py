from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from sora_products.experiments import record_conversion
from sora_products.storefront import attach_videos

from .models import Category, Product


def product_list(request: HttpRequest) -> HttpResponse:
    products = Product.objects.all()
    category = request.GET.get("category", "")
    if category in Category.values:
        products = products.filter(category=category)
    return render(
        request,
        "catalog/product_list.html",
        # One query for every card's video instead of one per card.
        {"products": attach_videos(products), "categories": Category.choices, "current_category": category},
    )


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    return render(request, "catalog/product_detail.html", {"product": product})


def add_to_bag(request: HttpRequest, slug: str) -> HttpResponse:
    """The demo has no checkout: "Add to bag" only counts as an add-to-basket for the shop's experiments."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    product = get_object_or_404(Product, slug=slug)
    record_conversion(request, "add_to_basket", product)
    messages.success(request, _("Added to your bag. This is a demo shop, so nothing can be bought."))
    return HttpResponseRedirect(product.get_absolute_url())
