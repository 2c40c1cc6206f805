"""The data key belongs to the database: one row recording the fingerprint of the key that
encrypted its ID numbers (an HKDF derivation, never the key), and while a rotation is unfinished
the fingerprint of the key it moves to. Written by the first process to open the database
(``unionaid.core.keys``), not by this migration, which holds no key."""

from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("core", "0012_occurrence")]

    operations = [
        ops.RunSQL(
            "CREATE TABLE data_key ("
            "id SMALLINT PRIMARY KEY CHECK (id = 1), "
            "fingerprint VARCHAR(64) NOT NULL, "
            "next_fingerprint VARCHAR(64), "
            "changed_at VARCHAR(32) NOT NULL)",
            reverse_sql="DROP TABLE data_key",
        ),
    ]
