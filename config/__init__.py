"""Project wiring. Importing the Celery app here binds @shared_task jobs to it."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
