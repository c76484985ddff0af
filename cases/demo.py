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
