"""Subcommands of the ``polkg`` command line, one module per area; each has ``register(app)``."""
