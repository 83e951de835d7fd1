"""The tables of the former `transport` app, now owned by `planning` (same table names).

This migration replaces transport's 0001 and 0002: on a database that applied them it
counts as applied and changes nothing; on a new database it creates the tables.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('transport', '0001_initial'),
        ('transport', '0002_runs_pending_vehicle'),
    ]

    dependencies = [
        ('families', '0001_initial'),
        ('fleet', '0001_initial'),
        ('offers', '0001_initial'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PlanningRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date_from', models.DateField(verbose_name='von')),
                ('date_to', models.DateField(verbose_name='bis')),
                ('status', models.CharField(choices=[('queued', 'wartet'), ('building', 'wird aufgebaut'), ('solving', 'wird berechnet'), ('done', 'fertig'), ('failed', 'fehlgeschlagen')], default='queued', max_length=20)),
                ('progress', models.JSONField(blank=True, default=dict)),
                ('error', models.TextField(blank=True)),
                ('time_limit', models.PositiveIntegerField(default=30, verbose_name='Zeitlimit (s)')),
                ('options', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('figures', models.JSONField(blank=True, default=dict)),
                ('affected', models.JSONField(blank=True, default=dict)),
                ('trigger', models.CharField(blank=True, help_text='manual, absence, cli, demo …', max_length=40)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='planning_runs', to='organisations.organisation')),
            ],
            options={
                'db_table': 'transport_planningrun',
                'verbose_name': 'Planungslauf',
                'verbose_name_plural': 'Planungsläufe',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Publication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('published_at', models.DateTimeField()),
                ('superseded_at', models.DateTimeField(blank=True, null=True)),
                ('needs_replan', models.BooleanField(default=False)),
                ('replan_reason', models.CharField(blank=True, max_length=200)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='publications', to='organisations.organisation')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='publications', to='planning.planningrun')),
            ],
            options={
                'db_table': 'transport_publication',
                'ordering': ['-published_at'],
            },
        ),
        migrations.CreateModel(
            name='Route',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('starts_at', models.DateTimeField()),
                ('ends_at', models.DateTimeField()),
                ('distance_m', models.PositiveIntegerField(default=0)),
                ('duration_s', models.PositiveIntegerField(default=0)),
                ('plan_vehicle', models.CharField(blank=True, max_length=40)),
                ('driver', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='routes', to='fleet.driver')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='routes', to='planning.planningrun')),
                ('vehicle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='routes', to='fleet.vehicle')),
            ],
            options={
                'db_table': 'transport_route',
                'verbose_name': 'Tour',
                'verbose_name_plural': 'Touren',
                'ordering': ['date', 'starts_at'],
            },
        ),
        migrations.CreateModel(
            name='Stop',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('kind', models.CharField(choices=[('start', 'Start'), ('pickup', 'Abholen'), ('dropoff', 'Absetzen'), ('mixed', 'Absetzen und Abholen'), ('end', 'Ende')], max_length=10)),
                ('arrival_at', models.DateTimeField()),
                ('planned_at', models.DateTimeField(help_text='start of service')),
                ('latitude', models.FloatField()),
                ('longitude', models.FloatField()),
                ('address', models.CharField(blank=True, max_length=300)),
                ('family', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='families.family')),
                ('route', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stops', to='planning.route')),
                ('venue', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='offers.venue')),
            ],
            options={
                'db_table': 'transport_stop',
                'ordering': ['route', 'position'],
            },
        ),
        migrations.CreateModel(
            name='StopPassenger',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('board', 'steigt ein'), ('alight', 'steigt aus')], max_length=10)),
                ('direction', models.CharField(choices=[('there', 'hin'), ('back', 'zurück')], max_length=10)),
                ('request_id', models.CharField(max_length=80)),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='families.participant')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='offers.session')),
                ('stop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='passengers', to='planning.stop')),
            ],
            options={
                'db_table': 'transport_stoppassenger',
                'ordering': ['stop', 'participant'],
            },
        ),
        migrations.CreateModel(
            name='Unserved',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('direction', models.CharField(choices=[('there', 'hin'), ('back', 'zurück')], max_length=10)),
                ('request_id', models.CharField(max_length=80)),
                ('reason', models.CharField(max_length=300)),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='families.participant')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unserved', to='planning.planningrun')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='offers.session')),
            ],
            options={
                'db_table': 'transport_unserved',
                'ordering': ['date', 'request_id'],
            },
        ),
        migrations.AddConstraint(
            model_name='planningrun',
            constraint=models.CheckConstraint(condition=models.Q(('date_to__gte', models.F('date_from'))), name='run_range_valid'),
        ),
        migrations.AddConstraint(
            model_name='planningrun',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['queued', 'building', 'solving'])), fields=('organisation',), name='one_active_run_per_org'),
        ),
        migrations.AddConstraint(
            model_name='publication',
            constraint=models.UniqueConstraint(condition=models.Q(('superseded_at__isnull', True)), fields=('organisation', 'date'), name='one_current_publication_per_day'),
        ),
        migrations.AddConstraint(
            model_name='stop',
            constraint=models.UniqueConstraint(fields=('route', 'position'), name='stop_position_unique'),
        ),
    ]
