# SPDX-License-Identifier: EUPL-1.2
"""Settings from the environment and tenant files: checked at start, a bad one stops it."""
import pytest

from loket_common.service_cli import settings_class
from loket_common.settings import SettingsError
from loket_statistics.settings import Settings
from loket_statistics.tenant_config import TenantConfigError, TenantConfigs

GOOD = """id: {id}
name: {{de: Stadt Neudorf, en: Town of Neudorf}}
public_url: https://neudorf.example/
publisher: {{name: Neudorf, email: opendata@neudorf.example}}
spatial: {{municipality_key: "09999998", name: Neudorf}}
licence: http://dcat-ap.de/def/licenses/dl-by-de/2.0
defaults:
  threshold: 3
  channels: [post]
  expected_shares: {{{shares}}}
"""


def test_loket_service_finds_the_settings_and_they_reach_nameko():
    assert settings_class("loket_statistics.service") is Settings
    config = Settings(STATISTICS_RPC_TIMEOUT_SECONDS="3",
                      STATISTICS_PUBLISH_TIMER_SECONDS="60").nameko_config()
    assert config["MONGO_DATABASE"] == "loket_statistics"
    assert config["STATISTICS_RPC_TIMEOUT_SECONDS"] == 3.0
    assert config["STATISTICS_PUBLISH_TIMER_SECONDS"] == 60.0
    assert config["STATISTICS_CONFIG_DIR"] == ""


def test_a_bad_value_names_its_variable():
    with pytest.raises(SettingsError, match="STATISTICS_RPC_TIMEOUT_SECONDS"):
        Settings(STATISTICS_RPC_TIMEOUT_SECONDS="0")


def test_the_built_in_tenants_and_their_defaults():
    tenants = TenantConfigs(environ={"LOKET_MUSTERSTADT_PUBLIC_URL": "https://m.example/"})
    assert {"musterstadt", "beispielstadt"} <= set(tenants.ids())
    musterstadt = tenants.get("musterstadt")
    assert musterstadt["public_url"] == "https://m.example"
    assert musterstadt["defaults"]["expected_shares"]["permits:residents-parking"] == 0.8
    assert tenants.get("nowhere") is None


def test_a_directory_adds_and_overrides_tenants(tmp_path):
    (tmp_path / "neudorf.yml").write_text(GOOD.format(id="neudorf",
                                                      shares='"permits:dogs": 0.9'))
    tenants = TenantConfigs(tmp_path, environ={})
    assert tenants.get("neudorf")["defaults"] == {
        "threshold": 3, "channels": ["post"], "expected_shares": {"permits:dogs": 0.9}}
    assert tenants.get("neudorf")["public_url"] == "https://neudorf.example"
    assert tenants.get("musterstadt")["public_url"] is None  # its variable is not set


@pytest.mark.parametrize(("text", "problem"), [
    (GOOD.format(id="elsewhere", shares=""), "id must be the file's name"),
    (GOOD.format(id="neudorf", shares='"dogs": 0.9'), "defaults"),
    (GOOD.format(id="neudorf", shares='"permits:dogs": 1.5'), "defaults"),
    (GOOD.format(id="neudorf", shares="").replace("licence", "licensed"), "missing licence"),
    ("id: [neudorf", "not readable YAML"),
])
def test_a_bad_tenant_file_stops_the_start(tmp_path, text, problem):
    (tmp_path / "neudorf.yml").write_text(text)
    with pytest.raises(TenantConfigError, match=problem):
        TenantConfigs(tmp_path, environ={})


def test_a_missing_directory_stops_the_start(tmp_path):
    with pytest.raises(TenantConfigError, match="STATISTICS_CONFIG_DIR"):
        TenantConfigs(tmp_path / "absent")
