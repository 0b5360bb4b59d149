"""Product videos for Django shops: register a product model, get showcase and try-on clips."""

__version__ = "0.1.0"

__all__ = ["ProductAdapter", "FieldAdapter", "RegistrationError", "register", "unregister", "get_adapter"]


def __getattr__(name: str):
    """Import the public names lazily so packaging can read __version__ without Django."""
    if name in __all__:
        from sora_products import catalog

        return getattr(catalog, name)
    raise AttributeError(name)
