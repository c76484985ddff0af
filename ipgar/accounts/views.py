import base64
import time
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts import services
from ipgar.accounts.constants import Role
from ipgar.accounts.forms import LoginForm, OrganisationForm, TokenForm, UserForm
from ipgar.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED, second_factor_exempt
from ipgar.accounts.models import Organisation, User
from ipgar.accounts.permissions import require_role
from ipgar.lib.http import search_param


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        now = time.time()
        self.request.session[SESSION_STARTED] = now
        self.request.session[SESSION_LAST_SEEN] = now
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _qr_svg(config_url: str) -> str:
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@second_factor_exempt
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Verify the authenticator code; on first login, enrol the authenticator first."""
    if not settings.OTP_REQUIRED or request.user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Authenticator-app"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "token",
                "Te veel pogingen kort na elkaar. Wacht even en vul dan de volgende code in.",
            )
        elif device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, "Uw authenticator-app is gekoppeld.")
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            form.add_error("token", "Deze code is onjuist of verlopen. Probeer de volgende code.")
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/second_factor.html", context)


@login_not_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "U bent uitgelogd.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Functional administration: users and organisations (no case content here) -------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    users = User.objects.select_related("organisation").prefetch_related(
        Prefetch("groups", queryset=Group.objects.only("name"))
    )
    query = search_param(request, "q")
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    role = request.GET.get("rol", "")
    if role in Role.values:
        users = users.filter(groups__name=role)
    page = Paginator(users.order_by("last_name", "username"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "query": query, "role": role, "roles": Role.choices},
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            actor=request.user,
            username=data["username"],
            password=data["password"],
            organisation=data["organisation"],
            roles=data["roles"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            job_title=data["job_title"],
            phone=data["phone"],
            fte=data["fte"],
        )
        messages.success(request, f"Gebruiker {user.username} is aangemaakt.")
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "is_new": True})


@login_required
def user_update(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    user = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        roles = data.pop("roles")
        services.user_update(
            actor=request.user,
            user=user,
            roles=roles,
            **{name: data[name] for name in UserForm.Meta.fields},
        )
        messages.success(request, f"Gebruiker {user.username} is bijgewerkt.")
        return redirect("accounts:user_list")
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    history = user.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "is_new": False,
            "edited": user,
            "has_device": has_device,
            "history": history,
        },
    )


@login_required
@require_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    user = get_object_or_404(User, pk=pk)
    services.user_reset_second_factor(actor=request.user, user=user)
    messages.success(
        request,
        f"De tweede factor van {user.username} is ingetrokken; bij de volgende "
        "aanmelding koppelt de gebruiker een nieuwe authenticator-app.",
    )
    return redirect("accounts:user_update", pk=user.pk)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)

    organisations = Organisation.objects.annotate(user_count=Count("users")).order_by("name")
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    organisation = get_object_or_404(Organisation, pk=pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = services.organisation_save(actor=request.user, organisation=form.instance)
        messages.success(request, f"Organisatie {saved.name} is opgeslagen.")
        return redirect("accounts:organisation_list")
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )
