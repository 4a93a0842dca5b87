"""bluehelmet: the fact base for UN peacekeeping."""

__version__ = "0.1.0"
