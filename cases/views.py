from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases import services
from cases.constants import InterventionCategory
from cases.forms import CatalogueEntryForm
from cases.models import CatalogueEntry
from ipgar.accounts.constants import Role
from ipgar.accounts.permissions import require_role


@login_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    entries = CatalogueEntry.objects.select_related("provider").order_by("category", "name")
    category = request.GET.get("categorie", "")
    if category in InterventionCategory.values:
        entries = entries.filter(category=category)
    return render(
        request,
        "cases/catalogue_list.html",
        {"entries": entries, "category": category, "categories": InterventionCategory.choices},
    )


@login_required
def catalogue_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    entry = get_object_or_404(CatalogueEntry, pk=pk) if pk else None
    form = CatalogueEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        saved = services.catalogue_entry_save(actor=request.user, entry=form.instance)
        messages.success(request, f"Interventie ‘{saved.name}’ is opgeslagen.")
        return redirect("cases:catalogue_list")
    return render(request, "cases/catalogue_form.html", {"form": form, "entry": entry})
