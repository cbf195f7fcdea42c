"""National-scale benchmark: a deterministic dataset (generate), measurements (bulk_import,
consolidation, rush) and the command that runs them all (run). See bench/README.md."""

import os
import sys


def setup_django(database_url=None):
    """Configure Django for a bench command; `database_url` wins over the environment.

    Called once per process before any model import. Benchmarks are not served over HTTPS
    and need no fixed secret key, so both are relaxed here as in the test suite."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solieu.settings")
    os.environ.setdefault("SOLIEU_ALLOW_GENERATED_KEY", "1")
    os.environ.setdefault("SOLIEU_HTTPS", "0")
    import django

    django.setup()


def progress_line(label, done, total=None):
    """One rewritten line on stderr: long operations show how far they are."""
    if total:
        text = f"\r{label}: {done:,}/{total:,} ({100 * done / total:.0f}%)".replace(",", ".")
    else:
        text = f"\r{label}: {done:,}".replace(",", ".")
    sys.stderr.write(text + "   ")
    sys.stderr.flush()


def progress_done():
    sys.stderr.write("\n")
    sys.stderr.flush()
