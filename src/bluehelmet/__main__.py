"""``python -m bluehelmet``: the same as the ``bluehelmet`` command."""

from .cli import main

main()
