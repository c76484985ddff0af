from django.db import transaction

from cases.models import CatalogueEntry
from ipgar.accounts.models import User


@transaction.atomic
def catalogue_entry_save(*, actor: User, entry: CatalogueEntry) -> CatalogueEntry:
    entry._history_user = actor
    entry.save()
    return entry
