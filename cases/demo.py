"""The intervention catalogue (interventiepallet) for `seed_demo`: realistic, not real."""

# ruff: noqa: E501  (one catalogue entry per line reads better than wrapped prose)

from datetime import date

from cases.constants import InterventionCategory as C
from cases.constants import SpecialIntervention as S
from cases.models import CatalogueEntry
from ipgar.accounts.models import Organisation

# (name, category, provider code, special, description)
CATALOGUE: list[tuple[str, str, str, str, str]] = [
    (
        "Reclasseringstoezicht met bijzondere voorwaarden",
        C.PUNISHMENT,
        "RN",
        S.NONE,
        "Toezicht op naleving van bijzondere voorwaarden zoals meldplicht, contactverbod en gebiedsverbod.",
    ),
    (
        "Terugkeerprogramma Team TER",
        C.PUNISHMENT,
        "RN",
        S.NONE,
        "Specialistische begeleiding door het team Terrorisme, Extremisme en Radicalisering van de reclassering.",
    ),
    (
        "Strafrechtelijk onderzoek en vervolging",
        C.PUNISHMENT,
        "OM",
        S.NONE,
        "Opsporing en vervolging bij een redelijk vermoeden van een strafbaar feit.",
    ),
    (
        "Voorwaardelijk sepot met voorwaarden",
        C.PUNISHMENT,
        "OM",
        S.NONE,
        "Afzien van vervolging onder voorwaarden, zoals deelname aan een gedragsinterventie.",
    ),
    (
        "Politieel signaleren en monitoren",
        C.PUNISHMENT,
        "POL",
        S.NONE,
        "Gericht volgen van ontwikkelingen door de wijkagent en de unit contraterrorisme.",
    ),
    (
        "Stopgesprek (verstoringsgesprek) door politie",
        C.PUNISHMENT,
        "POL",
        S.NONE,
        "Een normstellend gesprek om te laten merken dat gedrag is opgemerkt.",
    ),
    (
        "Paspoortmaatregel (signalering en vervallenverklaring)",
        C.ADMINISTRATIVE,
        "OOV",
        S.PASSPORT,
        "Vervallenverklaring van het reisdocument en signalering bij een gegrond vermoeden van uitreizen.",
    ),
    (
        "Gebiedsverbod (Twm)",
        C.ADMINISTRATIVE,
        "OOV",
        S.NONE,
        "Bestuurlijke maatregel op grond van de Tijdelijke wet bestuurlijke maatregelen terrorismebestrijding.",
    ),
    (
        "Meldplicht (Twm)",
        C.ADMINISTRATIVE,
        "OOV",
        S.NONE,
        "Periodiek melden bij de politie als bestuurlijke maatregel.",
    ),
    (
        "Contactverbod (Twm)",
        C.ADMINISTRATIVE,
        "OOV",
        S.NONE,
        "Verbod om contact te hebben met bepaalde personen.",
    ),
    (
        "Weigeren of intrekken van een vergunning of subsidie (Bibob)",
        C.ADMINISTRATIVE,
        "OOV",
        S.NONE,
        "Bestuurlijke toets bij vergunningen of subsidies met een risico op misbruik.",
    ),
    (
        "Bestuurlijk gesprek namens de burgemeester",
        C.ADMINISTRATIVE,
        "OOV",
        S.NONE,
        "Een gesprek waarin de burgemeester grenzen stelt en ondersteuning aanbiedt.",
    ),
    (
        "GGD-screening psychische problematiek",
        C.CARE,
        "GGD",
        S.GGD_SCREENING,
        "Screening door de GGD op psychische kwetsbaarheid en zorgbehoefte.",
    ),
    (
        "Ambulante behandeling GGZ",
        C.CARE,
        "GGZ",
        S.NONE,
        "Psychiatrische of psychologische behandeling in de ambulante GGZ.",
    ),
    (
        "Traumabehandeling voor terugkeerders",
        C.CARE,
        "GGZ",
        S.NONE,
        "Gespecialiseerde traumazorg, ook voor kinderen van terugkeerders.",
    ),
    (
        "Forensische zorg (FPA/FPK)",
        C.CARE,
        "GGZ",
        S.NONE,
        "Forensisch psychiatrische behandeling in een ambulante of klinische setting.",
    ),
    (
        "Inzet specialistenpool (ideologie en theologie)",
        C.CARE,
        "OOV",
        S.SPECIALIST_POOL,
        "Inzet van een deskundige op het gebied van ideologie of theologie voor het gesprek met de persoon.",
    ),
    (
        "Exitbegeleiding",
        C.CARE,
        "OOV",
        S.SPECIALIST_POOL,
        "Begeleiding bij het loskomen van een extremistische groep of netwerk.",
    ),
    (
        "Mentorschap door een rolmodel",
        C.CARE,
        "SCW",
        S.NONE,
        "Een vaste mentor uit de leefwereld van de persoon die een alternatief perspectief biedt.",
    ),
    (
        "Jongerenwerk en ambulante begeleiding",
        C.CARE,
        "SCW",
        S.NONE,
        "Outreachend jongerenwerk, gericht op daginvulling, netwerk en weerbaarheid.",
    ),
    (
        "Ondertoezichtstelling (OTS)",
        C.CARE,
        "JBRA",
        S.NONE,
        "Kinderbeschermingsmaatregel met een gezinsvoogd.",
    ),
    (
        "Raadsonderzoek kinderbescherming",
        C.CARE,
        "RVDK",
        S.NONE,
        "Onderzoek naar de veiligheid en ontwikkeling van een kind.",
    ),
    (
        "Gezinscoaching en opvoedondersteuning",
        C.CARE,
        "OJZ",
        S.NONE,
        "Ondersteuning van ouders bij opvoeding en het bespreekbaar maken van radicalisering.",
    ),
    (
        "Familieondersteuning bij uitreizigers",
        C.CARE,
        "OOV",
        S.NONE,
        "Steun aan familie van (potentiële) uitreizigers en terugkeerders, ook broers en zussen.",
    ),
    ("Schuldhulpverlening", C.SOCIAL, "WPI", S.NONE, "Stabiliseren en saneren van schulden."),
    (
        "Uitkering en inkomensondersteuning",
        C.SOCIAL,
        "WPI",
        S.NONE,
        "Aanvraag en begeleiding van een uitkering of bijzondere bijstand.",
    ),
    (
        "Traject naar werk (re-integratie)",
        C.SOCIAL,
        "WPI",
        S.NONE,
        "Begeleiding naar betaald werk, stage of vrijwilligerswerk.",
    ),
    (
        "Leerplichtgesprek en schoolverzuimaanpak",
        C.SOCIAL,
        "LPL",
        S.NONE,
        "Gesprek en begeleiding bij verzuim of dreigende voortijdige schooluitval.",
    ),
    (
        "Onderwijsbegeleiding en herplaatsing",
        C.SOCIAL,
        "OJZ",
        S.NONE,
        "Zoeken naar een passende onderwijsplek of opleiding.",
    ),
    (
        "Huisvesting en woonbegeleiding",
        C.SOCIAL,
        "OJZ",
        S.NONE,
        "Urgentie, tijdelijke huisvesting of begeleid wonen.",
    ),
    (
        "Dagbesteding",
        C.SOCIAL,
        "OJZ",
        S.NONE,
        "Structuur in de dag via werkplaats, sport of vrijwilligerswerk.",
    ),
    (
        "Weerbaarheidstraining",
        C.PREVENTION,
        "SD-NIE",
        S.NONE,
        "Training in het omgaan met identiteit, polarisatie en beïnvloeding.",
    ),
    (
        "Inzet sleutelfiguren in de wijk",
        C.PREVENTION,
        "SD-NIE",
        S.NONE,
        "Sleutelfiguren die signalen opvangen en het gesprek aangaan.",
    ),
    (
        "Preventief gesprek (MAP)",
        C.PREVENTION,
        "MAP",
        S.NONE,
        "Een gesprek met de persoon of het netwerk wanneer opname in de aanpak (nog) niet nodig is.",
    ),
    (
        "Advies en coaching van de melder",
        C.PREVENTION,
        "MAP",
        S.NONE,
        "Advies aan professionals, ouders of docenten die zich zorgen maken.",
    ),
]


def seed_catalogue(today: date) -> int:
    organisations = {o.code: o for o in Organisation.objects.all()}
    review = date(today.year + 1, 1, 31)
    created = 0
    for name, category, provider, special, description in CATALOGUE:
        _, made = CatalogueEntry.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "provider": organisations[provider],
                "special": special,
                "description": description,
                "review_date": review,
            },
        )
        created += made
    return created


# --- Cases in every phase ----------------------------------------------------------------------

LOG_TEXTS = [
    "Gesprek bij de persoon thuis; moeder aanwezig. Sfeer open, praat over werk zoeken.",
    "Telefonisch contact: afspraak voor volgende week bevestigd.",
    "Appcontact; reageert kort, wil niet praten over online contacten.",
    "Overleg met de wijkagent over signalen uit de buurt; geen nieuwe incidenten.",
    "Contact met de mentor (Streetcornerwork): traject loopt, twee afspraken nagekomen.",
    "Ontwikkeling: persoon heeft een stageplek gevonden via WPI.",
    "Niet thuis getroffen; briefje achtergelaten.",
    "Gesprek met theologisch deskundige: ruimte voor twijfel aan eerdere ideeën.",
]


def _open_case(
    fake,
    today,
    users,
    key: str,
    days_ago: int,
    regisseur: str,
    *,
    born_years_ago: int = 19,
    names: dict | None = None,
    ideology=None,
):
    from cases import services
    from intake.constants import Ideology
    from intake.demo import _at, person, ready_report

    report, created = ready_report(
        fake,
        today,
        users,
        key=key,
        days_ago=days_ago,
        person=person(fake, today, born_years_ago=born_years_ago, **(names or {})),
        ideology=ideology or Ideology.JIHADIST,
    )
    if hasattr(report, "case"):
        return report.case, False
    user = users[regisseur]
    case = services.case_open_from_report(
        report=report,
        actor=users["regieoverleg"],
        organisation=user.organisation,
        regisseur=user,
        decided_at=_at(today, days_ago - 30),
    )
    return case, True


def _plan(case, users, catalogue, *, partner=None, submit=False, adopt=False, accord=False):
    from cases import services
    from intake.constants import LifeDomain

    actor = case.regisseur
    services.plan_update(
        case=case,
        actor=actor,
        scenario_short="Stabiliseren: dagbesteding en zicht op online contacten.",
        scenario_long="Duurzaam afstand van extremistische ideeën; warme "
        "overdracht naar reguliere zorg.",
    )
    goal = services.goal_save(
        case=case,
        actor=actor,
        life_domain=LifeDomain.TIME_USE,
        description="Heeft een vaste dagbesteding (werk of opleiding).",
    )
    services.goal_save(
        case=case,
        actor=actor,
        life_domain=LifeDomain.SOCIAL_NETWORK,
        description="Heeft een positief netwerk buiten de extremistische groep.",
    )
    mentor = catalogue["Mentorschap door een rolmodel"]
    services.intervention_save(
        case=case,
        actor=actor,
        data=services.InterventionData(
            catalogue_entry=mentor,
            rationale="Sluit aan bij zijn leefwereld; hij vertrouwt de jongerenwerker van Streetcornerwork.",
            owner_organisation=mentor.provider,
            goal=goal,
            aim="Wekelijks contact, alternatief perspectief.",
            status="lopend",
        ),
    )
    if partner:
        training = catalogue["Weerbaarheidstraining"]
        services.intervention_save(
            case=case,
            actor=actor,
            data=services.InterventionData(
                catalogue_entry=training,
                rationale="Versterkt weerbaarheid tegen online "
                "beïnvloeding; aanbod van het stadsdeel.",
                owner_organisation=partner.organisation,
                owner=partner,
                goal=goal,
                status="lopend",
            ),
        )
    work = catalogue["Traject naar werk (re-integratie)"]
    services.intervention_save(
        case=case,
        actor=actor,
        data=services.InterventionData(
            catalogue_entry=work,
            rationale="Geen dagbesteding is de grootste risicofactor.",
            owner_organisation=work.provider,
            goal=goal,
        ),
    )
    if submit:
        plan = services.plan_submit_for_advice(case=case, actor=actor)
        if adopt:
            services.plan_record_advice(
                plan=plan,
                actor=users["secretaris"],
                advice="Positief; let op het netwerk van de broer.",
            )
            services.plan_adopt(plan=plan, actor=users["secretaris"])
            if accord:
                services.plan_accord(plan=plan, actor=users["secretaris"])


def seed_cases(fake, today, users) -> int:
    """Cases in every phase: a long logbook, UVOs, evaluations, a network, a partner."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from cases import services
    from cases.constants import (
        ClosureReason,
        ContactKind,
        EvaluationConclusion,
        GoalResult,
        InstitutionKind,
        LinkKind,
        LogKind,
        ProposalKind,
    )
    from cases.models import LogEntry
    from intake.constants import Ideology, LifeDomain

    catalogue = {e.name: e for e in CatalogueEntry.objects.select_related("provider")}
    partner = users["partner"]
    services.partner_registration_record(
        user=partner,
        actor=users["beheer"],
        signed_on=today - timedelta(days=200),
        signed_by=partner.get_full_name(),
        scope="Weerbaarheidstrainingen in Nieuw-West.",
    )
    created = 0
    seed_directory(users)

    # In execution: the main demo case, with hundreds of logbook entries.
    case, new = _open_case(
        fake,
        today,
        users,
        "admitted-el-amrani",
        160,
        "regisseur",
        born_years_ago=17,
        names={"first": "Mohammed", "last": "el Amrani"},
    )
    if new:
        created += 1
        _plan(case, users, catalogue, partner=partner, submit=True, adopt=True, accord=True)
        regisseur = case.regisseur
        kinds = [k for k in LogKind.values if k != LogKind.UVO]
        entries = [
            LogEntry(
                case=case,
                author=regisseur,
                kind=kinds[i % len(kinds)],
                text=LOG_TEXTS[i % len(LOG_TEXTS)],
                at=timezone.make_aware(
                    datetime.combine(today - timedelta(days=120 - i // 3), time(9 + i % 8))
                ),
            )
            for i in range(360)
        ]
        bulk_create_with_history(entries, LogEntry, default_user=regisseur)
        training = case.interventions.get(owner=partner)
        services.logbook_add(
            case=case,
            actor=partner,
            kind=LogKind.PARTNER,
            at=timezone.now() - timedelta(days=3),
            intervention=training,
            text="Tweede trainingsbijeenkomst bijgewoond, actief meegedaan.",
        )
        for weeks_ago in (14, 6):
            services.partner_meeting_record(
                case=case,
                actor=regisseur,
                held_on=today - timedelta(weeks=weeks_ago),
                participants="Regisseur (OOV), Streetcornerwork, WPI, wijkagent, Stadsdeel Nieuw-West",
                notes="Voortgang besproken; dagbesteding is het aandachtspunt.",
                agreements=[
                    services.AgreementData(
                        what="Intake re-integratietraject plannen",
                        due_on=today - timedelta(weeks=weeks_ago - 2),
                        owner_name="WPI",
                    ),
                    services.AgreementData(
                        what="Contact met moeder over thuissituatie",
                        due_on=today + timedelta(days=7),
                        owner=regisseur,
                    ),
                ],
            )
        goals = list(case.goals.all())
        services.evaluation_record(
            case=case,
            actor=regisseur,
            held_on=today - timedelta(weeks=5),
            summary="Dagbesteding komt op gang; contact met het online netwerk neemt af.",
            conclusion=EvaluationConclusion.CONTINUE,
            goal_results={
                goals[0].pk: (GoalResult.PARTLY, ""),
                goals[1].pk: (GoalResult.NOT_ACHIEVED, ""),
            },
            intervention_results={i.pk: "Loopt volgens plan." for i in case.interventions.all()},
            scores={d: (3, "") for d in LifeDomain.values},
        )
        services.contact_save(
            case=case,
            actor=regisseur,
            kind=ContactKind.PARENT,
            name=fake.name_female(),
            relation="moeder",
            phone="06-" + str(fake.random_int(10000000, 99999999)),
            address=case.subject.street + ", " + case.subject.city,
            is_legal_representative=True,
        )
        services.contact_save(
            case=case,
            actor=regisseur,
            kind=ContactKind.PROFESSIONAL,
            name=fake.name(),
            relation="mentor",
            organisation="Streetcornerwork",
            email="mentor@scw.invalid",
        )

    # A brother in the same network, just admitted: base file with regisseur2.
    brother, new = _open_case(
        fake,
        today,
        users,
        "case-base-file",
        45,
        "regisseur2",
        born_years_ago=21,
        names={"last": "el Amrani"},
    )
    if new:
        created += 1
        services.subject_link_add(
            from_subject=case.subject,
            to_subject=brother.subject,
            kind=LinkKind.FAMILY,
            actor=users["regisseur"],
            note="broer",
        )

    # Concept plan, and a plan at the ITAT-R.
    concept, new = _open_case(
        fake, today, users, "case-concept", 70, "regisseur", ideology=Ideology.RIGHT_WING
    )
    if new:
        created += 1
        _plan(concept, users, catalogue)
    at_advice, new = _open_case(
        fake, today, users, "case-at-advice", 90, "regisseur", ideology=Ideology.ANTI_GOVERNMENT
    )
    if new:
        created += 1
        _plan(at_advice, users, catalogue, submit=True)

    # Phasing down, with regisseur2.
    down, new = _open_case(fake, today, users, "case-phase-down", 400, "regisseur2")
    if new:
        created += 1
        _plan(down, users, catalogue, submit=True, adopt=True, accord=True)
        proposal = services.proposal_submit(
            case=down,
            actor=down.regisseur,
            kind=ProposalKind.PHASE_DOWN,
            goals_met="Dagbesteding en netwerk op orde.",
            reasoning="Stabiel sinds een half jaar.",
            handover_organisation=catalogue["Ambulante behandeling GGZ"].provider,
        )
        services.case_phase_down(case=down, actor=users["regieoverleg"], proposal=proposal)

    # Dormant: a detained minor (JJI), declared 'statisch' by the decision meeting.
    dormant, new = _open_case(
        fake, today, users, "case-dormant", 200, "regisseur", born_years_ago=16
    )
    if new:
        created += 1
        _plan(dormant, users, catalogue, submit=True, adopt=True, accord=True)
        services.subject_update(
            case=dormant,
            actor=dormant.regisseur,
            institution_kind=InstitutionKind.JJI,
            institution_name="JJI Amsterdam-Noord (fictief)",
            institution_address="Postbus 12345, 1000 AA Amsterdam",
            detained_from=today - timedelta(days=60),
            detained_until=today + timedelta(days=300),
        )
        services.case_set_dormant(
            case=dormant,
            actor=users["regieoverleg"],
            reason="Gedetineerd; geen handelingsperspectief tot vrijlating.",
        )

    # Closed with a warm handover.
    closed, new = _open_case(
        fake, today, users, "case-closed", 700, "regisseur", ideology=Ideology.LEFT_WING
    )
    if new:
        created += 1
        _plan(closed, users, catalogue, submit=True, adopt=True, accord=True)
        proposal = services.proposal_submit(
            case=closed,
            actor=closed.regisseur,
            kind=ProposalKind.CLOSURE,
            goals_met="Alle doelen behaald.",
            reasoning="Geen zorgen meer over radicalisering.",
            handover_organisation=catalogue["Ambulante behandeling GGZ"].provider,
        )
        services.case_close(
            case=closed,
            actor=users["regieoverleg"],
            reason=ClosureReason.GOALS_MET,
            handover_organisation=proposal.handover_organisation,
            proposal=proposal,
        )
    return created


def seed_directory(users) -> None:
    """The directory of attention officers and district contacts; the demo partner is in it
    with an account, so a UVO invitation reaches their Mijn werk. Idempotent by name."""
    from cases import services
    from cases.constants import DirectoryRole
    from cases.models import DirectoryEntry

    organisations = {o.code: o for o in Organisation.objects.all()}
    partner = users["partner"]
    rows = [
        (partner.get_full_name(), "SD-NIE", "Nieuw-West", DirectoryRole.DISTRICT_PROJECT_LEADER,
         partner),
        ("Aandachtsfunctionaris politie (demo)", "POL", "", DirectoryRole.ATTENTION_OFFICER, None),
        ("Aandachtsfunctionaris GGD (demo)", "GGD", "", DirectoryRole.ATTENTION_OFFICER, None),
        ("Contactpersoon WPI (demo)", "WPI", "", DirectoryRole.CONTACT, None),
    ]  # fmt: skip
    for number, (name, code, district, role, account) in enumerate(rows, start=1):
        if code not in organisations or DirectoryEntry.objects.filter(name=name).exists():
            continue
        services.directory_entry_save(
            actor=users["beheer"],
            entry=DirectoryEntry(
                name=name,
                organisation=organisations[code],
                district=district,
                role=role,
                phone=f"020-555010{number}",  # no faker call: the rest of the demo stays
                email=f"{code.lower()}@demo.ipgar.invalid",
                user=account,
            ),
        )
