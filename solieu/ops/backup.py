"""Backups of the whole database as one checkable archive (`solieu backup`, `solieu restore`).

An archive is a tar file holding manifest.json and the dump:

* SQLite: ``db.sqlite3.gz``, an online copy made with sqlite3's backup API (consistent while
  the server writes), gzip-compressed.
* PostgreSQL: ``db.dump``, pg_dump's custom format, taken in the very snapshot the checksums
  were computed in, so the manifest describes exactly what the dump holds.

The manifest records the engine, the time, the solieu version, the applied migrations, the
dump's SHA-256, and per table the row count and a SHA-256 over its rows in primary-key order.
A restore compares the restored database with it: proof, not hope, that every figure came back.
Nothing is changed before the archive has been read and checked in full.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader

FORMAT = "solieu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "db.sqlite3.gz", "postgresql": "db.dump"}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal with a Vietnamese message; the database was not changed."""


def _noop(*args):
    pass


# ---------------------------------------------------------------------------------------------
# Checksums of every table
# ---------------------------------------------------------------------------------------------


def _q(name):
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor):
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(r[0] for r in cursor.fetchall())


def _primary_key(cursor, vendor, table):
    if vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({_q(table)})")
        return [r[1] for r in sorted((r for r in cursor.fetchall() if r[5]), key=lambda r: r[5])]
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey::int2[]) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)", [_q(table)])
    return [r[0] for r in cursor.fetchall()]


def _rows_sqlite(cursor, table, key):
    """Rows as SQL literals made by SQLite itself (quote()), untouched by Django's type converters."""
    cursor.execute(f"PRAGMA table_info({_q(table)})")
    row = " || ',' || ".join(f"quote({_q(r[1])})" for r in cursor.fetchall())
    order = ", ".join(_q(c) for c in key)
    cursor.execute(f"SELECT {row} FROM {_q(table)}" + (f" ORDER BY {order}" if order else ""))
    rows = (r[0] for r in cursor)
    return rows if key else iter(sorted(rows))


def _rows_postgresql(cursor, table, key):
    """Rows as PostgreSQL prints them (exact numerics), read through a cursor in batches."""
    order = ", ".join(_q(c) for c in key) if key else "1"
    cursor.execute(f"DECLARE solieu_rows NO SCROLL CURSOR FOR SELECT t::text FROM {_q(table)} t ORDER BY {order}")
    try:
        while True:
            cursor.execute("FETCH 5000 FROM solieu_rows")
            batch = cursor.fetchall()
            if not batch:
                break
            for (text,) in batch:
                yield text
    finally:
        cursor.execute("CLOSE solieu_rows")


def table_digests(cursor, vendor, progress=_noop):
    """{table: {"rows": n, "sha256": hex}} for every table of the database."""
    tables = _tables(cursor, vendor)
    result = {}
    for n, table in enumerate(tables, 1):
        progress(n, len(tables), table)
        key = _primary_key(cursor, vendor, table)
        digest, count = hashlib.sha256(), 0
        for text in (_rows_sqlite if vendor == "sqlite" else _rows_postgresql)(cursor, table, key):
            digest.update(text.encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
            count += 1
        result[table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def _applied_migrations(cursor):
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _pg_session(cursor):
    """Settings that make the text of rows the same in every session."""
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute("SET DateStyle = 'ISO, YMD'")
    cursor.execute("SET IntervalStyle = 'postgres'")
    cursor.execute("SET extra_float_digits = 3")
    cursor.execute("SET bytea_output = 'hex'")


def live_digests(progress=_noop):
    """Checksums of the configured database as it is now (in one snapshot on PostgreSQL)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return table_digests(connection.connection.cursor(), "sqlite", progress)
    raw = _pg_connect()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        _pg_session(cursor)
        digests = table_digests(cursor, "postgresql", progress)
        cursor.execute("COMMIT")
        return digests
    finally:
        raw.close()


# ---------------------------------------------------------------------------------------------
# Making an archive
# ---------------------------------------------------------------------------------------------


def _version():
    try:
        return metadata.version("solieu")
    except metadata.PackageNotFoundError:
        return "không rõ"


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_connect():
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    return raw


def pg_env():
    """libpq's environment for pg_dump and pg_restore: the password never goes on a command line."""
    s = connection.settings_dict
    env = dict(os.environ)
    for var, value in (("PGHOST", s.get("HOST")), ("PGPORT", s.get("PORT")), ("PGUSER", s.get("USER")),
                       ("PGPASSWORD", s.get("PASSWORD")), ("PGDATABASE", s.get("NAME")),
                       ("PGSSLMODE", (s.get("OPTIONS") or {}).get("sslmode"))):
        if value:
            env[var] = str(value)
    return env


def pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Không tìm thấy lệnh {name}: hãy cài gói postgresql-client cùng phiên bản với máy chủ "
                          "PostgreSQL.")
    return path


def _dump_sqlite(workdir, progress):
    copy = workdir / "snapshot.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        progress(0, 1, "sao chép cơ sở dữ liệu")
        connection.connection.backup(target)
        cursor = target.cursor()
        digests = table_digests(cursor, "sqlite", progress)
        migrations = _applied_migrations(cursor)
    finally:
        target.close()
    dump = workdir / DUMP_NAMES["sqlite"]
    with open(copy, "rb") as src, gzip.open(dump, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst, CHUNK)
    copy.unlink()
    return dump, digests, migrations


def _dump_postgresql(workdir, progress):
    dump = workdir / DUMP_NAMES["postgresql"]
    raw = _pg_connect()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        # pg_dump reads the same snapshot while the checksums are computed here.
        pg_dump = subprocess.Popen([pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}",
                                    f"--file={dump}"], env=pg_env(), stderr=subprocess.PIPE)
        try:
            _pg_session(cursor)
            digests = table_digests(cursor, "postgresql", progress)
            migrations = _applied_migrations(cursor)
        finally:
            _, err = pg_dump.communicate()
        cursor.execute("COMMIT")
    finally:
        raw.close()
    if pg_dump.returncode != 0:
        raise BackupError("pg_dump không thành công: " + err.decode(errors="replace").strip())
    return dump, digests, migrations


def create(path, progress=_noop):
    """Write the archive to `path` (via a temporary name, so a failed backup leaves no archive)."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="solieu-backup-", dir=path.parent) as tmp:
        workdir = Path(tmp)
        dump, digests, migrations = (_dump_sqlite if vendor == "sqlite" else _dump_postgresql)(workdir, progress)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "engine": vendor, "created_at": created,
            "solieu_version": _version(), "database": str(connection.settings_dict.get("NAME")),
            "migrations": migrations,
            "dump": {"name": dump.name, "size": dump.stat().st_size, "sha256": _sha256_file(dump)},
            "tables": digests,
        }
        part = workdir / "archive.tar"
        with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
        part.chmod(0o600)  # password hashes and sessions are in it
        os.replace(part, path)
    return manifest


# ---------------------------------------------------------------------------------------------
# Reading and checking an archive
# ---------------------------------------------------------------------------------------------


def _broken(path, why):
    return BackupError(f"Tệp {path} không phải bản sao lưu solieu hợp lệ hoặc đã bị hỏng ({why}). "
                       "Cơ sở dữ liệu không bị thay đổi.")


def read_manifest(path):
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read().decode())
    except KeyError:
        raise _broken(path, "thiếu manifest.json")
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise _broken(path, f"không đọc được: {exc}")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _broken(path, "manifest.json không đúng định dạng")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(f"Bản sao lưu {path} dùng định dạng mới hơn phiên bản solieu này; hãy nâng cấp solieu.")
    for key in ("engine", "created_at", "migrations", "dump", "tables"):
        if key not in manifest:
            raise _broken(path, f"manifest.json thiếu mục {key}")
    return manifest


def extract_dump(path, manifest, workdir):
    """The dump, copied out of the archive and checked against the manifest's SHA-256."""
    info = manifest["dump"]
    target = Path(workdir) / Path(info["name"]).name
    digest = hashlib.sha256()
    try:
        with tarfile.open(path, "r:") as tar:
            src = tar.extractfile(tar.getmember(info["name"]))
            with open(target, "wb") as dst:
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    dst.write(block)
    except KeyError:
        raise _broken(path, f"thiếu tệp {info['name']}")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise _broken(path, f"không đọc được {info['name']}: {exc}")
    if target.stat().st_size != info.get("size") or digest.hexdigest() != info.get("sha256"):
        raise _broken(path, f"{info['name']} không khớp tổng kiểm SHA-256 ghi trong manifest")
    return target


def compare(expected, actual):
    """Vietnamese descriptions of every table whose rows differ from the manifest."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            problems.append(f"bảng {table} không có trong bản sao lưu")
        elif got is None:
            problems.append(f"thiếu bảng {table}")
        elif want["rows"] != got["rows"]:
            problems.append(f"bảng {table}: {got['rows']} dòng, bản sao lưu có {want['rows']}")
        elif want["sha256"] != got["sha256"]:
            problems.append(f"bảng {table}: nội dung khác bản sao lưu (tổng kiểm SHA-256)")
    return problems


def _unpacked_sqlite(dump, workdir, path):
    db = Path(workdir) / "restore.sqlite3"
    try:
        with gzip.open(dump, "rb") as src, open(db, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        check = sqlite3.connect(db)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
    except (OSError, EOFError, sqlite3.DatabaseError) as exc:
        raise _broken(path, f"không giải nén hay mở được cơ sở dữ liệu: {exc}")
    if ok != "ok":
        raise _broken(path, f"cơ sở dữ liệu trong bản sao lưu không toàn vẹn: {ok}")
    return db


def _digests_of_file(db, progress):
    conn = sqlite3.connect(db)
    try:
        return table_digests(conn.cursor(), "sqlite", progress)
    finally:
        conn.close()


def verify(path, progress=_noop):
    """Check an archive without restoring it; returns its manifest, raises BackupError."""
    manifest = read_manifest(path)
    with tempfile.TemporaryDirectory(prefix="solieu-verify-") as tmp:
        dump = extract_dump(path, manifest, tmp)
        if manifest["engine"] == "sqlite":
            problems = compare(manifest["tables"], _digests_of_file(_unpacked_sqlite(dump, tmp, path), progress))
            if problems:
                raise _broken(path, "; ".join(problems))
        elif manifest["engine"] == "postgresql":
            listed = subprocess.run([pg_tool("pg_restore"), "--list", str(dump)], capture_output=True)
            if listed.returncode != 0:
                raise _broken(path, "pg_restore không đọc được tệp dump: "
                              + listed.stderr.decode(errors="replace").strip())
        else:
            raise _broken(path, f"loại cơ sở dữ liệu không rõ: {manifest['engine']}")
    return manifest


def newer_migrations(manifest):
    """Migrations applied in the backup that this version of solieu does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
                  if (app, name) not in known)


def older_schema(manifest):
    """Whether this version has migrations the backup lacks (then `solieu migrate` follows)."""
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    return bool(set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations) - applied)


# ---------------------------------------------------------------------------------------------
# Restoring
# ---------------------------------------------------------------------------------------------


def check_restorable(path, manifest):
    engine = manifest["engine"]
    if engine != connection.vendor:
        raise BackupError(
            f"Bản sao lưu {path} là của cơ sở dữ liệu {ENGINE_LABELS.get(engine, engine)}, còn hệ thống đang dùng "
            f"{ENGINE_LABELS.get(connection.vendor, connection.vendor)}: không khôi phục được. Cơ sở dữ liệu không "
            "bị thay đổi.")
    newer = newer_migrations(manifest)
    if newer:
        raise BackupError(
            f"Bản sao lưu {path} có cấu trúc dữ liệu mới hơn phiên bản solieu đang chạy "
            f"({manifest.get('solieu_version')}; migration chưa có: {', '.join(newer[:5])}"
            f"{'...' if len(newer) > 5 else ''}). Hãy cài phiên bản solieu mới hơn rồi khôi phục. "
            "Cơ sở dữ liệu không bị thay đổi.")


def restore(path, progress=_noop):
    """Replace the configured database by the archive's; returns (manifest, problems after restore).

    Everything that can be checked is checked before the database is touched; the replacement
    itself is one transaction (sqlite3 backup API; pg_restore's script run by psql --single-transaction).
    """
    manifest = read_manifest(path)
    check_restorable(path, manifest)
    with tempfile.TemporaryDirectory(prefix="solieu-restore-") as tmp:
        dump = extract_dump(path, manifest, tmp)
        if connection.vendor == "sqlite":
            db = _unpacked_sqlite(dump, tmp, path)
            problems = compare(manifest["tables"], _digests_of_file(db, progress))
            if problems:
                raise _broken(path, "; ".join(problems))
            _restore_sqlite(db, progress)
        else:
            _restore_postgresql(dump, path, manifest["tables"], progress)
    connection.close()
    return manifest, compare(manifest["tables"], live_digests(progress))


def _restore_sqlite(db, progress):
    progress(0, 1, "chép vào cơ sở dữ liệu")
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("Không khôi phục được khi đang trong một giao dịch.")
    source = sqlite3.connect(db)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"Không chép được bản sao lưu vào cơ sở dữ liệu ({exc}); cơ sở dữ liệu không bị thay "
                          "đổi. Hãy dừng máy chủ web và tác vụ nền rồi thử lại.")
    finally:
        source.close()


def _restore_postgresql(dump, path, manifest_tables, progress):
    progress(0, 1, "pg_restore")
    listed = subprocess.run([pg_tool("pg_restore"), "--list", str(dump)], capture_output=True)
    if listed.returncode != 0:
        raise _broken(path, "pg_restore không đọc được tệp dump: " + listed.stderr.decode(errors="replace").strip())
    # Tables the backup does not have (a later release's) go too, or the result would not be
    # the backup. One psql transaction: dropping them, then pg_restore's script; all or nothing.
    with connection.cursor() as cursor:
        extra = sorted(set(_tables(cursor, "postgresql")) - set(manifest_tables))
    connection.close()  # no idle session of ours holds a lock on a table being replaced
    drop = "".join(f"DROP TABLE IF EXISTS {_q(t)} CASCADE;" for t in extra) or "SELECT 1;"
    script = subprocess.Popen([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-", str(dump)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = subprocess.run([pg_tool("psql"), "--single-transaction", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                           f"--dbname={connection.settings_dict['NAME']}", "--command", drop, "--file=-"],
                          stdin=script.stdout, env=pg_env(), capture_output=True)
    script.stdout.close()
    script.wait()
    if done.returncode != 0 or script.returncode != 0:
        errors = (done.stderr + script.stderr.read()).decode(errors="replace").strip()
        raise BackupError("Khôi phục không thành công, cơ sở dữ liệu không bị thay đổi (khôi phục chạy trong một "
                          "giao dịch): " + errors[-2000:])
