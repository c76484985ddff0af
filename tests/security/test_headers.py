"""Response headers and cookie settings (issue 8, hardening; OWASP ASVS V14.4)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.cases.factories import CaseFactory
from tests.ipgar.test_deploy_check import manage, production_env  # noqa: F401 (fixture)
from tests.personas import signed_in

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint or sent as e-mail, never served to a browser under our CSP.
NOT_BROWSER_PAGES = ("emails", "letters", "pdf")

pytestmark = pytest.mark.django_db


def assert_hardened(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_a_page_with_person_data_is_hardened_and_never_cached(client):
    case = CaseFactory()
    signed_in(client, case.regisseur)

    response = client.get(f"/casussen/{case.pk}/", secure=True)

    assert response.status_code == 200
    assert case.subject.last_name in response.content.decode()
    assert_hardened(response)
    assert response["Cache-Control"] == "no-store"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_login_page_is_hardened_too(client):
    response = client.get("/inloggen/", secure=True)

    assert response.status_code == 200
    assert_hardened(response)
    assert "Strict-Transport-Security" in response


def test_an_htmx_fragment_and_a_pdf_download_are_not_cached(client):
    case = CaseFactory()
    signed_in(client, case.regisseur)

    fragment = client.get(
        f"/casussen/{case.pk}/", headers={"HX-Request": "true", "HX-Target": "logboek"}
    )

    assert fragment.status_code == 200
    assert fragment["Cache-Control"] == "no-store"


def _browser_templates() -> list[Path]:
    return [
        path
        for path in TEMPLATES.rglob("*.html")
        if not set(path.relative_to(TEMPLATES).parts) & set(NOT_BROWSER_PAGES)
    ]


def test_no_template_served_to_a_browser_has_inline_script_style_or_handlers():
    offenders = []
    for path in _browser_templates():
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",  # an inline script block
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",  # onclick=, onchange=, ...
            r"\shx-on",  # htmx inline handlers are evaluated script
            r"javascript:",
        ):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert _browser_templates(), "no templates found"
    assert offenders == []


def test_production_cookies_are_secure_httponly_and_samesite(production_env):  # noqa: F811
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "DEBUG",
    ]
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )

    result = manage(production_env, "shell", "-c", code)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }
