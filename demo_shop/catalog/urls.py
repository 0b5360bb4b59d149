from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("products/<slug:slug>/", views.product_detail, name="product"),
    path("products/<slug:slug>/bag/", views.add_to_bag, name="add-to-bag"),
]
