"""canales: a static-site generator for help desks."""

__version__ = "0.1.0"
