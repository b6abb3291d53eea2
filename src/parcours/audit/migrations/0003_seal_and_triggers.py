"""Seal the rows written before the chain existed, then make both tables
append-only in the database itself.

The triggers refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL) unless the
transaction has opened the gate (a row in ``audit_gate``), which only the
retention purge of the access log does (``audit.integrity``). A gate opened
inside a transaction is invisible to the others until it commits, and the
purge closes it before committing.
"""

from django.db import migrations

from parcours.audit import chain

BATCH = 2000

SQLITE_TRIGGERS = [
    "CREATE TABLE IF NOT EXISTS audit_gate (open integer NOT NULL)",
    *(
        f"""CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table}
        WHEN NOT EXISTS (SELECT 1 FROM audit_gate)
        BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END"""
        for table in ("audit_auditevent", "audit_accesslog")
        for op in ("UPDATE", "DELETE")
    ),
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_append_only_{op}"
    for table in ("audit_auditevent", "audit_accesslog")
    for op in ("update", "delete")
] + ["DROP TABLE IF EXISTS audit_gate"]

POSTGRES_TRIGGERS = [
    "CREATE TABLE IF NOT EXISTS audit_gate (open integer NOT NULL)",
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM audit_gate) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit rows are append-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END $$""",
    *(
        stmt
        for table in ("audit_auditevent", "audit_accesslog")
        for stmt in (
            f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
        )
    ),
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
    for table in ("audit_auditevent", "audit_accesslog")
    for name in ("append_only", "no_truncate")
] + ["DROP FUNCTION IF EXISTS audit_append_only()", "DROP TABLE IF EXISTS audit_gate"]


def _seal(model, fields, previous):
    last_id = 0
    while True:
        batch = list(model.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            break
        for row in batch:
            previous = chain.link(
                previous, chain.content({name: getattr(row, name) for name in fields})
            )
            row.chain_hash = previous
        model.objects.bulk_update(batch, ["chain_hash"])
        last_id = batch[-1].id
    return previous


def seal_existing(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    head, _ = ChainHead.objects.get_or_create(pk=1)
    head.audit_event = _seal(
        apps.get_model("audit", "AuditEvent"), chain.AUDIT_EVENT_FIELDS, chain.GENESIS
    )
    head.access_log = _seal(
        apps.get_model("audit", "AccessLog"), chain.ACCESS_LOG_FIELDS, chain.GENESIS
    )
    head.save()


def _run(statements):
    def apply(apps, schema_editor):
        for sql in statements[schema_editor.connection.vendor]:
            schema_editor.execute(sql, None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain")]

    operations = [
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
