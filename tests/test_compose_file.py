"""docker-compose.yml: restart policies, health, ordering; validated by compose itself."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def compose_command():
    """``docker compose`` (v2), else ``docker-compose`` (v1), else None."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"],
                                                 capture_output=True, check=False).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def test_every_loket_service_runs_with_restart_and_ordering():
    for name in ("appointments", "permits", "profile", "gateway"):
        service = SERVICES[name]
        assert service["restart"] == "unless-stopped"
        assert service["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
        assert (ROOT / service["build"]["dockerfile"]).exists()
    for name in ("rabbitmq", "mongo"):
        assert "healthcheck" in SERVICES[name]
    assert "--replSet" in SERVICES["mongo"]["command"]
    assert SERVICES["appointments"]["depends_on"]["topology"]["condition"] == \
        "service_completed_successfully"


def test_only_loopback_ports_are_published():
    for service in SERVICES.values():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), port


def test_dockerfiles_install_with_the_pinned_constraints():
    for dockerfile in (ROOT / "services").glob("*/Dockerfile"):
        text = dockerfile.read_text()
        assert "COPY constraints.txt" in text and "-c /src/constraints.txt" in text
        assert "USER nobody" in text


def test_compose_validates_the_file():
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    result = subprocess.run([*command, "--env-file", ".env.example", "config", "-q"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
