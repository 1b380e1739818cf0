# SPDX-License-Identifier: EUPL-1.2
"""Settings and tenant files: clear one-line errors, defaults, overrides."""
import pytest

from loket_common.sealing import new_keypair
from loket_common.settings import SettingsError
from loket_notifications.options import Options
from loket_notifications.settings import Settings
from loket_notifications.tenant_config import TenantConfigError, TenantConfigs

ENV = {"LOKET_MUSTERSTADT_PUBLIC_URL": "https://termine.musterstadt.example/",
       "LOKET_BEISPIELSTADT_PUBLIC_URL": "http://beispielstadt.localhost"}


def test_the_private_key_is_required_with_a_clear_line(monkeypatch):
    monkeypatch.delenv("LOKET_NOTIFICATIONS_PRIVATE_KEY", raising=False)
    with pytest.raises(SettingsError) as missing:
        Settings()
    assert str(missing.value) == ("LOKET_NOTIFICATIONS_PRIVATE_KEY: expected 32 bytes in "
                                  "URL-safe base64, but it is not set")


def test_a_bad_private_key_is_named_and_not_repeated(monkeypatch):
    monkeypatch.setenv("LOKET_NOTIFICATIONS_PRIVATE_KEY", "not-a-key-at-all")
    with pytest.raises(SettingsError) as bad:
        Settings()
    assert "LOKET_NOTIFICATIONS_PRIVATE_KEY" in str(bad.value)
    assert "not-a-key-at-all" not in str(bad.value)


def test_the_options_reach_the_dependencies_through_the_config(monkeypatch):
    _, private = new_keypair()
    monkeypatch.setenv("LOKET_NOTIFICATIONS_PRIVATE_KEY", private)
    monkeypatch.setenv("NOTIFICATIONS_RETRY_HOURS", "6")
    monkeypatch.setenv("NOTIFICATIONS_SMTP_RELAYS", "local=smtp://127.0.0.1:1025?security=none")
    config = Settings().nameko_config()
    options = Options.from_config(config)
    assert options.retry_hours == 6.0 and options.senders == 8
    assert options.smtp_relays == "local=smtp://127.0.0.1:1025?security=none"
    assert config["LOKET_NOTIFICATIONS_PRIVATE_KEY"] == private
    assert config["MONGO_DATABASE"] == "loket_notifications"
    assert Options.from_config({}) == Options()


def test_the_built_in_tenants_with_their_public_urls():
    tenants = TenantConfigs(environ=ENV)
    assert tenants.ids() == ["beispielstadt", "musterstadt"]
    musterstadt = tenants.get("musterstadt")
    assert musterstadt["public_url"] == "https://termine.musterstadt.example"
    assert musterstadt["relays"] == ["local"]
    assert musterstadt["sender"]["address"] == "noreply@musterstadt.example"
    assert tenants.get("beispielstadt")["kinds"] == {"lottery_entered": False}
    assert tenants.get("elsewhere") is None


def test_a_directory_of_tenant_files_is_used_instead(tmp_path):
    (tmp_path / "musterstadt.yml").write_text(
        "name: {de: M, en: M}\ncontact: {email: a@m.example}\npublic_url: https://m.example\n"
        "sender: {address: n@m.example, name: M}\nbounce_address: b@m.example\n"
        "relays: [primary, backup]\nkinds: {booking_reminder: false}\n", encoding="utf-8")
    tenants = TenantConfigs(tmp_path, environ=ENV)
    assert tenants.get("musterstadt")["relays"] == ["primary", "backup"]
    assert tenants.get("beispielstadt")["relays"] == ["local"]  # built-in still


@pytest.mark.parametrize(("text", "problem"), [
    ("name: {}\n", "missing contact, sender, bounce_address, relays"),
    ("id: other\n", "id must be the file's name"),
    ("name: x\ncontact: x\nsender: x\nbounce_address: x\nrelays: []\n", "no public URL"),
    ("name: x\ncontact: x\nsender: x\nbounce_address: x\nrelays: []\npublic_url: ftp://x\n",
     "http:// or https://"),
    ("name: x\ncontact: x\nsender: x\nbounce_address: x\nrelays: []\npublic_url: http://x\n"
     "kinds: {booking_reminder: maybe}\n", "kinds maps a kind to true or false"),
    ("name: [\n", "not readable YAML"),
])
def test_a_bad_tenant_file_stops_with_its_name(tmp_path, text, problem):
    (tmp_path / "musterstadt.yml").write_text(text, encoding="utf-8")
    with pytest.raises(TenantConfigError) as bad:
        TenantConfigs(tmp_path, environ=ENV)
    assert "musterstadt.yml" in str(bad.value) and problem in str(bad.value)


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(TenantConfigError, match="NOTIFICATIONS_CONFIG_DIR"):
        TenantConfigs(tmp_path / "nowhere", environ=ENV)
