"""A database that stops answering mid-request gives a clean 503 and stores nothing.

In process, the connection is made to fail at chosen moments (after the session was read, or
at the first write) on a page, an htmx cell save and API imports. Then a real refusal: a
gunicorn process whose database is a closed port (PostgreSQL) or a file it cannot open (SQLite).
"""

import json
import logging
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from solieu.accounts.models import Role
from solieu.api.tests import session_client
from solieu.collection.models import DataValue, DataValueAudit, Submission
from solieu.collection.tests.conftest import entry_url, make_user, open_month
from solieu.ops.middleware import MESSAGE

from .scratch import ROOT, Scratch

pytestmark = pytest.mark.usefixtures("catalog")

SHORT = "Hệ thống tạm thời không kết nối được cơ sở dữ liệu"
CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK")


class Refusal:
    """An execute wrapper: the database "goes away" once `when` says so, and stays away."""

    def __init__(self, when):
        self.when = when
        self.session_read = False
        self.down = False
        self.refused = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(CONTROL):
            return execute(sql, params, many, context)
        if not self.down and self.when(self, sql):
            self.down = True
        if self.down:
            self.refused += 1
            raise OperationalError("server closed the connection unexpectedly")
        if "django_session" in sql:
            self.session_read = True
        return execute(sql, params, many, context)


def after_session(state, sql):
    return state.session_read


def at_first_write(state, sql):
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))


def stored():
    return DataValue.objects.count(), DataValueAudit.objects.count(), Submission.objects.count()


def assert_503(response, *, api=False):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    if api:
        assert response.json() == {"detail": MESSAGE}
    else:
        assert SHORT in response.content.decode()


@pytest.fixture
def reporter(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_user("nhap01", (Role.REPORTER, "SKHCN-01"))


@pytest.mark.parametrize("when", [after_session, at_first_write])
def test_page(client, reporter, when):
    client.force_login(reporter)
    refusal = Refusal(when)
    with connection.execute_wrapper(refusal):
        response = client.get(entry_url(open_month(timezone.localdate())))
    assert refusal.refused  # opening the grid stores its period: that write fails too
    assert_503(response)


@pytest.mark.parametrize("when", [after_session, at_first_write])
def test_htmx_cell_save(client, reporter, when, caplog):
    client.force_login(reporter)
    month = open_month(timezone.localdate())
    before = stored()
    with connection.execute_wrapper(Refusal(when)):
        response = client.post(entry_url(month, action="o-so-lieu"), {"row": "1", "value": "1.234", "revision": "0"},
                               HTTP_HX_REQUEST="true")
    assert_503(response)
    assert stored() == before
    assert not response.cookies.get("sessionid")  # the session was not saved either
    assert [r for r in caplog.records if r.name == "solieu.ops" and r.levelno == logging.ERROR]


@pytest.mark.parametrize("when", [after_session, at_first_write])
@pytest.mark.parametrize("url", ["/api/dataValueSets", "/api/data/values"])
def test_api_import(db, settings, when, url):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = session_client("quan-tri", Role.ADMIN)
    month = open_month(timezone.localdate()).code
    if "dataValueSets" in url:
        body = {"dataSet": "BC-SO-THANG", "period": month, "orgUnit": "SKHCN-01",
                "dataValues": [{"dataElement": "OVERVIEW_POPULATION", "value": "8500000"},
                               {"dataElement": "OVERVIEW_COMMUNES", "value": "126"}]}
    else:
        body = [{"indicator": "OVERVIEW_POPULATION", "unit": "SKHCN-01", "period": month, "value": 8500000}]
    before = stored()
    with connection.execute_wrapper(Refusal(when)):
        response = client.post(url, json.dumps(body), content_type="application/json")
    assert_503(response, api=True)
    assert stored() == before


def test_ninja_handles_it_with_debug_on_too(db, settings):
    """With DEBUG django-ninja would answer a traceback itself; its handler answers the same 503."""
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = session_client("quan-tri", Role.ADMIN)
    with connection.execute_wrapper(Refusal(after_session)):
        response = client.get("/api/data/values")
    assert_503(response, api=True)


# ---------------------------------------------------------------------------------------------
# A real refusal
# ---------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


@pytest.fixture
def refused_server(tmp_path):
    """gunicorn whose database refuses every connection."""
    db = Scratch(tmp_path, "refused")
    if db.vendor == "sqlite":
        url = f"sqlite:///{tmp_path}/khong-co/thu-muc/db.sqlite3"  # a directory that does not exist
    else:
        url = db.server.rsplit(":", 1)[0] + f":{free_port()}/solieu"
    port = free_port()
    env = db.env(DATABASE_URL=url)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "solieu.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = []
    threading.Thread(target=lambda: errors.append(server.stderr.read()), daemon=True).start()
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn không khởi động được"
            threading.Event().wait(0.2)
    yield f"http://127.0.0.1:{port}", errors
    server.terminate()
    server.wait()


def test_a_real_refusal_gives_503_pages_and_api(refused_server):
    base, errors = refused_server
    cookie = "sessionid=" + "a" * 32
    for page in ("/cong-viec/", "/dang-nhap/"):  # the view reads the session; only the middleware does
        status, headers, body = get(base + page, Cookie=cookie)
        assert status == 503 and SHORT in body and int(headers["Retry-After"]) > 0, (page, status)
    for who in ({"Authorization": "Bearer sl_abc_def"}, {"Cookie": cookie}):  # a key, a session
        status, headers, body = get(base + "/api/data/values", **who)
        assert status == 503 and json.loads(body) == {"detail": MESSAGE}, who
    status, _, _ = get(base + "/suc-khoe/")
    assert status == 503  # the health check says so too
