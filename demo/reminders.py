"""Letters with dispatches, a postponed letter, and one sweep, for `seed_demo`."""

from datetime import timedelta

from django.utils import timezone

from cases import services as case_services
from cases.constants import DispatchMethod
from cases.models import Case, Letter
from ipgar.accounts.models import User
from reminders import services
from reminders.constants import DeadlineKind
from reminders.deadlines import all_deadlines
from reminders.models import Postponement


def seed_reminders(users: dict[str, User]) -> int:
    desk = users["intake"]
    main = Case.objects.filter(
        subject__first_name="Mohammed", subject__last_name="el Amrani"
    ).first()
    if main and not Letter.objects.filter(case=main).exists():
        for letter in case_services.letters_generate(case=main, actor=desk):
            case_services.letter_dispatch_register(
                letter=letter,
                actor=desk,
                method=DispatchMethod.IN_PERSON,
                dispatched_on=timezone.localdate(),
            )
    if not Postponement.objects.exists():
        dormant = Case.objects.filter(is_dormant=True).first()
        letter_deadline = next(
            (
                d
                for d in all_deadlines()
                if dormant and d.kind == DeadlineKind.LETTER and d.object_id == str(dormant.pk)
            ),
            None,
        )
        if letter_deadline:
            services.postponement_record(
                actor=desk,
                deadline=letter_deadline,
                until=letter_deadline.due + timedelta(weeks=6),
                reason="Uitgesteld in overleg met politie: lopend onderzoek.",
            )
    return services.sweep().created + services.late_requests_notify()
