"""The `solieu` command: Django's manage.py under the project's name.

`solieu load_catalog`, `solieu load_demo`, `solieu runserver` ... all Django and project
management commands are available.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solieu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
