"""Production settings, loaded in a fresh interpreter with a production environment: Django's
deployment checks pass without a warning, the key is compulsory, and a real response carries
the security headers and cookie flags. (The test run itself uses SOLIEU_HTTPS=0.)"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HOST = "solieu.example.gov.vn"


def production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOLIEU_", "DJANGO_"))}
    env.update({
        "DATABASE_URL": "postgres://solieu:mat-khau@127.0.0.1:5432/solieu",
        "SOLIEU_SECRET_KEY": secrets.token_urlsafe(48),
        "SOLIEU_HTTPS": "1",
        "SOLIEU_ALLOWED_HOSTS": HOST,
        "SOLIEU_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "solieu.settings",
    })
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_key_is_64_characters(tmp_path):
    assert len(production_env(tmp_path)["SOLIEU_SECRET_KEY"]) == 64


def test_check_deploy_is_clean(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output and "WARNING" not in output


def test_debug_is_off_unless_asked(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    assert run(["-c", code], production_env(tmp_path)).stdout.strip() == "False"


def test_settings_refuse_to_load_without_a_key(tmp_path):
    result = run(["-c", "import solieu.settings"], production_env(tmp_path, SOLIEU_SECRET_KEY=None))
    assert result.returncode != 0
    assert "SOLIEU_SECRET_KEY phải được đặt khi chạy production." in result.stderr
    assert not (tmp_path / "secret_key").exists()


PROBE = f"""
import json, django
django.setup()
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
with connection.schema_editor() as editor:
    editor.create_model(Session)
client = Client(HTTP_HOST="{HOST}")
session = client.session
session["probe"] = 1
session.save()
client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
response = client.get("/dang-nhap/", secure=True)
plain = Client(HTTP_HOST="{HOST}").get("/dang-nhap/")
print(json.dumps({{
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": {{name: {{"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}}
                for name, m in response.cookies.items()}},
    "plain": [plain.status_code, plain.get("Location")],
}}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    # collectstatic has not run here: plain static names
    env = production_env(tmp, DATABASE_URL=f"sqlite:///{tmp / 'probe.sqlite3'}", SOLIEU_STATIC_MANIFEST="0")
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected(probe):
    assert probe["plain"] == [301, f"https://{HOST}/dang-nhap/"]


def test_security_headers(probe):
    assert probe["status"] == 200
    headers = {k.lower(): v for k, v in probe["headers"].items()}
    csp = headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "no-store" in headers["cache-control"]  # the login page is never cached


@pytest.mark.parametrize("name", ["sessionid", "csrftoken"])
def test_cookies_are_secure_httponly_samesite(probe, name):
    assert probe["cookies"][name] == {"secure": True, "httponly": True, "samesite": "Lax"}
