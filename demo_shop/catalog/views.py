from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

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
