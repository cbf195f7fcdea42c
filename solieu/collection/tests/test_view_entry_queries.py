"""Query budgets of the entry grid and of the cell save (issue 8, deadline rush).

During the last day of a period 200 reporters save a cell every few seconds on a 2-core
server: every query of these two requests is paid thousands of times an hour. The budgets
count everything, middleware included (session, user, memberships, the session's save).
Raise one only with a reason.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import entry_url, history

pytestmark = pytest.mark.usefixtures("catalog")

# Measured on SQLite and PostgreSQL once the form specification was cached (before: 25 a
# change, 28 a new value, 37 a first value, 34 a grid). A change: session 1, user 1, the
# submission with its form, unit, period and the catalog's token 1, memberships 1; the write
# (transaction, savepoint, row lock, the report's status for the kind totals, value, audit
# entry, release, commit) 8; the cell's history with its reference values 1; the session's save 3.
SAVE_BUDGET = 16
NEW_VALUE_BUDGET = 18  # the insert's own savepoint (2)
FIRST_SAVE_BUDGET = 31  # the submission is created: the step-by-step lookup and the checks again
# Session 1, user 1, submission 1, memberships 1, values 1, history with reference values 1,
# events 1, the menu's ministry check 1, the session's save 3.
GRID_BUDGET = 11


def _count(request):
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    listing = "\n".join(q["sql"][:200] for q in ctx.captured_queries)
    return response, len(ctx.captured_queries), listing


def _save(client, month, row, value, revision):
    response, count, listing = _count(lambda: client.post(entry_url(month, action="o-so-lieu"), {
        "row": row, "option": "TOTAL", "value": value, "revision": revision, "status": "estimate", "comment": ""}))
    assert response.status_code == 200, response.content
    return count, listing


def test_cell_saves_stay_within_their_budgets(client, users, month):
    history("SKHCN-01", "5", month, ["1.25"] * 14)
    client.force_login(users["reporter"])
    first, listing = _save(client, month, "5", "1,3", 0)
    assert first <= FIRST_SAVE_BUDGET, listing
    changed, listing = _save(client, month, "5", "1,31", 1)
    assert changed <= SAVE_BUDGET, listing
    new, listing = _save(client, month, "7", "12.345", 0)
    assert new <= NEW_VALUE_BUDGET, listing
    again, listing = _save(client, month, "7", "12.346", 1)
    assert again <= SAVE_BUDGET, listing


def test_the_grid_stays_within_its_budget(client, users, month):
    history("SKHCN-01", "5", month, ["1.25"] * 14)
    history("SKHCN-01", "7", month, ["100", "120"])
    client.force_login(users["reporter"])
    _save(client, month, "5", "1,3", 0)
    response, count, listing = _count(lambda: client.get(entry_url(month)))
    assert response.status_code == 200
    assert count <= GRID_BUDGET, listing
