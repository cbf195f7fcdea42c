"""The trails that are only ever appended to, and the one sanctioned way to prune them.

On PostgreSQL, triggers (migration 0001) refuse UPDATE and DELETE of these tables whatever
issues the statement: the admin, a bug, raw SQL. TRUNCATE stays allowed (test flushes, restore).
"""

from django.db import connection, models

APPEND_ONLY = [
    "collection.DataValueAudit",
    "collection.SubmissionEvent",
    "assignments.TaskChange",
    "assignments.ProgressNote",
    "accounts.AccountEvent",
]
PRUNE_SETTING = "solieu.prune_audit"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(self.model.refusal("sửa"))

    def delete(self):
        raise PermissionError(self.model.refusal("xóa"))


class AppendOnlyModel(models.Model):
    """A trail entry: written once, never changed or removed, whoever asks (decision 3).

    The checks here stop the ORM and the admin; the triggers stop everything else."""

    trail_name = "Nhật ký"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def refusal(cls, verb):
        return f"{cls.trail_name} chỉ được ghi thêm, không được {verb}."

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(self.refusal("sửa"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.refusal("xóa"))


def allow_pruning():
    """Let the current transaction delete trail rows (load_demo replacing generated data only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [PRUNE_SETTING])
