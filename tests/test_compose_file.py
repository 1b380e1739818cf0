"""docker-compose.yml and the Dockerfiles: ordering, health, exposure, pins; no system needed."""
import json
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
SERVICES = yaml.safe_load(COMPOSE_TEXT)["services"]
# Every deployable part has services/<name>/pyproject.toml; the Nameko services share
# services/Dockerfile, a part with a Dockerfile of its own (the gateway) is none.
PARTS = sorted(path.parent.name for path in (ROOT / "services").glob("*/pyproject.toml"))
NAMEKO = [name for name in PARTS if not (ROOT / "services" / name / "Dockerfile").exists()]
# The Nameko services share one Dockerfile (build argument SERVICE); the gateway has its own.
SERVICE_DOCKERFILE = "services/Dockerfile"
DOCKERFILES = {name: ROOT / (SERVICE_DOCKERFILE if name in NAMEKO
                             else f"services/{name}/Dockerfile") for name in PARTS}


def build_args(name: str) -> dict[str, str]:
    """The build arguments compose passes for part ``name``."""
    return SERVICES[name]["build"].get("args", {})


def instructions(dockerfile: Path, args: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, ``args`` expanded."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    for key, value in (args or {}).items():
        text = text.replace(f"${{{key}}}", value).replace(f"${key}", value)
    lines = [line.strip() for line in text.splitlines()]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1])
            for line in lines if line and not line.startswith("#")]


def part_steps(name: str) -> list[tuple[str, str]]:
    """The instructions that build part ``name``'s image, with its build arguments."""
    return instructions(DOCKERFILES[name], build_args(name))


def cmd(name: str) -> list[str]:
    """What part ``name``'s image runs; a ``sh -c "exec ..."`` with its ENV expanded."""
    steps = part_steps(name)
    command = json.loads([args for kind, args in steps if kind == "CMD"][-1])
    if command[:2] != ["sh", "-c"]:
        return command
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(args for kind, args in steps
                                                  if kind == "ENV")))
    words = shlex.split(re.sub(r"\$\{(\w+)\}", lambda match: env[match[1]], command[2]))
    assert words[0] == "exec"  # the service becomes PID 1 and gets the stop signal
    return words[1:]


def console_scripts() -> set[str]:
    scripts = set()
    for pyproject in [ROOT / "libs/common/pyproject.toml",
                      *(ROOT / "services").glob("*/pyproject.toml")]:
        scripts |= set(tomllib.loads(pyproject.read_text())["project"].get("scripts", {}))
    return scripts


def test_services_and_compose_agree():
    assert set(NAMEKO) == {"appointments", "permits", "profile", "notifications", "statistics"}
    assert "gateway" in PARTS
    for name in NAMEKO:
        assert (ROOT / "services" / name / f"loket_{name}").is_dir(), name
    for name in PARTS:
        build = SERVICES[name]["build"]
        if name in NAMEKO:
            assert build == {"context": ".", "dockerfile": SERVICE_DOCKERFILE,
                             "args": {"SERVICE": name}}
        else:
            assert build == {"context": ".", "dockerfile": f"services/{name}/Dockerfile"}
    for name, service in SERVICES.items():
        if "build" in service:
            assert (ROOT / service["build"]["dockerfile"]).exists(), name
            if service["build"]["dockerfile"] == SERVICE_DOCKERFILE:  # jobs too
                assert service["build"]["args"]["SERVICE"] in NAMEKO, name


def test_the_service_dockerfile_needs_its_service_argument():
    steps = instructions(ROOT / SERVICE_DOCKERFILE)
    assert steps[1] == ("ARG", "SERVICE")
    assert steps[2][0] == "RUN" and steps[2][1].startswith('test -n "$SERVICE"')
    assert not (ROOT / "services" / "appointments" / "Dockerfile").exists()  # no copies


def test_long_running_parts_restart_and_start_in_order():
    for name in [*PARTS, "rabbitmq", "mongo", "notifications-bounces", "mailpit"]:
        assert SERVICES[name]["restart"] == "unless-stopped", name
    for name in NAMEKO:
        needs = SERVICES[name]["depends_on"]
        assert needs["rabbitmq"] == {"condition": "service_healthy"}
        assert needs["mongo"] == {"condition": "service_healthy"}
        assert needs["topology"] == {"condition": "service_completed_successfully"}
    gateway_needs = SERVICES["gateway"]["depends_on"]
    for name in NAMEKO:
        assert gateway_needs[name] == {"condition": "service_healthy"}
    for name, service in SERVICES.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert condition["condition"] in (
                "service_healthy", "service_completed_successfully"), (name, dependency)


def test_everything_waited_for_has_a_healthcheck():
    for name in ("rabbitmq", "mongo", "notifications-bounces", "mailpit"):
        assert SERVICES[name]["healthcheck"]["test"][0] == "CMD"
    for name in DOCKERFILES:
        assert any(kind == "HEALTHCHECK" for kind, _ in part_steps(name)), name
    (check,) = [args for kind, args in instructions(ROOT / SERVICE_DOCKERFILE)
                if kind == "HEALTHCHECK"]
    assert "os.environ['LOKET_SERVICE']).health()" in check  # the image's own service


def test_one_shot_jobs_run_declared_console_scripts_and_every_seed():
    jobs = {name: service for name, service in SERVICES.items()
            if service.get("restart") == "no"}
    commands = {service["command"][0] for service in jobs.values()}
    assert commands <= console_scripts()
    assert "loket-declare-topology" in commands
    assert {script for script in console_scripts() if script.endswith("-seed")} <= commands
    assert SERVICES["topology"]["command"] == ["loket-declare-topology", "/app/topology.yml"]
    assert SERVICES["topology"]["build"] == SERVICES["appointments"]["build"]
    assert ("COPY", "deploy/topology.yml /app/topology.yml") in part_steps("appointments")


def test_only_the_gateway_and_management_ui_are_published_on_loopback():
    published = {name: service["ports"] for name, service in SERVICES.items()
                 if "ports" in service}
    assert published == {"gateway": ["127.0.0.1:8000:8000"],
                         "rabbitmq": ["127.0.0.1:15672:15672"],
                         "mailpit": ["127.0.0.1:8025:8025"]}  # the dev catcher's web UI
    assert SERVICES["gateway"]["environment"]["GATEWAY_BIND"] == "0.0.0.0:8000"


def test_mongo_is_a_replica_set_and_services_use_it():
    mongo = SERVICES["mongo"]
    assert mongo["command"][:2] == ["--replSet", "rs0"]
    assert "rs.initiate" in " ".join(mongo["healthcheck"]["test"])
    for name in NAMEKO:
        uri = SERVICES[name]["environment"]["MONGO_URI"]
        assert uri.startswith("mongodb://mongo:27017/") and "replicaSet=rs0" in uri
        assert "retryWrites=false" not in uri  # real MongoDB keeps retryable writes


def test_state_lives_in_named_volumes_and_rabbitmq_keeps_its_node_name():
    volumes = yaml.safe_load(COMPOSE_TEXT)["volumes"]
    for name in ("rabbitmq", "mongo"):
        for mount in SERVICES[name]["volumes"]:
            assert mount.split(":")[0] in volumes, mount
    # RabbitMQ stores data per node name (rabbit@hostname): stable across re-creation.
    assert SERVICES["rabbitmq"]["hostname"] == "rabbitmq"


def test_credentials_come_from_the_environment_and_env_example_lists_them():
    rabbit = SERVICES["rabbitmq"]["environment"]
    assert rabbit["RABBITMQ_DEFAULT_USER"].startswith("${RABBITMQ_USER:?")
    assert rabbit["RABBITMQ_DEFAULT_PASS"].startswith("${RABBITMQ_PASSWORD:?")
    for name in [*NAMEKO, "gateway"]:
        uri = SERVICES[name]["environment"]["AMQP_URI"]
        assert "${RABBITMQ_USER:?" in uri and "${RABBITMQ_PASSWORD:?" in uri
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE_TEXT))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^(\w+)=", example, flags=re.MULTILINE))
    assert required <= listed


def test_dockerfiles_install_pinned_as_non_root():
    for name in DOCKERFILES:
        steps = part_steps(name)
        assert steps[0] == ("FROM", "python:3.11-slim"), name
        assert ("COPY", "constraints.txt /src/constraints.txt") in steps, name
        # every shared library (libs/common, libs/contracts, ...), then the part itself
        assert ("COPY", "libs /src/libs") in steps, name
        installs = [args for kind, args in steps if kind == "RUN" and "pip install" in args]
        assert any(f"-c /src/constraints.txt /src/libs/*/ /src/services/{name}" in args
                   for args in installs), name
        users = [args for kind, args in steps if kind == "USER"]
        assert users and users[-1].split(":")[0] not in ("root", "0"), name


def test_dockerfiles_start_the_parts_as_make_run_does():
    for name in NAMEKO:
        # The config comes from the service's settings class (loket_<name>.settings).
        assert cmd(name) == ["loket-service", "run", f"loket_{name}.service"]
    assert cmd("gateway") == ["gunicorn", "-c", "/app/gunicorn.conf.py"]
    assert "loket-service" in console_scripts()


def test_gateway_image_compiles_catalogues_before_installing():
    (install,) = [args for kind, args in instructions(DOCKERFILES["gateway"])
                  if kind == "RUN" and "/src/services/gateway" in args]
    assert install.index("pybabel compile") < install.index(
        "-c /src/constraints.txt /src/libs/*/ /src/services/gateway")


def test_dockerignore_lets_every_copied_path_through():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*"  # an allow-list: .env, .venv, var/ and .git stay out
    allowed = [pattern[1:] for pattern in patterns if pattern.startswith("!")]
    for name in DOCKERFILES:
        for kind, args in part_steps(name):
            if kind == "COPY" and not args.startswith("--from"):
                source = args.split()[0]
                assert (ROOT / source).exists(), source
                assert any(source == path or source.startswith(path + "/")
                           for path in allowed), source


def compose_command() -> list[str] | None:
    """``docker compose`` (v2), else ``docker-compose`` (v1), else None."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"],
                                                 capture_output=True, check=False).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def test_compose_validates_the_file_with_env_example():
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` (v2) nor `docker-compose` (v1) is installed")
    result = subprocess.run([*command, "--env-file", ".env.example", "config", "-q"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_development_identity_provider_never_ships():
    allowed = [line.strip()[1:] for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip().startswith("!")]
    assert not any(path.startswith("deploy/local") or path == "deploy" for path in allowed)
    for dockerfile in DOCKERFILES.values():
        assert "dev_identity_provider" not in dockerfile.read_text()
        assert "deploy/local" not in dockerfile.read_text()
    gateway = SERVICES["gateway"]["environment"]
    assert gateway["LOKET_ENVIRONMENT"] == "production"
    assert gateway["LOKET_TENANTS_FILE"] == "/app/tenants.yml"
    assert "COPY deploy/tenants.production.yml /app/tenants.yml" in DOCKERFILES[
        "gateway"].read_text()
    assert "LOKET_DEV_IDP" not in COMPOSE_TEXT


def test_the_production_tenants_pass_the_production_guard():
    from loket_gateway.core.tenants import TenantRegistry
    from loket_gateway.identity.providers import check_environment, load_providers

    example = dict(re.findall(r"^(\w+)=(.*)$", (ROOT / ".env.example").read_text(),
                              flags=re.MULTILINE))
    tenants = TenantRegistry.from_file(ROOT / "deploy" / "tenants.production.yml", example)
    tenants.check_environment("production")  # public URLs: https, or this machine only
    assert {tenant.id: tenant.public_url for tenant in tenants.by_id.values()} == {
        "musterstadt": "http://127.0.0.1:8000",
        "beispielstadt": "http://beispielstadt.localhost:8000"}
    providers = load_providers(tenants, example)
    assert {(item.tenant, item.audience) for item in providers} == {
        (tenant, audience) for tenant in ("musterstadt", "beispielstadt")
        for audience in ("residents", "staff")}
    check_environment(providers, "production")  # raises SystemExit when not allowed


def test_only_the_notifications_service_holds_its_private_key():
    holders = [name for name, service in SERVICES.items()
               if "LOKET_NOTIFICATIONS_PRIVATE_KEY" in (service.get("environment") or {})]
    assert holders == ["notifications"]
    assert SERVICES["notifications"]["environment"]["LOKET_NOTIFICATIONS_PRIVATE_KEY"].startswith(
        "${LOKET_NOTIFICATIONS_PRIVATE_KEY:?")
    for name in NAMEKO:  # every service may seal to its public key
        assert "LOKET_NOTIFICATIONS_PUBLIC_KEY" in SERVICES[name]["environment"], name


def test_notifications_sends_through_the_named_relays_else_the_development_catcher():
    environment = SERVICES["notifications"]["environment"]
    assert environment["NOTIFICATIONS_SMTP_RELAYS"] == (
        "${NOTIFICATIONS_SMTP_RELAYS:-local=smtp://mailpit:1025?security=none}")
    for tenant in ("MUSTERSTADT", "BEISPIELSTADT"):  # the base of its links, as the gateway's
        assert environment[f"LOKET_{tenant}_PUBLIC_URL"] == SERVICES["gateway"]["environment"][
            f"LOKET_{tenant}_PUBLIC_URL"]
    image, _, version = SERVICES["mailpit"]["image"].partition(":")
    assert image == "axllent/mailpit" and re.fullmatch(r"v\d+\.\d+\.\d+", version)  # pinned
    example = (ROOT / ".env.example").read_text()
    assert "# NOTIFICATIONS_SMTP_RELAYS=" in example  # named for a real relay


def test_the_bounce_receiver_runs_the_notifications_image_with_its_own_command_and_check():
    bounces = SERVICES["notifications-bounces"]
    assert bounces["build"] == SERVICES["notifications"]["build"]
    assert bounces["command"] == ["loket-notifications-bounces"]
    assert "loket-notifications-bounces" in console_scripts()
    assert bounces["environment"]["NOTIFICATIONS_BOUNCE_BIND"] == "0.0.0.0:2526"
    assert "ports" not in bounces  # the relay reaches it on the compose network
    assert "smtplib.SMTP('127.0.0.1', 2526" in " ".join(bounces["healthcheck"]["test"])
    assert bounces["depends_on"]["notifications"] == {"condition": "service_healthy"}


def test_statistics_builds_its_release_links_on_the_gateways_public_urls():
    environment = SERVICES["statistics"]["environment"]
    for tenant in ("MUSTERSTADT", "BEISPIELSTADT"):  # the DCAT-AP.de record's download URLs
        assert environment[f"LOKET_{tenant}_PUBLIC_URL"] == SERVICES["gateway"]["environment"][
            f"LOKET_{tenant}_PUBLIC_URL"]
    assert "LOKET_NOTIFICATIONS_PRIVATE_KEY" not in environment
    assert {"loket-statistics-publish", "loket-statistics-verify",
            "loket-statistics-rebuild"} <= console_scripts()
