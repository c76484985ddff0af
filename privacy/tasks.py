from celery import shared_task

from privacy.services import destruction_list_propose


@shared_task(acks_late=True)
def destruction_list_propose_task() -> int | None:
    """Monthly (beat schedule in settings): propose what has passed its retention period."""
    destruction_list = destruction_list_propose(actor=None)
    return destruction_list.pk if destruction_list else None
