"""The package version, on the ground floor: the builder stamps it into every database and
the web reports it, and neither should import the package root to learn it."""

__all__ = ["__version__"]

__version__ = "0.1.0"
