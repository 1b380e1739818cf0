"""docker-compose.yml and the Dockerfiles: ordering, health, exposure, pins; no system needed."""
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
SERVICES = yaml.safe_load(COMPOSE_TEXT)["services"]
# Every deployable part has services/<name>/pyproject.toml; Nameko services also a service.py.
PARTS = sorted(path.parent.name for path in (ROOT / "services").glob("*/pyproject.toml"))
NAMEKO = [name for name in PARTS
          if (ROOT / "services" / name / f"loket_{name}" / "service.py").exists()]
DOCKERFILES = {name: ROOT / "services" / name / "Dockerfile" for name in PARTS}


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1])
            for line in lines if line and not line.startswith("#")]


def cmd(dockerfile: Path) -> list[str]:
    return json.loads([args for name, args in instructions(dockerfile) if name == "CMD"][-1])


def console_scripts() -> set[str]:
    scripts = set()
    for pyproject in [ROOT / "libs/common/pyproject.toml",
                      *(ROOT / "services").glob("*/pyproject.toml")]:
        scripts |= set(tomllib.loads(pyproject.read_text())["project"].get("scripts", {}))
    return scripts


def test_services_and_compose_agree():
    assert set(NAMEKO) == {"appointments", "permits", "profile"}
    assert "gateway" in PARTS
    for name in PARTS:
        build = SERVICES[name]["build"]
        assert build == {"context": ".", "dockerfile": f"services/{name}/Dockerfile"}
    for name, service in SERVICES.items():
        if "build" in service:
            assert (ROOT / service["build"]["dockerfile"]).exists(), name


def test_long_running_parts_restart_and_start_in_order():
    for name in [*PARTS, "rabbitmq", "mongo"]:
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
    for name in ("rabbitmq", "mongo"):
        assert SERVICES[name]["healthcheck"]["test"][0] == "CMD"
    for name, dockerfile in DOCKERFILES.items():
        assert any(kind == "HEALTHCHECK" for kind, _ in instructions(dockerfile)), name


def test_one_shot_jobs_run_declared_console_scripts_and_every_seed():
    jobs = {name: service for name, service in SERVICES.items()
            if service.get("restart") == "no"}
    commands = {service["command"][0] for service in jobs.values()}
    assert commands <= console_scripts()
    assert "loket-declare-topology" in commands
    assert {script for script in console_scripts() if script.endswith("-seed")} <= commands
    assert SERVICES["topology"]["command"] == ["loket-declare-topology", "/app/topology.yml"]
    topology_image = DOCKERFILES["appointments"]
    assert SERVICES["topology"]["build"]["dockerfile"] == "services/appointments/Dockerfile"
    assert "COPY deploy/topology.yml /app/topology.yml" in topology_image.read_text()


def test_only_the_gateway_and_management_ui_are_published_on_loopback():
    published = {name: service["ports"] for name, service in SERVICES.items()
                 if "ports" in service}
    assert published == {"gateway": ["127.0.0.1:8000:8000"],
                         "rabbitmq": ["127.0.0.1:15672:15672"]}
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
    for name, dockerfile in DOCKERFILES.items():
        steps = instructions(dockerfile)
        assert steps[0] == ("FROM", "python:3.11-slim"), name
        assert ("COPY", "constraints.txt /src/constraints.txt") in steps, name
        installs = [args for kind, args in steps if kind == "RUN" and "pip install" in args]
        assert any(f"-c /src/constraints.txt /src/libs/common /src/services/{name}" in args
                   for args in installs), name
        users = [args for kind, args in steps if kind == "USER"]
        assert users and users[-1].split(":")[0] not in ("root", "0"), name


def test_dockerfiles_start_the_parts_as_make_run_does():
    for name in NAMEKO:
        # The config comes from the service's settings class (loket_<name>.settings).
        assert cmd(DOCKERFILES[name]) == ["loket-service", "run", f"loket_{name}.service"]
    assert cmd(DOCKERFILES["gateway"]) == ["gunicorn", "-c", "/app/gunicorn.conf.py"]
    assert "loket-service" in console_scripts()


def test_gateway_image_compiles_catalogues_before_installing():
    (install,) = [args for kind, args in instructions(DOCKERFILES["gateway"])
                  if kind == "RUN" and "/src/services/gateway" in args]
    assert install.index("pybabel compile") < install.index(
        "-c /src/constraints.txt /src/libs/common /src/services/gateway")


def test_dockerignore_lets_every_copied_path_through():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*"  # an allow-list: .env, .venv, var/ and .git stay out
    allowed = [pattern[1:] for pattern in patterns if pattern.startswith("!")]
    for dockerfile in DOCKERFILES.values():
        for kind, args in instructions(dockerfile):
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
    from loket_gateway.identity_providers import check_environment, load_providers
    from loket_gateway.tenants import TenantRegistry

    example = dict(re.findall(r"^(\w+)=(.*)$", (ROOT / ".env.example").read_text(),
                              flags=re.MULTILINE))
    tenants = TenantRegistry.from_file(ROOT / "deploy" / "tenants.production.yml")
    providers = load_providers(tenants, example)
    assert {(item.tenant, item.audience) for item in providers} == {
        (tenant, audience) for tenant in ("musterstadt", "beispielstadt")
        for audience in ("residents", "staff")}
    check_environment(providers, "production")  # raises SystemExit when not allowed
