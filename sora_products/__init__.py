"""Product videos for Django shops: register a product model, get showcase and try-on clips."""

__version__ = "0.1.0"

__all__ = [
    "FieldAdapter",
    "ProductAdapter",
    "RegistrationError",
    "RelatedImageAdapter",
    "get_adapter",
    "is_registered",
    "register",
    "unregister",
]


def __getattr__(name: str):
    """Import the public names lazily so packaging can read __version__ without Django."""
    if name in __all__:
        from sora_products import catalog

        return getattr(catalog, name)
    raise AttributeError(name)
