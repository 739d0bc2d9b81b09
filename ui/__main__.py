"""``python -m ui``: the ``govreports`` command."""

from ui.cli import main

main()
