"""The tenant admins' statistics page: live figures, charts, settings and corrections."""
from unittest.mock import call

import pytest

from loket_common.errors import Conflict, LoketError, NotFound
from loket_gateway.statistics.admin_pages import recent_months

from . import statistics_answers as answers
from .conftest import remote, sign_in

STAFF = "staff:" + "1" * 32
ADMIN = ["counter_staff", "tenant_admin"]
ACTOR = {"subject": STAFF, "role": "tenant_admin"}


class StaleVersion(LoketError):
    """As the service answers a stale settings version."""

    status, code, title = 412, "version_conflict", "Changed meanwhile"


def admin(client, roles=ADMIN, operator=False):
    sign_in(client, "staff", tenant="musterstadt", subject=STAFF, name="Sam Staff",
            roles=roles, operator=operator)
    return client


@pytest.fixture
def statistics(services):
    fake = services.statistics
    fake.month_figures.return_value = answers.month_figures()
    fake.process_series.return_value = answers.live_series()
    fake.get_settings.return_value = answers.settings()
    fake.list_releases.return_value = answers.releases()
    fake.put_settings.return_value = answers.settings(4)
    fake.publish_correction.return_value = answers.release(4, "2026-09", corrects="rel-1")
    return fake


def test_the_running_months_live_figures_marked_not_published_in_german(client, statistics):
    page = admin(client).get("/de/admin/statistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    months = recent_months()
    assert "laufend, nicht veröffentlicht" in html
    assert "<td>7</td><td>2</td>" in html  # unsuppressed: a count of 2 as it is
    assert "78\xa0%" in html and "+28 Prozentpunkte" in html and "−5 Prozentpunkte" in html
    assert "Gebuchte Termine" in html and "Spontanbesuche" in html
    assert "Median 3 Tage, 90 % innerhalb von 6,5 Tage" in html
    assert html.count('<svg id="chart-') == 2
    assert statistics.month_figures.call_args == call("musterstadt", months[0])
    assert statistics.process_series.call_args == call("musterstadt", months[-1], months[0])
    # The picker offers unpublished months only (September and October have releases).
    picker = html.split('<select id="month"')[1].split("</select>")[0]
    assert '"2026-10"' not in picker and '"2026-09"' not in picker
    assert f'<option value="{months[0]}" selected>' in picker
    correction = html.split('<select id="correction-month"')[1].split("</select>")[0]
    assert '"2026-10"' in correction and '"2026-09"' in correction


def test_the_page_in_english_with_a_chosen_month(client, statistics):
    html = admin(client).get("/en/admin/statistics?month=2026-11").get_data(as_text=True)
    assert "Figures of November 2026" in html and "live, not published" in html
    assert "Appointments booked" in html and "by phone" in html
    assert statistics.month_figures.call_args == call("musterstadt", "2026-11")


def test_a_bad_month_is_400(client, statistics):
    assert admin(client).get("/en/admin/statistics?month=2026-13").status_code == 400
    assert statistics.month_figures.call_count == 0


@pytest.mark.parametrize("path", ["/en/admin/statistics"])
def test_the_page_is_for_tenant_admins(client, services, path):
    assert client.get(path).status_code == 303
    assert admin(client, ["counter_staff"]).get(path).status_code == 403
    assert admin(client, [], operator=True).get(path).status_code == 403
    assert services.mock_calls == []


def test_the_settings_form_shows_the_stored_values(client, statistics):
    html = admin(client).get("/en/admin/statistics").get_data(as_text=True)
    assert 'name="threshold" type="text" value="5"' in html
    assert 'id="channels-phone" name="channels" value="phone" checked' in html
    assert 'id="channels-email" name="channels" value="email" >' in html
    assert 'name="expected-permits:residents-parking" type="text" value="80"' in html
    assert 'name="version" value="3"' in html


def test_saving_the_settings(client, statistics, form_token):
    done = admin(client).post("/en/admin/statistics/settings", data={
        "csrf_token": form_token, "version": "3", "threshold": "7", "channels": ["post"],
        "expected-appointments:id-card": "60,5", "expected-permits:residents-parking": ""})
    assert done.status_code == 303 and done.headers["Location"] == "/en/admin/statistics"
    assert statistics.put_settings.call_args == call(
        "musterstadt", {"threshold": 7, "channels": ["post"],
                        "expected_shares": {"appointments:id-card": 0.605}}, 3, ACTOR)


def test_the_settings_need_the_forms_token(client, statistics):
    assert admin(client).post("/en/admin/statistics/settings",
                              data={"threshold": "7"}).status_code == 400
    assert statistics.put_settings.call_count == 0


def test_bad_settings_come_back_marked_with_every_value_kept(client, statistics, form_token):
    page = admin(client).post("/de/admin/statistics/settings", data={
        "csrf_token": form_token, "version": "3", "threshold": "0", "channels": ["phone"],
        "expected-appointments:id-card": "150", "expected-permits:residents-parking": "x"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Bitte prüfen Sie die markierten Eingaben." in html
    assert 'name="expected-appointments:id-card" type="text" value="150"' in html
    assert ('value="x" inputmode="decimal" aria-describedby="expected-permits:residents-'
            'parking-error" aria-invalid="true"') in html
    assert statistics.put_settings.call_count == 0


def test_a_threshold_out_of_range_is_marked(client, statistics, form_token):
    page = admin(client).post("/en/admin/statistics/settings", data={
        "csrf_token": form_token, "version": "3", "threshold": "0"})
    assert page.status_code == 422
    assert ('value="0" inputmode="numeric" aria-describedby="threshold-hint threshold-error" '
            'aria-invalid="true"') in page.get_data(as_text=True)


def test_a_stale_version_says_so_and_keeps_the_typed_values(client, statistics, form_token):
    statistics.put_settings.side_effect = remote(StaleVersion("Changed meanwhile."))
    statistics.get_settings.side_effect = [answers.settings(5)] * 2
    page = admin(client).post("/en/admin/statistics/settings", data={
        "csrf_token": form_token, "version": "3", "threshold": "9", "channels": ["post"]})
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    assert "Someone else changed the settings meanwhile" in html
    assert "Current settings: threshold 5; channels: by phone, by post" in html
    assert 'name="threshold" type="text" value="9"' in html
    assert 'name="version" value="5"' in html


def test_publishing_a_correction(client, statistics, form_token):
    done = admin(client).post("/en/admin/statistics/corrections", data={
        "csrf_token": form_token, "month": "2026-09", "reason": "Counted twice"})
    assert done.status_code == 303
    assert statistics.publish_correction.call_args == call(
        "musterstadt", {"month": "2026-09", "reason": "Counted twice"}, ACTOR)
    page = client.get("/en/admin/statistics").get_data(as_text=True)
    assert "Published: release 4 corrects September 2026." in page


def test_a_correction_without_a_reason_is_marked_and_kept(client, statistics, form_token):
    page = admin(client).post("/de/admin/statistics/corrections", data={
        "csrf_token": form_token, "month": "2026-09", "reason": "x"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert '<option value="2026-09" selected>' in html
    assert 'aria-invalid="true">x</textarea>' in html
    assert statistics.publish_correction.call_count == 0


@pytest.mark.parametrize("error", [NotFound("No release of 2026-08."),
                                   Conflict("Nothing to correct.")])
def test_a_month_without_a_release_cannot_be_corrected(client, statistics, form_token, error):
    statistics.publish_correction.side_effect = remote(error)
    page = admin(client).post("/en/admin/statistics/corrections", data={
        "csrf_token": form_token, "month": "2026-08", "reason": "Counted twice"})
    assert page.status_code == error.status
    html = page.get_data(as_text=True)
    assert "Only published months can be corrected." in html
    assert "Counted twice</textarea>" in html


def test_the_admin_navigation_links_the_statistics(client, services):
    services.notifications.list_kinds.return_value = []
    html = admin(client).get("/en/admin/notifications").get_data(as_text=True)
    assert 'href="/en/admin/statistics"' in html
