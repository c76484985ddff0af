"""Production settings pass Django's deployment checks, and refuse what may never ship."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """What an operator sets, and nothing from this test process (no DATABASE_URL: SQLite)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "ipgar.settings",
        "IPGAR_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "ALLOWED_HOSTS": "ipgar.example.nl",
    }


def manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_check_deploy_with_nothing_silenced(production_env):
    assert len(production_env["SECRET_KEY"]) == 64

    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_on_a_weak_secret_key(production_env):
    # The counterpart of the test above: the same command does fail on a warning.
    production_env["SECRET_KEY"] = "kort"

    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_check_deploy_refuses_the_second_factor_off_in_production(production_env):
    production_env["OTP_REQUIRED"] = "false"

    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "ipgar.E001" in result.stderr


def test_startup_fails_without_a_secret_key_when_debug_is_off(production_env):
    del production_env["SECRET_KEY"]

    result = manage(production_env, "check")

    assert result.returncode != 0
    assert "SECRET_KEY is verplicht wanneer DEBUG uit staat." in result.stderr


def test_collectstatic_with_the_production_storage_succeeds(production_env, tmp_path):
    # What the Dockerfile runs. The manifest storage follows every url() and sourceMappingURL in
    # the CSS and JS it collects; a vendored file pointing at a map we do not ship fails here,
    # not in the image build or on the benchmark's server.
    production_env["STATIC_ROOT"] = str(tmp_path / "static")

    result = manage(production_env, "collectstatic", "--noinput", "-v0")

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "vendor" / "chartjs").glob("chart.umd.*.js"))
