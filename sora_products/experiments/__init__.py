"""A/B experiments on the storefront: does a video sell? ``stats`` is the always-valid arithmetic (no Django)."""
