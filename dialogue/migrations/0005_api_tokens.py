import datetime
import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

LEGACY_TABLE = "authtoken_token"


def move_legacy_tokens(apps, schema_editor):
    """Keys issued by Django REST framework's one-token-per-user model keep working (now
    hashed, expiring API_TOKEN_TTL_DAYS from today); the plain-text copies are deleted."""
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("dialogue", "ApiToken")
    table = connection.ops.quote_name(LEGACY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    expires_at = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="",
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            expires_at=expires_at,
        )
        for key, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0004_portal_submissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="name")),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used at"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(move_legacy_tokens, migrations.RunPython.noop),
    ]
