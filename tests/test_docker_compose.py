"""docker-compose.yml and the Dockerfile point at code, commands and settings that exist.

No Docker engine runs here, so these tests read both files and hold them against the project:
a renamed module, a removed management command or a misspelt variable fails here rather than
in a container that will not start.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SETTINGS_FILE = ROOT / "ipgar" / "settings.py"

ONE_SHOT_SERVICES = frozenset({"migrate"})
DEPENDS_ON_CONDITIONS = frozenset(
    {"service_started", "service_healthy", "service_completed_successfully"}
)

# The environment variables that ipgar/settings.py reads (env.str("NAME"), env.db("NAME"), ...).
SETTINGS_ENV_NAMES = frozenset(
    {
        "ALLOWED_HOSTS",
        "AXES_ENABLED",
        "CACHE_URL",
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_VISIBILITY_TIMEOUT",
        "CONN_MAX_AGE",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "DEBUG",
        "DEFAULT_FROM_EMAIL",
        "EMAIL_URL",
        "LOG_LEVEL",
        "MONITOR_K",
        "OTP_REQUIRED",
        "PRIVATE_MEDIA_ROOT",
        "PROXY_COUNT",
        "REDIS_URL",
        "SECRET_KEY",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SITE_URL",
        "STATIC_ROOT",
        "TIME_ZONE",
    }
)
# Read by Django itself (manage.py, wsgi.py, celery.py), not by the settings.
ENV_NAMES_READ_OUTSIDE_SETTINGS = frozenset({"DJANGO_SETTINGS_MODULE"})


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def parse_dockerfile(text: str) -> list[Instruction]:
    """The Dockerfile's instructions, with continuation lines joined and comments dropped."""
    instructions: list[Instruction] = []
    logical = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical += stripped
        keyword, _, arguments = logical.partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
        logical = ""
    return instructions


def exec_or_shell_form(arguments: str) -> list[str]:
    """CMD ["a", "b"] (exec form) or CMD a b (shell form) as an argument list."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return ["sh", "-c", arguments]


def program_argv(command: str | list[str]) -> list[str]:
    """The argv of the program a command runs, looking through `sh -c "exec ..."`."""
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if len(argv) == 3 and argv[0] in {"sh", "/bin/sh", "bash"} and argv[1] == "-c":
        argv = shlex.split(argv[2])
    if argv and argv[0] == "exec":
        argv = argv[1:]
    return argv


def option_value(argv: list[str], *names: str) -> str | None:
    for index, argument in enumerate(argv):
        if argument in names and index + 1 < len(argv):
            return argv[index + 1]
        for name in names:
            if name.startswith("--") and argument.startswith(name + "="):
                return argument.split("=", 1)[1]
    return None


def healthcheck_test_text(healthcheck: dict[str, Any]) -> str:
    test = healthcheck["test"]
    return test if isinstance(test, str) else " ".join(test)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def app_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The services that run this project's image (built from the Dockerfile)."""
    return {name: service for name, service in services.items() if "build" in service}


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return parse_dockerfile(DOCKERFILE.read_text())


@pytest.fixture(scope="module")
def image_cmd(dockerfile: list[Instruction]) -> list[str]:
    cmds = [instruction for instruction in dockerfile if instruction.keyword == "CMD"]
    assert cmds, "the Dockerfile has no CMD"
    return exec_or_shell_form(cmds[-1].arguments)


@pytest.fixture(scope="module")
def image_healthcheck(dockerfile: list[Instruction]) -> list[str]:
    checks = [instruction for instruction in dockerfile if instruction.keyword == "HEALTHCHECK"]
    assert checks, "the Dockerfile has no HEALTHCHECK"
    _, separator, command = checks[-1].arguments.partition("CMD ")
    assert separator, f"HEALTHCHECK without CMD: {checks[-1].arguments}"
    return exec_or_shell_form(command.strip())


def test_the_compose_file_has_the_production_services(services: dict[str, Any]) -> None:
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= services.keys()


def test_every_service_has_a_healthcheck_or_is_the_one_shot_migrate(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        if name in ONE_SHOT_SERVICES:
            assert service.get("restart", "no") == "no", f"{name} is one-shot, never restarted"
            continue
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"service {name} has no healthcheck"
        assert not healthcheck.get("disable"), f"service {name} disables its healthcheck"
        assert healthcheck.get("test"), f"service {name}'s healthcheck tests nothing"


def test_every_service_command_points_at_code_that_exists(
    app_services: dict[str, dict[str, Any]], image_cmd: list[str]
) -> None:
    known_commands = get_commands()
    assert app_services, "no service is built from the Dockerfile"
    for name, service in app_services.items():
        argv = program_argv(service.get("command", image_cmd))
        program = argv[0]
        if program == "gunicorn":
            target = next(argument for argument in argv[1:] if not argument.startswith("-"))
            module_name, _, attribute = target.partition(":")
            module = importlib.import_module(module_name)
            assert hasattr(module, attribute or "application"), f"{name}: {target} is missing"
        elif program == "celery":
            app_name = option_value(argv, "-A", "--app")
            assert app_name == "ipgar", f"{name}: celery runs app {app_name!r}"
            celery_module = importlib.import_module(f"{app_name}.celery")
            assert hasattr(celery_module, "app"), f"{name}: {app_name}.celery has no app"
            assert {"worker", "beat"} & set(argv), f"{name}: celery runs neither worker nor beat"
        elif program == "python" and argv[1:2] == ["manage.py"]:
            assert (ROOT / "manage.py").is_file()
            assert argv[2] in known_commands, f"{name}: no management command {argv[2]!r}"
        else:
            pytest.fail(f"service {name} runs {argv!r}, which this test does not know to check")


def test_the_image_runs_gunicorn_on_port_8000_with_configurable_workers(
    image_cmd: list[str], dockerfile: list[Instruction]
) -> None:
    argv = program_argv(image_cmd)
    assert argv[0] == "gunicorn"
    assert "ipgar.wsgi:application" in argv
    assert option_value(argv, "--bind", "-b") == "0.0.0.0:8000"
    # Workers and threads come from the config file, which the environment can override.
    assert "--config=gunicorn.conf.py" in argv
    config = (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    assert "GUNICORN_WORKERS" in config and "GUNICORN_THREADS" in config
    assert any(i.keyword == "EXPOSE" and "8000" in i.arguments.split() for i in dockerfile)


def test_the_dockerfile_healthcheck_and_cmd_name_the_health_endpoint_and_the_wsgi_app(
    image_healthcheck: list[str], image_cmd: list[str]
) -> None:
    assert "/health/" in " ".join(image_healthcheck)
    assert "ipgar.wsgi" in " ".join(image_cmd)


def test_the_web_healthcheck_asks_the_health_endpoint_over_loopback(
    services: dict[str, dict[str, Any]],
) -> None:
    assert "http://127.0.0.1:8000/health/" in healthcheck_test_text(services["web"]["healthcheck"])


def test_python_one_liners_in_healthchecks_are_valid_python(
    services: dict[str, dict[str, Any]], image_healthcheck: list[str]
) -> None:
    commands = [image_healthcheck] + [
        service["healthcheck"]["test"]
        for service in services.values()
        if isinstance(service.get("healthcheck", {}).get("test"), list)
    ]
    one_liners = [
        command[command.index("-c") + 1]
        for command in commands
        if "python" in command and "-c" in command
    ]
    assert one_liners
    for source in one_liners:
        compile(source, "<healthcheck>", "exec")


def test_every_django_settings_module_named_anywhere_imports() -> None:
    text = DOCKERFILE.read_text() + "\n" + COMPOSE_FILE.read_text()
    modules = set(re.findall(r"DJANGO_SETTINGS_MODULE[\"']?\s*[=:]\s*[\"']?([\w.]+)", text))
    assert modules, "neither the Dockerfile nor the compose file sets DJANGO_SETTINGS_MODULE"
    for module in modules:
        importlib.import_module(module)


def test_every_env_var_compose_gives_the_app_is_one_the_settings_read(
    app_services: dict[str, dict[str, Any]],
) -> None:
    settings_text = SETTINGS_FILE.read_text()
    for name, service in app_services.items():
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.partition("=")[::2] for item in environment)
        for key in environment:
            if key in ENV_NAMES_READ_OUTSIDE_SETTINGS:
                continue
            assert key in SETTINGS_ENV_NAMES, f"{name} sets {key}, which the settings do not read"
            assert f'"{key}"' in settings_text, f"ipgar/settings.py no longer reads {key}"


def test_the_list_of_settings_env_names_holds_only_names_the_settings_read() -> None:
    settings_text = SETTINGS_FILE.read_text()
    missing = {name for name in SETTINGS_ENV_NAMES if f'"{name}"' not in settings_text}
    assert not missing, f"ipgar/settings.py does not read {sorted(missing)}"


def test_the_app_services_read_env_file_and_reach_postgres_and_redis_in_compose(
    app_services: dict[str, dict[str, Any]],
) -> None:
    for name, service in app_services.items():
        env_files = service.get("env_file")
        assert env_files == ".env" or ".env" in (env_files or []), f"{name} does not read .env"
        environment = service["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://ipgar:")
        assert environment["DATABASE_URL"].endswith("@db:5432/ipgar")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert str(environment["DEBUG"]).lower() == "false"


def test_depends_on_conditions_refer_to_defined_services(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        if isinstance(depends_on, list):
            depends_on = {dependency: {} for dependency in depends_on}
        for dependency, options in depends_on.items():
            assert dependency in services, f"{name} depends on undefined service {dependency}"
            condition = options.get("condition", "service_started")
            assert condition in DEPENDS_ON_CONDITIONS, f"{name}: unknown condition {condition}"
            if condition == "service_healthy":
                assert services[dependency].get("healthcheck", {}).get("test"), (
                    f"{name} waits for {dependency} to be healthy, which has no healthcheck"
                )
            if condition == "service_completed_successfully":
                assert dependency in ONE_SHOT_SERVICES, f"{name} waits for {dependency} to exit"


def test_the_app_waits_for_migrations_and_a_healthy_broker(
    services: dict[str, dict[str, Any]],
) -> None:
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def named_volumes(service: dict[str, Any]) -> dict[str, str]:
    """The named volumes a service mounts, as {volume: path in the container}."""
    mounts: dict[str, str] = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type", "volume") == "volume" and volume.get("source"):
                mounts[volume["source"]] = volume["target"]
            continue
        source, _, rest = volume.partition(":")
        if rest and not source.startswith(("/", ".", "~", "$")):
            mounts[source] = rest.split(":")[0]
    return mounts


def test_named_volumes_used_are_declared(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        undeclared = set(named_volumes(service)) - declared
        assert not undeclared, f"{name} mounts undeclared volumes {sorted(undeclared)}"


def test_web_and_worker_share_the_private_media_volume_at_private_media_root(
    services: dict[str, dict[str, Any]],
) -> None:
    web, worker = services["web"], services["worker"]
    path = web["environment"]["PRIVATE_MEDIA_ROOT"]
    assert worker["environment"]["PRIVATE_MEDIA_ROOT"] == path
    web_volumes = {volume for volume, target in named_volumes(web).items() if target == path}
    worker_volumes = {volume for volume, target in named_volumes(worker).items() if target == path}
    assert web_volumes and web_volumes == worker_volumes
