"""The privacy part of `seed_demo`: a list waiting for the privacy officer, an expired
emergency grant, an open access request and a Woo setting; loading twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import EmergencyAccess
from privacy.constants import DestructionListStatus
from privacy.models import AccessRequest, DestructionList, WooRedaction


def counts() -> dict[str, int]:
    return {
        "lists": DestructionList.objects.count(),
        "items": DestructionList.objects.values("items").count(),
        "grants": EmergencyAccess.objects.count(),
        "requests": AccessRequest.objects.count(),
        "woo": WooRedaction.objects.count(),
    }


@pytest.mark.django_db
def test_the_demo_shows_every_privacy_feature_and_loads_twice_without_duplicates():
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    destruction_list = DestructionList.objects.get()
    assert destruction_list.status == DestructionListStatus.PROPOSED
    assert destruction_list.admin_approved_by.username == "beheer"
    assert destruction_list.privacy_approved_by is None
    # The privacy demo's own old report, and the monitor history's reports without admission
    # older than a year: only reports are due (no case in the demo closed five years ago).
    kinds = [i.kind for i in destruction_list.items.all()]
    assert kinds and set(kinds) == {"melding"}
    grant = EmergencyAccess.objects.get()
    assert grant.user.username == "regisseur2" and not grant.is_active()
    assert AccessRequest.objects.get().subject.last_name == "el Amrani"
    assert first["woo"] == 1
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
