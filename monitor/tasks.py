from celery import shared_task

from monitor.selectors import monitor_refresh


@shared_task(acks_late=True, max_retries=3, default_retry_delay=60)
def monitor_refresh_task() -> int:
    """Every 5 minutes (beat): the monitor's figures that were served stale, recomputed."""
    return monitor_refresh()
