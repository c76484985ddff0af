"""`make run` (bin/run-demo) starts from nothing and serves a demo a user can log in to."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(var_dir: Path, port: int) -> dict[str, str]:
    """A fresh shell: none of this test process's settings (DJANGO_SETTINGS_MODULE, DEBUG,
    SECRET_KEY, DATABASE_URL, REDIS_URL, CELERY_BROKER_URL) leak into the demo."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(var_dir)),
        "LANG": "C.UTF-8",
        "IPGAR_VAR_DIR": str(var_dir),
        "PORT": str(port),
    }


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the whole group (bash, runserver, celery), SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # children that outlived the shell
    process.wait(timeout=10)


def group_is_gone(pgid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def wait_for_login_page(process: subprocess.Popen, url: str, log: Path) -> float:
    started = time.monotonic()
    while time.monotonic() - started < STARTUP_TIMEOUT_SECONDS:
        if process.poll() is not None:
            pytest.fail(
                f"bin/run-demo stopped with {process.returncode}:\n{log.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200 and "Inloggen" in response.read().decode():
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"No login page within {STARTUP_TIMEOUT_SECONDS} s:\n{log.read_text()[-3000:]}")


def log_in(
    base_url: str, username: str, password: str
) -> tuple[str, str, urllib.request.OpenerDirector]:
    """The browser's way: fetch the form, keep the cookies, post with the CSRF token. Returns
    the opener too: it carries the session for further requests."""
    cookies = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    login_url = f"{base_url}/inloggen/"
    with opener.open(login_url, timeout=10) as response:
        assert response.status == 200
    token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(login_url, data=form, headers={"Referer": login_url})
    with opener.open(request, timeout=30) as response:  # follows the redirect after login
        return response.geturl(), response.read().decode(), opener


def test_bin_run_demo_serves_a_demo_where_the_regisseur_can_log_in(tmp_path):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "run-demo.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["bin/run-demo"],
            cwd=REPO_ROOT,
            env=demo_env(tmp_path / "var", port),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches every child
        )
    try:
        seconds = wait_for_login_page(process, f"{base_url}/inloggen/", log)
        print(f"\nbin/run-demo served the login page after {seconds:.1f} s")

        final_url, html, session = log_in(base_url, "regisseur", "ipgar-demo-2026")

        assert final_url == f"{base_url}/mijn-werk/"
        assert "<title>Mijn werk" in html
        assert 'data-testid="demo-banner"' in html
        assert (tmp_path / "var" / "ipgar.sqlite3").exists()  # its own database, not ours

        # Issue 15: the demo shows what production shows.
        with urllib.request.urlopen(f"{base_url}/inloggen/", timeout=10) as response:
            login_page = response.read().decode()
        assert "tweede factor uitgeschakeld" in login_page
        assert "code uit uw authenticator-app" not in login_page
        # Signed in: anonymous, /casussen/999999/ redirects to the login page, which urlopen
        # follows to a 200, so it never reached the 404 page this checks.
        for path in ("/bestaat-niet/", "/casussen/999999/"):
            with pytest.raises(urllib.error.HTTPError) as error:
                session.open(f"{base_url}{path}", timeout=10)
            page = error.value.read().decode()
            assert error.value.code == 404, path
            assert "<title>Niet gevonden" in page, path
            assert "URLconf" not in page and "Page not found" not in page, path
    finally:
        stop(process)
    assert group_is_gone(process.pid), "a process of the demo outlived the test"
