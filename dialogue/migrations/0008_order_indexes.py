"""Indexes on the orders lists and search read along: keyset pages and a frequent word's
first page walk them instead of sorting every matching row (views/lists.py, text_search.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dialogue', '0007_search_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='concern',
            index=models.Index(fields=['updated_at', 'id'], name='concern_updated_id'),
        ),
        migrations.AddIndex(
            model_name='followupaction',
            index=models.Index(fields=['updated_at', 'id'], name='action_updated_id'),
        ),
        migrations.AddIndex(
            model_name='threat',
            index=models.Index(fields=['updated_at', 'id'], name='threat_updated_id'),
        ),
        migrations.AddIndex(
            model_name='threat',
            index=models.Index(fields=['severity', 'id'], name='threat_severity_id'),
        ),
    ]
