from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ipgar.accounts.models import Organisation
from meetings.selectors import bodies_for_user


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    bodies = list(
        bodies_for_user(request.user).prefetch_related(
            Prefetch("member_organisations", queryset=Organisation.objects.only("code", "name"))
        )
    )
    now = timezone.now()
    rows = [{"body": body, "next_start": body.next_start(now)} for body in bodies]
    return render(request, "meetings/body_list.html", {"rows": rows})
