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
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts import second_factor as second_factor_service
from ipgar.accounts import services
from ipgar.accounts.constants import Role
from ipgar.accounts.forms import ActivationForm, LoginForm, OrganisationForm, TokenForm, UserForm
from ipgar.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED, second_factor_exempt
from ipgar.accounts.models import ActivationCode, Organisation, RoleChange, User
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


ENROL_DEVICE_KEY = "ipgar_enrol_device"
ENROL_CODE_KEY = "ipgar_enrol_activation"
RECOVERY_CODES_KEY = "ipgar_recovery_codes"


@second_factor_exempt
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Verify the authenticator code (or a recovery code); on first login, enrol the
    authenticator after the activation code, with a fresh secret for every attempt."""
    if not settings.OTP_REQUIRED or request.user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return _enrol(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_recovery_code:
            recovery = second_factor_service.recovery_code_use(
                user=request.user, code=form.cleaned_data["token"]
            )
            if recovery is not None:
                otp_login(request, recovery)
                messages.warning(request, "U bent ingelogd met een herstelcode; die is nu op.")
                return redirect(_safe_next(request))
            form.add_error("token", "Deze herstelcode is onjuist of al gebruikt.")
        else:
            _verify(request, form, device)
            if not form.errors:
                otp_login(request, device)
                return redirect(_safe_next(request))
    context = {"form": form, "enrolling": False, "next": _safe_next(request)}
    return render(request, "accounts/second_factor.html", context)


def _verify(request: HttpRequest, form: TokenForm, device: TOTPDevice) -> None:
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        form.add_error(
            "token", "Te veel pogingen kort na elkaar. Wacht even en vul dan de volgende code in."
        )
    elif not device.verify_token(form.cleaned_data["token"]):
        form.add_error("token", "Deze code is onjuist of verlopen. Probeer de volgende code.")


def _enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = None
    if request.session.get(ENROL_CODE_KEY):
        code = ActivationCode.objects.filter(
            pk=request.session[ENROL_CODE_KEY],
            user=user,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).first()
    if code is None:
        form = ActivationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            code = second_factor_service.activation_code_check(
                user=user, code=form.cleaned_data["activation_code"]
            )
            if code is not None:
                request.session[ENROL_CODE_KEY] = code.pk
                return redirect(request.get_full_path())
            form.add_error(
                "activation_code",
                "Deze activeringscode is onjuist, verlopen of al gebruikt. Vraag functioneel "
                "beheer om een nieuwe.",
            )
        return render(
            request,
            "accounts/second_factor.html",
            {"form": form, "activating": True, "next": _safe_next(request)},
        )
    device = TOTPDevice.objects.filter(
        pk=request.session.get(ENROL_DEVICE_KEY), user=user, confirmed=False
    ).first()
    form = TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        _verify(request, form, device)
        if not form.errors:
            codes = second_factor_service.enrolment_confirm(device=device, code=code)
            for key in (ENROL_CODE_KEY, ENROL_DEVICE_KEY):
                request.session.pop(key, None)
            otp_login(request, device)
            request.session[RECOVERY_CODES_KEY] = codes
            messages.success(request, "Uw authenticator-app is gekoppeld.")
            return redirect(
                reverse("accounts:recovery_codes") + "?" + urlencode({"next": _safe_next(request)})
            )
    elif request.method == "POST" and device is None:
        form.add_error(None, "Begin opnieuw: scan de nieuwe code.")
    if request.method == "GET" or device is None:
        # A fresh secret for every attempt, bound to this session.
        device = second_factor_service.enrolment_start(user=user)
        request.session[ENROL_DEVICE_KEY] = device.pk
    context = {
        "form": form,
        "enrolling": True,
        "next": _safe_next(request),
        "qr_svg": _qr_svg(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/second_factor.html", context)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once right after enrolment."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    if not codes:
        return redirect(_safe_next(request))
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _safe_next(request)}
    )


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
        {
            "page": page,
            "query": query,
            "role": role,
            "roles": Role.choices,
            "pending_count": services.role_requests_pending().count(),
        },
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
        if user.is_active:
            messages.success(request, f"Gebruiker {user.username} is aangemaakt.")
        else:
            messages.warning(
                request,
                f"Gebruiker {user.username} is aangemaakt en wordt actief zodra een andere "
                "functioneel beheerder de rollen heeft goedgekeurd.",
            )
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
        try:
            saved = services.user_update(
                actor=request.user,
                user=user,
                roles=roles,
                **{name: data[name] for name in UserForm.Meta.fields},
            )
        except services.AccountRefused as error:
            form.add_error(None, error.message)
        else:
            if data["is_active"] and not saved.is_active:
                messages.warning(
                    request,
                    f"Gebruiker {saved.username} is bijgewerkt. Het account heeft een rol die "
                    "toegang geeft tot casussen, het toegangslog of het beheer; het wordt weer "
                    "actief zodra een andere functioneel beheerder dat heeft goedgekeurd onder "
                    "Rollen goedkeuren.",
                )
                return redirect("accounts:user_list")
            pending = services.role_requests_pending().filter(user=user).exists()
            messages.success(
                request,
                f"Gebruiker {user.username} is bijgewerkt."
                + (" Nieuwe rollen wachten op goedkeuring." if pending else ""),
            )
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
def user_activation_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue an activation code for second-factor enrolment; shown this once."""
    require_role(request.user, Role.ADMINISTRATOR)
    user = get_object_or_404(User, pk=pk)
    code = second_factor_service.activation_code_issue(user=user, actor=request.user)
    response = render(request, "accounts/activation_code.html", {"edited": user, "code": code})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    user = get_object_or_404(User, pk=pk)
    services.user_reset_second_factor(actor=request.user, user=user)
    messages.success(
        request,
        f"De tweede factor van {user.username} is ingetrokken en de gebruiker is ingelicht; "
        "met een nieuwe activeringscode koppelt de gebruiker een nieuwe authenticator-app.",
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


# --- Separation of duties: a second administrator approves privileged roles ------------------


@login_required
def role_request_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    pending = list(services.role_requests_pending())
    return render(request, "accounts/role_request_list.html", {"pending": pending})


@login_required
@require_POST
def role_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    role_request = get_object_or_404(services.role_requests_pending(), pk=pk)
    approve = request.POST.get("besluit") == "goedkeuren"
    try:
        services.role_request_decide(role_request=role_request, approve=approve, actor=request.user)
    except services.AccountRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Rollen van {role_request.user.username} "
            + ("goedgekeurd." if approve else "afgewezen."),
        )
    return redirect("accounts:role_request_list")


@login_required
def role_change_list(request: HttpRequest) -> HttpResponse:
    """The privacy officer's report of every role change that took effect."""
    require_role(request.user, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
    changes = RoleChange.objects.select_related("user", "changed_by", "approved_by")
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/role_change_list.html", {"page": page})
