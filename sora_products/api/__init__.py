"""The storefront's JSON API (Django REST framework): try-on asks, video status, shop tooling."""
