# SPDX-License-Identifier: EUPL-1.2
"""The profile form offers every channel of the profile contract, SMS included, in words."""
from loket_contracts.profile.schemas import CHANNELS, ProfileUpdateSchema

from . import answers
from .conftest import sign_in

FIELDS = [{"name": name, "required": False,
           "why_de": ProfileUpdateSchema().fields[name].metadata["why"]["de"],
           "why_en": ProfileUpdateSchema().fields[name].metadata["why"]["en"]}
          for name in ("phone", "notification_channel")]


def profile_page(client, services, lang, **stored):
    services.profile.get_profile.return_value = answers.profile(subject="r-1", **stored)
    services.profile.profile_fields.return_value = FIELDS
    sign_in(client, "resident", tenant="musterstadt", subject="r-1", name="Anna")
    page = client.get(f"/{lang}/me/profile")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_channel_choice_lists_sms_from_the_contract_in_german(client, services):
    assert "sms" in CHANNELS
    html = profile_page(client, services, "de", notification_channel="sms",
                        phone="0151 2345 6789")
    for channel in CHANNELS:
        assert f'value="{channel}"' in html, channel
    assert "Per SMS an meine Telefonnummer" in html and "Per E-Mail" in html
    assert 'value="sms" selected' in html  # the stored choice
    assert "per SMS (an Ihre Telefonnummer)" in html  # the why, from the contract


def test_the_channel_choice_in_english(client, services):
    html = profile_page(client, services, "en")
    assert "By text message (SMS) to my phone number" in html
    assert "for text messages if you choose SMS" in html
