from tortoise import fields
from tortoise.models import Model


class WorkflowStep(Model):
    """One move of a record through its workflow: who took which transition, when, from which
    state to which, and why. Database triggers refuse UPDATE and DELETE on this table."""

    id = fields.BigIntField(primary_key=True)
    record_type = fields.CharField(max_length=40)  # the workflow's name, e.g. "HardshipFile"
    record_id = fields.IntField()  # no foreign key: one table serves every workflow
    transition = fields.CharField(max_length=32)
    from_state = fields.CharField(max_length=20, null=True)  # null: the record was created
    to_state = fields.CharField(max_length=20)
    actor = fields.CharField(max_length=64)
    actor_id = fields.IntField(null=True)
    note = fields.CharField(max_length=200, null=True)
    at = fields.DatetimeField()

    class Meta:
        table = "workflow_step"
        indexes = (("record_type", "record_id"),)
