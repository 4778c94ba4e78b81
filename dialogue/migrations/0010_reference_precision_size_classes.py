"""Foreign measures carry their date's precision (day, month, year), their status (in
force, planned, or a published strategy) and an explicit "affects all sectors";
organizations get the plan's three size classes (大企業・中堅企業・中小企業).

Existing rows need no rewrite, and none is made:
- Organizations: "large" stays 大企業 and "sme" stays 中小企業 (the same companies: the
  two-class scheme's SME class is the plan's 中小企業). The new "midsize" (中堅企業) cannot
  be told from the stored data: a mid-sized company recorded as "large" stays "large"
  until someone reclassifies it in the admin or the API.
- Foreign measures: every existing date keeps its value with precision "day" and status
  "in force", and none affects all sectors, until `manage.py load_reference_data` (run
  on every deployment) sets them from fixtures/foreign_measures.json.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dialogue', '0009_covering_indexes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='foreignmeasure',
            options={'ordering': [models.OrderBy(models.F('effective_on'), descending=True, nulls_last=True), 'country_code'], 'verbose_name': 'foreign measure', 'verbose_name_plural': 'foreign measures'},
        ),
        migrations.AddField(
            model_name='foreignmeasure',
            name='affects_all_sectors',
            field=models.BooleanField(default=False, help_text="Reaches every sector's companies, whatever sectors are linked.", verbose_name='affects all sectors'),
        ),
        migrations.AddField(
            model_name='foreignmeasure',
            name='effective_precision',
            field=models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', max_length=8, verbose_name='date precision'),
        ),
        migrations.AddField(
            model_name='foreignmeasure',
            name='status',
            field=models.CharField(choices=[('in_force', 'In force'), ('planned', 'Planned, not yet in force'), ('published', 'Published (strategy or recommendation)')], default='in_force', max_length=12, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='historicalforeignmeasure',
            name='affects_all_sectors',
            field=models.BooleanField(default=False, help_text="Reaches every sector's companies, whatever sectors are linked.", verbose_name='affects all sectors'),
        ),
        migrations.AddField(
            model_name='historicalforeignmeasure',
            name='effective_precision',
            field=models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('year', 'Year')], default='day', max_length=8, verbose_name='date precision'),
        ),
        migrations.AddField(
            model_name='historicalforeignmeasure',
            name='status',
            field=models.CharField(choices=[('in_force', 'In force'), ('planned', 'Planned, not yet in force'), ('published', 'Published (strategy or recommendation)')], default='in_force', max_length=12, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='foreignmeasure',
            name='effective_on',
            field=models.DateField(blank=True, help_text='In force from; for a planned measure the date it was announced, for a strategy the date it was published. A date known only to the month or the year is stored as its first day.', null=True, verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='historicalforeignmeasure',
            name='effective_on',
            field=models.DateField(blank=True, help_text='In force from; for a planned measure the date it was announced, for a strategy the date it was published. A date known only to the month or the year is stored as its first day.', null=True, verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='historicalorganization',
            name='size_class',
            field=models.CharField(choices=[('large', 'Large enterprise'), ('midsize', 'Mid-sized enterprise'), ('sme', 'Small and medium enterprise')], default='large', max_length=8, verbose_name='size'),
        ),
        migrations.AlterField(
            model_name='organization',
            name='size_class',
            field=models.CharField(choices=[('large', 'Large enterprise'), ('midsize', 'Mid-sized enterprise'), ('sme', 'Small and medium enterprise')], default='large', max_length=8, verbose_name='size'),
        ),
    ]
