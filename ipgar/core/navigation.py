"""The main navigation per role: a user sees only the entries their roles open."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from ipgar.accounts.constants import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]  # empty: every signed-in user
    icon: str = ""
    group: str = ""  # entries of one group share a dropdown in the header


# The administrator's settings pages share one "Beheer" dropdown: nine entries side by side
# pushed the user's name onto a second header line at 1366 px.
ADMIN = "Beheer"
GROUP_ICONS = {ADMIN: "gear"}


# Later apps add their entries here; an entry whose URL does not exist yet is left out.
NAVIGATION: list[NavItem] = [
    NavItem("Mijn werk", "core:my_work", (), "inbox"),
    NavItem("Termijnen", "reminders:deadline_list", (), "alarm"),
    NavItem("Notificatiebrieven", "cases:letters_overview", (Role.INTAKE,), "envelope"),
    NavItem(
        "Meldingen",
        "intake:report_list",
        (Role.INTAKE, Role.POLICE_INTAKE, Role.ASSESSMENT_BOARD),
        "megaphone",
    ),
    NavItem(
        "Mijn casussen",
        "cases:case_list",
        (Role.REGISSEUR, Role.ADVISORY_MEMBER),
        "folder2-open",
    ),
    NavItem(
        "Mijn interventies",
        "cases:partner_list",
        (Role.INTERVENTION_PARTNER,),
        "person-workspace",
    ),
    NavItem(
        "Adresboek",
        "cases:directory",
        tuple(r for r in Role.values if r != Role.INTERVENTION_PARTNER),
        "person-lines-fill",
    ),
    NavItem("Caseload", "cases:caseload", (Role.COORDINATOR, Role.DECISION_MEMBER), "people"),
    NavItem(
        "Overleggen",
        "meetings:body_list",
        (
            Role.SECRETARY,
            Role.DECISION_MEMBER,
            Role.ADVISORY_MEMBER,
            Role.ASSESSMENT_BOARD,
            Role.REGISSEUR,
            # The programme team sits on the team meeting; the list shows only its own bodies.
            Role.PROGRAMME_TEAM,
        ),
        "calendar3",
    ),
    NavItem("Monitor", "monitor:dashboard", (Role.PROGRAMME_TEAM,), "bar-chart"),
    NavItem(
        "Beoordelingskader", "intake:framework_list", (Role.ADMINISTRATOR,), "ui-checks", ADMIN
    ),
    NavItem("Interventies", "cases:catalogue_list", (Role.ADMINISTRATOR,), "journal-text", ADMIN),
    NavItem("Termijninstellingen", "reminders:settings", (Role.ADMINISTRATOR,), "sliders", ADMIN),
    NavItem("Gebruikers", "accounts:user_list", (Role.ADMINISTRATOR,), "person-gear", ADMIN),
    NavItem(
        "Rollen goedkeuren",
        "accounts:role_request_list",
        (Role.ADMINISTRATOR,),
        "person-check",
        ADMIN,
    ),
    # The privacy officer's report of every role change (issue 20); for them a plain entry.
    NavItem(
        "Rolwijzigingen",
        "accounts:role_change_list",
        (Role.ADMINISTRATOR, Role.PRIVACY_OFFICER),
        "clock-history",
        ADMIN,
    ),
    NavItem("Organisaties", "accounts:organisation_list", (Role.ADMINISTRATOR,), "building", ADMIN),
    NavItem("Toegangslog", "audit:access_log", (Role.PRIVACY_OFFICER,), "shield-lock"),
    NavItem(
        "Privacy (AVG)",
        "privacy:index",
        (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR),
        "incognito",
    ),
    NavItem("Woo-verslagen", "privacy:woo_list", (Role.SECRETARY,), "file-earmark-lock"),
    NavItem(
        "Noodtoegang",
        "privacy:emergency_request",
        (Role.REGISSEUR, Role.ADVISORY_MEMBER, Role.COORDINATOR),
        "exclamation-octagon",
    ),
]


# Who gets the search box in the header: the roles that see persons, cases, reports or
# meetings. The programme team (no names), the coordinator (no case content), functional
# administration and the privacy officer would find nothing, so they get no box.
SEARCH_ROLES: tuple[str, ...] = (
    Role.INTAKE,
    Role.POLICE_INTAKE,
    Role.ASSESSMENT_BOARD,
    Role.DECISION_MEMBER,
    Role.SECRETARY,
    Role.REGISSEUR,
    Role.ADVISORY_MEMBER,
    Role.INTERVENTION_PARTNER,
)
SEARCH_URL_NAME = "search:results"


def search_url_for(user) -> str:
    """The search page's address when the user may search (and the page exists), else ''."""
    if not user.has_role(*SEARCH_ROLES):
        return ""
    try:
        return reverse(SEARCH_URL_NAME)
    except NoReverseMatch:
        return ""


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if item.roles and not user.has_role(*item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "name": item.url_name,
                "group": item.group,
            }
        )
    return items


def menu_for(user) -> list[dict]:
    """The header's menu: navigation_for(user), with the entries of a group gathered in one
    dropdown where the first of them stands (a group of one stays a plain entry)."""
    items = navigation_for(user)
    sizes: dict[str, int] = {}
    for item in items:
        sizes[item["group"]] = sizes.get(item["group"], 0) + 1
    menu: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        group = item["group"]
        if not group or sizes[group] < 2:
            menu.append(item)
            continue
        if group not in groups:
            groups[group] = {"label": group, "icon": GROUP_ICONS.get(group, ""), "children": []}
            menu.append(groups[group])
        groups[group]["children"].append(item)
    for entry in groups.values():
        entry["names"] = [child["name"] for child in entry["children"]]
    return menu
