"""The Celery application: tasks are discovered in every app's tasks.py; settings prefix CELERY_."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipgar.settings")

app = Celery("ipgar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
