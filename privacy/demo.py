"""Privacy demo data for `seed_demo`: fictional (Faker nl_NL) and idempotent.

- a report closed by the desk more than a year ago: the destruction list proposes it, the
  functional administrator (`beheer`) has approved, the privacy officer (`privacy`) still has to;
- an expired break-the-glass grant by `regisseur2` on a case of `regisseur`, with its reason;
- an open access request (inzageverzoek) for the main demo subject, received ten days ago;
- the Woo setting of one policy item on adopted minutes.
"""

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from cases.constants import EmergencyReasonKind
from cases.models import Case, EmergencyAccess, Subject
from intake import services as intake_services
from intake.constants import Channel, ReporterKind, TriageOutcome, Urgency
from intake.demo import NAMESPACE
from intake.models import Report
from intake.services import PersonData
from ipgar.accounts.models import User
from meetings.constants import ItemKind, MinutesStatus
from meetings.models import AgendaItem
from privacy import services
from privacy.constants import WooGround, WooMode
from privacy.models import AccessRequest, DestructionList, RetentionSettings, WooRedaction


def _old_report(fake: Faker, users: dict[str, User]) -> int:
    desk = users["intake"]
    received = timezone.now() - timedelta(days=430)
    report, created = intake_services.report_register(
        actor=desk,
        desk=desk.groups.first().name,
        submission_key=uuid.uuid5(NAMESPACE, "privacy-old-report"),
        persons=[
            PersonData(
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                date_of_birth=None,
                bsn="",
                gender="",
                street="",
                postcode="",
                city="Amstelveen",
                relation="hoofdpersoon",
            )
        ],
        received_at=received,
        channel=Channel.PHONE,
        urgency=Urgency.NORMAL,
        reporter_kind=ReporterKind.FAMILY,
        reporter_anonymous=False,
        reporter_name=fake.name(),
        reporter_organisation="",
        reporter_phone="",
        reporter_email="",
        observation="Zorgen over een zoon die veel tijd online doorbrengt; na een gesprek "
        "geen aanwijzingen voor radicalisering.",
    )
    if created:
        intake_services.report_triage(
            report=report,
            actor=desk,
            outcome=TriageOutcome.NO_CONCERN,
            reasoning="Melder gerustgesteld; geen zorg over radicalisering.",
        )
        report = Report.objects.get(pk=report.pk)
        report.triaged_at = received + timedelta(days=2)
        report._history_user = desk
        report.save(update_fields=["triaged_at"])
    return int(created)


def _destruction_list(users: dict[str, User]) -> None:
    if DestructionList.objects.exists():
        return
    destruction_list = services.destruction_list_propose(actor=None)
    if destruction_list is not None:
        services.destruction_list_approve(destruction_list=destruction_list, actor=users["beheer"])


def _emergency_access(users: dict[str, User]) -> None:
    if EmergencyAccess.objects.exists():
        return
    case = Case.objects.filter(regisseur=users["regisseur"]).order_by("pk").first()
    if case is None:
        return
    started = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=2), time(22, 40))
    )
    grant = EmergencyAccess(
        case=case,
        user=users["regisseur2"],
        reason_kind=EmergencyReasonKind.CRISIS,
        reason="Avonddienst: politie belt over een acute situatie; het netwerk moest bekend "
        "zijn voor de crisisdienst.",
        started_at=started,
        expires_at=started + timedelta(hours=3),
    )
    grant._history_user = users["regisseur2"]
    grant.save()


def _access_request(users: dict[str, User]) -> None:
    if AccessRequest.objects.exists():
        return
    subject = Subject.objects.filter(first_name="Mohammed", last_name="el Amrani").first()
    if subject is None:
        return
    services.access_request_register(
        subject=subject,
        received_on=timezone.localdate() - timedelta(days=10),
        channel="Brief van de advocaat",
        note="Verzoek om inzage in alle gegevens, namens de betrokkene.",
        actor=users["privacy"],
    )


def _woo(users: dict[str, User]) -> None:
    item = (
        AgendaItem.objects.filter(
            meeting__minutes_status=MinutesStatus.ADOPTED, kind=ItemKind.POLICY
        )
        .order_by("pk")
        .first()
    )
    if item is None or WooRedaction.objects.filter(item=item).exists():
        return
    services.woo_redaction_set(
        item=item, mode=WooMode.WHOLE, ground=WooGround.SECURITY, actor=users["secretaris"]
    )


def seed_privacy(fake: Faker, users: dict[str, User]) -> int:
    """Returns how many demo reports were new (the rest is idempotent by existence)."""
    RetentionSettings.current()
    created = _old_report(fake, users)
    _destruction_list(users)
    _emergency_access(users)
    _access_request(users)
    _woo(users)
    return created
