"""Two people save the same cell at the same moment: one wins, the other is told, both are audited."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from solieu.collection.models import DataValue, DataValueAudit
from solieu.collection.values import ConflictError, Key, save_value


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; covered by test_values")
def test_simultaneous_first_save_of_a_cell(indicator, total, unit, period):
    from django.contrib.auth import get_user_model

    users = [get_user_model().objects.create(username=f"u{i}") for i in range(2)]
    key = Key(indicator, total, unit, period)
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def worker(i):
        try:
            barrier.wait()
            save_value(key, Decimal(100 + i), user=users[i], expected_revision=0)
            outcomes[i] = "saved"
        except ConflictError as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o == "saved" for o in outcomes) == [False, True]
    loser = next(o for o in outcomes if o != "saved")
    assert "Ô số liệu đã được" in str(loser)
    assert DataValue.objects.current().count() == 1
    winner = outcomes.index("saved")
    assert DataValue.objects.get().value == Decimal(100 + winner)
    refused = DataValueAudit.objects.filter(action="conflict").values_list("user__username", flat=True)
    assert list(refused) == [f"u{1 - winner}"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; covered by test_values")
def test_many_writers_never_lose_an_acknowledged_value(indicator, total, unit, period):
    """Each writer retries on conflict with the revision it is told; every increment lands."""
    key = Key(indicator, total, unit, period)
    save_value(key, Decimal(0))

    def worker():
        try:
            for _ in range(5):
                while True:
                    current = DataValue.objects.current().get()
                    try:
                        save_value(key, current.value + 1, expected_revision=current.revision)
                        break
                    except ConflictError:
                        continue
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert DataValue.objects.current().get().value == Decimal(30)
    assert DataValueAudit.objects.filter(action="update").count() == 30
