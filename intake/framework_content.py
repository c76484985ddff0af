"""The two seeded versions of the assessment framework (beoordelingskader).

2016: jihadism only. 2019: all ideologies (the approach widened in 2019). A functional
administrator maintains later versions in the application.
"""

from intake.constants import Ideology, QuestionKind

YES_NO_UNKNOWN = ["Ja", "Nee", "Onbekend"]

# (section title, [(question, help text, kind, choices, required)])
SECTIONS_2019 = [
    (
        "Aanleiding en informatiebeeld",
        [
            (
                "Wat is de directe aanleiding van de melding?",
                "Beschrijf feiten, geen duiding.",
                QuestionKind.TEXT,
                [],
                True,
            ),
            (
                "Welke bronnen zijn geraadpleegd?",
                "Politie, partners, open bronnen, melder.",
                QuestionKind.MULTIPLE,
                [
                    "Politiesystemen",
                    "Partnerorganisaties",
                    "Open bronnen",
                    "Melder",
                    "Netwerk van de persoon",
                ],
                True,
            ),
            ("Hoe betrouwbaar is het informatiebeeld?", "", QuestionKind.SCALE, [], True),
        ],
    ),
    (
        "Ideologie en gedrag",
        [
            (
                "Welke ideologische oriëntatie is zichtbaar?",
                "Sinds 2019 alle vormen van extremisme.",
                QuestionKind.CHOICE,
                [label for _, label in Ideology.choices],
                True,
            ),
            (
                "Uit de persoon zich in woord of beeld over geweld als middel?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                True,
            ),
            (
                "Is er sprake van (online) verspreiding van extremistisch materiaal?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                True,
            ),
            (
                "Zijn er signalen van uitreisplannen of contacten in conflictgebieden?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                True,
            ),
            (
                "Is er sprake van anti-overheidsdenken (soevereinen, complotdenken)?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                False,
            ),
        ],
    ),
    (
        "Netwerk en omgeving",
        [
            (
                "Maakt de persoon deel uit van een extremistisch netwerk?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                True,
            ),
            (
                "Welke beschermende factoren zijn er?",
                "Familie, werk, school, hulpverlening.",
                QuestionKind.TEXT,
                [],
                False,
            ),
            ("Welke risicofactoren zijn er?", "", QuestionKind.TEXT, [], True),
        ],
    ),
    (
        "Weging",
        [
            (
                "Hoe groot is de zorg over radicalisering?",
                "1 = nauwelijks, 5 = zeer groot.",
                QuestionKind.SCALE,
                [],
                True,
            ),
            (
                "Hoe groot is het veiligheidsrisico?",
                "1 = nauwelijks, 5 = zeer groot.",
                QuestionKind.SCALE,
                [],
                True,
            ),
        ],
    ),
]

SECTIONS_2016 = [
    (
        "Aanleiding",
        [
            ("Wat is de directe aanleiding van de melding?", "", QuestionKind.TEXT, [], True),
        ],
    ),
    (
        "Jihadistische radicalisering",
        [
            (
                "Zijn er signalen van jihadistische ideologie?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                True,
            ),
            (
                "Zijn er signalen van uitreisplannen naar Syrië of Irak?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                True,
            ),
            (
                "Heeft de persoon contact met uitreizigers of terugkeerders?",
                "",
                QuestionKind.CHOICE,
                YES_NO_UNKNOWN,
                True,
            ),
        ],
    ),
    (
        "Weging",
        [
            ("Hoe groot is de zorg over radicalisering?", "", QuestionKind.SCALE, [], True),
        ],
    ),
]

VERSIONS = [
    (
        "2016",
        "Beoordelingskader jihadisme",
        "Versie uit de Handreiking 2016: alleen jihadisme.",
        [Ideology.JIHADIST],
        SECTIONS_2016,
        False,
    ),
    (
        "2019",
        "Beoordelingskader radicalisering (alle ideologieën)",
        "Verbreed in 2019: jihadisme, rechts-, links-, single-issue- en anti-overheidsextremisme.",
        [
            Ideology.JIHADIST,
            Ideology.RIGHT_WING,
            Ideology.LEFT_WING,
            Ideology.SINGLE_ISSUE,
            Ideology.ANTI_GOVERNMENT,
        ],
        SECTIONS_2019,
        True,
    ),
]


def seed_frameworks(FrameworkVersion, FrameworkSection, FrameworkQuestion) -> None:
    """Idempotent; takes model classes so a data migration can pass its historical models."""
    for version, name, description, ideologies, sections, current in VERSIONS:
        framework, created = FrameworkVersion.objects.get_or_create(
            version=version,
            defaults={
                "name": name,
                "description": description,
                "ideologies": [str(i) for i in ideologies],
                "is_current": current,
            },
        )
        if not created:
            continue
        for s_order, (title, questions) in enumerate(sections, start=1):
            section = FrameworkSection.objects.create(version=framework, order=s_order, title=title)
            for q_order, (text, help_text, kind, choices, required) in enumerate(
                questions, start=1
            ):
                FrameworkQuestion.objects.create(
                    section=section,
                    order=q_order,
                    text=text,
                    help_text=help_text,
                    kind=str(kind),
                    choices=[str(c) for c in choices],
                    required=required,
                )
