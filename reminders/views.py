from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.exceptions import TransitionNotAllowed
from ipgar.accounts.constants import Role
from ipgar.accounts.permissions import require_role
from reminders import services
from reminders.constants import DeadlineKind
from reminders.deadlines import all_deadlines, deadlines_for_user
from reminders.forms import PostponementForm, ReminderSettingsForm
from reminders.models import Postponement, ReminderSettings


@login_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    """The user's own deadlines, most urgent first; overdue ones highlighted."""
    today = timezone.localdate()
    deadlines = deadlines_for_user(request.user, today, include_suspended=True)
    postponements = {
        (p.kind, p.object_type, p.object_id): p for p in Postponement.objects.filter(is_active=True)
    }
    rows = [
        {
            "deadline": d,
            "link": d.link_for(request.user.pk),
            "overdue": d.is_overdue(today),
            "soon": d.warn <= today,
            "postponement": postponements.get(d.key),
            "kind_label": DeadlineKind(d.kind).label if d.kind in DeadlineKind.values else d.kind,
        }
        for d in deadlines
    ]
    return render(request, "reminders/deadline_list.html", {"rows": rows, "today": today})


def _deadline_for(request: HttpRequest, kind: str, object_type: str, object_id: str):
    for deadline in all_deadlines(include_suspended=True):
        if (
            deadline.key == (kind, object_type, object_id)
            and request.user.pk in deadline.recipients
        ):
            return deadline
    raise Http404


@login_required
def postpone(request: HttpRequest, kind: str, object_type: str, object_id: str):
    deadline = _deadline_for(request, kind, object_type, object_id)
    form = PostponementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.postponement_record(actor=request.user, deadline=deadline, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Uitstel vastgelegd; het staat in de historie.")
            return redirect("reminders:deadline_list")
    return render(request, "reminders/postpone.html", {"deadline": deadline, "form": form})


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    config = ReminderSettings.current()
    form = ReminderSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, "Instellingen opgeslagen; de volgende ronde gebruikt ze.")
        return redirect("reminders:settings")
    history = config.history.select_related("history_user").order_by("-history_date")[:10]
    return render(request, "reminders/settings.html", {"form": form, "history": history})


@login_required
@require_POST
def postponement_lift(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a postponement: only someone the deadline concerns may do so."""
    postponement = get_object_or_404(Postponement, pk=pk, is_active=True)
    _deadline_for(request, postponement.kind, postponement.object_type, postponement.object_id)
    services.postponement_lift(postponement=postponement, actor=request.user)
    messages.success(request, "Uitstel opgeheven; de termijn telt weer.")
    return redirect("reminders:deadline_list")
