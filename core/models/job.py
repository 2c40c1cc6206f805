from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(Model):
    """Long work (an import, a payment campaign) queued in the project's own database.

    Workers claim jobs with row locks, so a job can be queued in the transaction that causes it
    and any number of workers share the queue. A running job whose heartbeat stopped is claimed
    again; job handlers are idempotent, so a rerun finishes without duplicates."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=40)
    status = fields.CharEnumField(JobStatus, max_length=10, default=JobStatus.QUEUED)
    params = fields.JSONField(default=dict)
    district_code = fields.CharField(max_length=6, null=True)  # for scoping reads of the job
    created_by = fields.CharField(max_length=64)
    created_by_id = fields.IntField(null=True)
    progress = fields.IntField(default=0)
    total = fields.IntField(null=True)
    result = fields.JSONField(null=True)
    error = fields.TextField(null=True)
    attempts = fields.IntField(default=0)
    worker = fields.CharField(max_length=100, null=True)
    created_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    heartbeat_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "job"
        indexes = (("status", "id"),)


class Upload(Model):
    """A file sent to ``POST /imports``, kept in the database so a worker on any host reads it."""

    id = fields.IntField(primary_key=True)
    filename = fields.CharField(max_length=200)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    content = fields.BinaryField()
    created_by = fields.CharField(max_length=64)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "upload"
