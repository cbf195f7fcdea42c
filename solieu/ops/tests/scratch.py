"""A real database shared with other processes, for tests that kill or race them.

The test database of pytest-django lives in one process (SQLite in memory) or inside a test
transaction; these tests need committed data that child processes see. So a scratch database
of the engine under test is made for a module: a SQLite file, or a PostgreSQL database next to
the test database (named after it, so that parallel runs of other helpers never meet it).
Children run `manage.py` with DATABASE_URL pointing at it; the test reads it with plain SQL.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
PASSWORD = "mat-khau-dai-123"


class Scratch:
    def __init__(self, tmp_path: Path, suffix: str):
        self.vendor = connection.vendor
        self.tmp = tmp_path
        if self.vendor == "sqlite":
            self.path = tmp_path / f"{suffix}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            self.name = f"{s['NAME']}_{suffix}"[:63]
            auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
            self.server = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
            self.url = f"{self.server}/{self.name}"

    # --- life cycle ---------------------------------------------------------------------

    def create(self):
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')
        self.manage("shell", "-c", (  # one process: each start of Django costs seconds
            "from django.core.management import call_command\n"
            "from django.contrib.auth import get_user_model\n"
            "from solieu.accounts.models import Membership, Role\n"
            "from solieu.catalog.loader import load_catalog\n"
            "call_command('migrate', interactive=False, verbosity=0)\n"
            "load_catalog()\n"
            f"u = get_user_model().objects.create_user('quantri', password='{PASSWORD}')\n"
            "Membership.objects.create(user=u, role=Role.ADMIN)\n"))
        return self

    def drop(self):
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    # --- children -----------------------------------------------------------------------

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SOLIEU_", "PYTEST", "DJANGO_"))}
        env.update(DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="solieu.settings", SOLIEU_SECRET_KEY="x" * 50,
                   SOLIEU_DATA_DIR=str(self.tmp), SOLIEU_HTTPS="0", SOLIEU_AXES="0", SOLIEU_DB_CONN_MAX_AGE="0",
                   PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def manage(self, *args, check=True, **kwargs):
        return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=self.env(),
                              capture_output=True, text=True, check=check, **kwargs)

    def popen(self, argv, **kwargs):
        return subprocess.Popen(argv, cwd=ROOT, env=self.env(), **kwargs)

    # --- reading ------------------------------------------------------------------------

    def query(self, sql, params=()):
        """Rows of a query, with %s placeholders on both engines."""
        if self.vendor == "sqlite":
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()
