"""One ChainHead row per chain (1: audit trail, 2: access log) instead of one
row holding both, so that a page view's access-log append does not wait for a
write's audit event to commit. The values move over unchanged."""

from django.db import migrations, models

GENESIS = "0" * 64


def split(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    both = ChainHead.objects.filter(pk=1).first()
    if both is None:
        return
    for pk, table in ((1, "audit_event"), (2, "access_log")):
        ChainHead.objects.update_or_create(
            pk=pk,
            defaults={
                "last": getattr(both, table),
                "anchor": getattr(both, f"{table}_anchor"),
                "purged_through": getattr(both, f"{table}_purged_through"),
                "purged_rows": getattr(both, f"{table}_purged_rows"),
            },
        )


def join(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    rows = {row.pk: row for row in ChainHead.objects.filter(pk__in=[1, 2])}
    if not rows:
        return
    both = rows.get(1) or ChainHead(pk=1)
    for pk, table in ((1, "audit_event"), (2, "access_log")):
        row = rows.get(pk)
        setattr(both, table, row.last if row else GENESIS)
        setattr(both, f"{table}_anchor", row.anchor if row else GENESIS)
        setattr(both, f"{table}_purged_through", row.purged_through if row else 0)
        setattr(both, f"{table}_purged_rows", row.purged_rows if row else 0)
    both.save()
    ChainHead.objects.filter(pk=2).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_purge_anchors")]

    operations = [
        migrations.AddField(
            model_name="chainhead",
            name="last",
            field=models.CharField(default=GENESIS, max_length=64),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="anchor",
            field=models.CharField(default=GENESIS, max_length=64),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="purged_through",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="purged_rows",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(split, join),
        *[
            migrations.RemoveField(model_name="chainhead", name=f"{table}{suffix}")
            for table in ("audit_event", "access_log")
            for suffix in ("", "_anchor", "_purged_through", "_purged_rows")
        ],
        migrations.AlterField(
            model_name="chainhead",
            name="id",
            field=models.PositiveSmallIntegerField(primary_key=True, serialize=False),
        ),
    ]
