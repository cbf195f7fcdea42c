#!/usr/bin/env python
"""Django's command-line utility; `solieu` (solieu/cli.py) is the same thing once installed."""
from solieu.cli import main

if __name__ == "__main__":
    main()
