"""A shop's fork of Oscar's catalogue app, made the way ``oscar_fork_app`` makes one, with its own Product."""
