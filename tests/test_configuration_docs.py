"""README's configuration tables list exactly the declared settings, with their defaults."""
import re
from pathlib import Path

import pytest

from loket_appointments.settings import Settings as AppointmentsSettings
from loket_gateway.core.settings import Settings as GatewaySettings
from loket_notifications.settings import Settings as NotificationsSettings
from loket_permits.settings import Settings as PermitsSettings
from loket_profile.settings import Settings as ProfileSettings
from loket_statistics.settings import Settings as StatisticsSettings

ROOT = Path(__file__).parents[1]
SERVICES = {"appointments": AppointmentsSettings, "permits": PermitsSettings,
            "profile": ProfileSettings, "notifications": NotificationsSettings,
            "statistics": StatisticsSettings}


def service_rows() -> set[str]:
    """The services' table: shared variables once, a service's own ones named after it."""
    owners: dict[str, list[str]] = {}
    found = {}
    for service, settings in SERVICES.items():
        for variable in settings.variables():
            owners.setdefault(variable.name, []).append(service)
            found[variable.name] = variable
    return {row(found[name].name, found[name].default,
                found[name].meaning if len(who) == len(SERVICES) else
                f"{', '.join(who)}: {found[name].meaning}")
            for name, who in owners.items()}


def row(name: str, default: str, meaning: str) -> str:
    return f"| `{name}` | {default} | {meaning} |"


def readme_table(title: str) -> set[str]:
    """The rows of README's configuration table under the paragraph starting ``title``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    after = section.split(f"\n{title}", 1)[1]
    lines = after.split("\n\n", 2)[1].splitlines()
    return {line for line in lines[2:] if re.match(r"\| `[A-Z0-9_]+` \|", line)}


@pytest.mark.parametrize("title, expected", [
    ("Services", service_rows),
    ("Gateway", lambda: {row(v.name, v.default, v.meaning) for v in GatewaySettings.variables()}),
])
def test_readme_lists_every_declared_variable_and_no_other(title, expected):
    rows, documented = expected(), readme_table(title)
    assert sorted(rows - documented) == [], "declared, not (so) in README"
    assert sorted(documented - rows) == [], "in README, not (so) declared"
