"""The deadline-rush load client: N reporters on loopback, each doing what a browser does.

Runs as its own process (`python -m bench.rush_client PLAN OUT`) so that its CPU time and
memory are measured apart from the server and from the orchestrator (bench/rush.py), and so
that it imports no Django: it only speaks HTTP, like a browser, with asyncio and aiohttp.

Each reporter, after a seeded start delay within the ramp:
  GET /dang-nhap/, POST the credentials with the CSRF token (or, with a session made by the
  bench's prepare step, nothing: logged in earlier in the day); GET "Công việc của tôi";
  GET the entry grid and the static files it links (first visit, nothing cached);
  POST every cell one by one as the grid's htmx does (X-CSRFToken and HX-* headers, row,
  option, revision read from the grid, value in Vietnamese format, comment, value status),
  with a seeded think time between cells; then POST "Gửi báo cáo" and GET the redirect.

Every request is bounded: a per-request timeout, and the whole run stops at `deadline`
seconds (reporters still busy are cancelled and counted as unfinished).
"""

import asyncio
import json
import random
import re
import sys
import time

import aiohttp
from yarl import URL

REQUEST_TIMEOUT = 60.0  # seconds; gunicorn's own --timeout is 120
CELL_RE = re.compile(
    r'id="(o-[^"]+)" hx-post="([^"]+)"[^>]*>\s*'
    r'<input type="hidden" name="row" value="([^"]*)">\s*'
    r'<input type="hidden" name="option" value="([^"]*)">\s*'
    r'<input type="hidden" name="revision" value="(\d+)">')
CSRF_INPUT_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER_RE = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')
STATUS_RE = re.compile(r'<select id="value-status" name="status">(.*?)</select>', re.S)
SELECTED_RE = re.compile(r'<option value="([^"]+)" selected>')
ASSET_RE = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


class Recorder:
    """Every request as (phase, start offset, latency, status, kind); kind names errors."""

    def __init__(self, t0):
        self.t0 = t0
        self.rows = []

    def add(self, phase, start, latency, status, kind="ok"):
        self.rows.append((phase, round(start - self.t0, 4), round(latency, 5), status, kind))


async def _request(session, rec, phase, method, url, *, ok=(200,), **kw):
    """One request, recorded; returns (status, text) or (None, None) on timeout/refusal."""
    start = time.monotonic()
    try:
        async with session.request(method, url, allow_redirects=False, **kw) as resp:
            text = await resp.text()
            status = resp.status
    except asyncio.TimeoutError:
        rec.add(phase, start, time.monotonic() - start, 0, "timeout")
        return None, None
    except aiohttp.ClientError as exc:
        rec.add(phase, start, time.monotonic() - start, 0, "conn:" + type(exc).__name__)
        return None, None
    latency = time.monotonic() - start
    kind = "ok" if status in ok else ("conflict" if status == 409 else f"http{status}")
    rec.add(phase, start, latency, status, kind)
    return status, text


async def reporter(base, r, rec, outcome, think, rng):
    """One reporter's whole visit; `outcome` collects what the server confirmed."""
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: accept cookies from an IP address host
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    # force_close: gunicorn's sync workers close every connection anyway.
    conn = aiohttp.TCPConnector(limit=2, force_close=True)
    async with aiohttp.ClientSession(base, cookie_jar=jar, timeout=timeout, connector=conn) as s:
        if r.get("session"):  # logged in earlier in the day
            jar.update_cookies({r["session"]["name"]: r["session"]["value"]}, URL(base))
        else:
            if not await _login(s, base, r, rec):
                return
        await _work(s, base, r, rec, outcome, think, rng)


async def _login(s, base, r, rec):
    status, page = await _request(s, rec, "login_page", "GET", "/dang-nhap/")
    if status != 200:
        return False
    token = CSRF_INPUT_RE.search(page).group(1)
    status, _ = await _request(s, rec, "login", "POST", "/dang-nhap/", ok=(302,), data={
        "csrfmiddlewaretoken": token, "username": r["username"], "password": r["password"],
        "next": r["work_url"]}, headers={"Referer": base + "/dang-nhap/"})
    return status == 302


async def _work(s, base, r, rec, outcome, think, rng):
    """Công việc của tôi, the grid and its static files, every cell, then Gửi báo cáo."""
    status, _ = await _request(s, rec, "work", "GET", r["work_url"])
    if status != 200:
        return
    status, grid = await _request(s, rec, "grid", "GET", r["grid_url"])
    if status != 200:
        return
    for asset in dict.fromkeys(ASSET_RE.findall(grid)):
        await _request(s, rec, "static", "GET", asset)
    csrf = CSRF_HEADER_RE.search(grid).group(1)
    selected = SELECTED_RE.search(STATUS_RE.search(grid).group(1))
    value_status = selected.group(1) if selected else ""
    cells = {(m.group(3), m.group(4)): (m.group(1), m.group(2), m.group(5)) for m in CELL_RE.finditer(grid)}
    headers = {"X-CSRFToken": csrf, "HX-Request": "true", "HX-Current-URL": base + r["grid_url"]}
    for i, c in enumerate(r["cells"]):
        if think and i:
            await asyncio.sleep(rng.uniform(*think))
        found = cells.get((c["row"], c["option"]))
        if found is None:
            rec.add("save", time.monotonic(), 0.0, 0, "cell_missing_in_grid")
            outcome["missing"].append([c["row"], c["option"]])
            continue
        dom_id, url, revision = found
        outcome["sent"].append([c["row"], c["option"], c["value"]])
        status, text = await _request(s, rec, "save", "POST", url, headers={
            **headers, "HX-Target": dom_id, "HX-Trigger": dom_id}, data={
            "row": c["row"], "option": c["option"], "revision": revision, "value": c["text"],
            "comment": c["comment"], "status": value_status})
        if status == 200 and "Đã lưu" in text:
            outcome["saved"].append([c["row"], c["option"], c["value"]])
    if think:
        await asyncio.sleep(rng.uniform(*think))
    status, _ = await _request(s, rec, "submit", "POST", r["submit_url"], ok=(302,),
                               data={"csrfmiddlewaretoken": csrf},
                               headers={"Referer": base + r["grid_url"]})
    if status == 302:
        outcome["submitted"] = True
        await _request(s, rec, "grid_after_submit", "GET", r["grid_url"])


async def run_all(plan):
    base, reporters = plan["base_url"], plan["reporters"]
    think = tuple(plan["think"]) if plan.get("think") else None
    ramp, deadline = plan["ramp"], plan["deadline"]
    t0 = time.monotonic()
    rec = Recorder(t0)
    outcomes = []

    async def one(i, r):
        rng = random.Random(f"{plan['seed']}|{r['username']}")
        await asyncio.sleep(rng.uniform(0, ramp))
        out = {"username": r["username"], "unit": r["unit"], "sent": [], "saved": [], "missing": [],
               "submitted": False, "finished": False}
        outcomes.append(out)
        await reporter(base, r, rec, out, think, rng)
        out["finished"] = True

    tasks = [asyncio.create_task(one(i, r)) for i, r in enumerate(reporters)]
    done, pending = await asyncio.wait(tasks, timeout=deadline)
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    crashed = [repr(t.exception()) for t in done if t.exception() is not None]
    return {"wall_seconds": time.monotonic() - t0, "requests": rec.rows, "outcomes": outcomes,
            "unfinished": len(pending), "client_exceptions": crashed[:20], "client_exception_count": len(crashed)}


def main(argv):
    plan_path, out_path = argv[1], argv[2]
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    result = asyncio.run(run_all(plan))
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv)
