# SPDX-License-Identifier: EUPL-1.2
"""Events published as their owners publish them become counts per month, process, channel."""
import pytest

from .helpers import TENANT, deliver, event

pytestmark = pytest.mark.integration

MARCH = "2026-03-10T09:00:00+00:00"
APRIL = "2026-04-02T09:00:00+00:00"


def booked(channel, when=MARCH, service_id="id-card"):
    return event("appointments", "appointment_booked",
                 {"service_id": service_id, "channel": channel, "subject": "r-1",
                  "reference": "B-1"}, when)


def test_every_handler_counts_its_event(statistics_container, statistics, service_config,
                                        database):
    card, parking = {"service_id": "id-card"}, {"type_id": "residents-parking"}
    deliver(statistics_container, service_config, [
        booked("counter"),
        event("appointments", "appointment_cancelled", {**card, "channel": "online"}, MARCH),
        event("appointments", "appointment_checked_in", {**card, "channel": "counter"}, MARCH),
        event("appointments", "appointment_no_show", {**card, "channel": "online"}, MARCH),
        event("appointments", "appointment_lottery_entered", card, MARCH),
        event("appointments", "appointment_lottery_result", {**card, "result": "allocated"},
              MARCH),
        event("permits", "permit_started", {**parking, "channel": "counter"}, MARCH),
        event("permits", "permit_submitted", parking, MARCH),
        event("permits", "permit_status_changed", {**parking, "to": "withdrawn"}, MARCH),
        event("permits", "permit_decided", {**parking, "outcome": "approved",
                                            "submitted_at": "2026-03-01T09:00:00+00:00",
                                            "decided_at": "2026-03-05T21:00:00+00:00"}, MARCH),
        event("notifications", "notification_sent", {"kind": "booking_confirmed",
                                                     "channel": "email"}, MARCH),
        event("notifications", "notification_failed", {"kind": "booking_confirmed",
                                                       "channel": "sms"}, MARCH),
    ])
    rows = {row["process"]: row for row in
            statistics.month_figures(TENANT, "2026-03")["processes"]}
    assert rows["appointments:id-card"]["counts"] == {
        "appointments_booked": {"counter": 1}, "walk_ins": {"counter": 1},
        "appointments_cancelled": {"online": 1}, "appointments_checked_in": {"counter": 1},
        "appointments_no_show": {"online": 1}, "lottery_entries": {"online": 1},
        "lottery_allocations": {"online": 1}}
    assert rows["permits:residents-parking"]["counts"] == {
        "applications_started": {"counter": 1}, "applications_submitted": {"online": 1},
        "applications_withdrawn": {"online": 1}, "applications_approved": {"online": 1}}
    assert rows["permits:residents-parking"]["lead_time"] == {
        "decisions": 1, "median_days": 4.5, "p90_days": 4.5}
    assert rows["notifications:booking_confirmed"]["counts"] == {
        "notifications_sent": {"email": 1}, "notifications_failed": {"sms": 1}}
    stored = "\n".join(str(document) for name in ("facts", "cells")
                       for document in database[name].find())
    assert "r-1" not in stored and "B-1" not in stored  # counts only, nobody's data


def test_a_redelivered_event_counts_once(statistics_container, statistics, service_config,
                                         database):
    first = booked("counter")
    deliver(statistics_container, service_config, [first, first, first])
    rows = {row["process"]: row for row in
            statistics.month_figures(TENANT, "2026-03")["processes"]}
    assert rows["appointments:id-card"]["counts"] == {"appointments_booked": {"counter": 1},
                                                      "walk_ins": {"counter": 1}}
    assert database["facts"].count_documents({}) == 2


def test_figures_per_channel_and_month_with_share_and_gap(statistics_container, statistics,
                                                          service_config):
    deliver(statistics_container, service_config,
            [booked("online"), booked("online"), booked("counter"), booked("counter"),
             booked("counter"), booked("online", APRIL), booked(None, APRIL),
             booked("online", service_id="registration")])
    march = statistics.month_figures(TENANT, "2026-03")
    assert march["tenant"] == TENANT and march["published"] is False
    assert march["channels"] == ["online", "counter", "phone", "post"]
    rows = {row["process"]: row for row in march["processes"]}
    card = rows["appointments:id-card"]
    assert card["volume"] == {"online": 2, "counter": 3}
    assert (card["digital_share"], card["expected_share"], card["gap"]) == (0.4, 0.5, -0.1)
    assert card["name"] == {"de": "Personalausweis", "en": "ID card"}
    assert card["service_key"] == "99102013104000"
    assert rows["appointments:registration"]["digital_share"] == 1.0
    april = {row["process"]: row for row in
             statistics.month_figures(TENANT, "2026-04")["processes"]}
    assert april["appointments:id-card"]["volume"] == {"online": 2}
    series = {item["process"]: item for item in
              statistics.process_series(TENANT, "2026-02", "2026-04")}
    points = series["appointments:id-card"]["points"]
    assert [(point["month"], point["volume"]) for point in points] == [
        ("2026-02", {}), ("2026-03", {"online": 2, "counter": 3}), ("2026-04", {"online": 2})]


def test_lead_time_median_and_90th_percentile(statistics_container, statistics,
                                              service_config):
    decisions = [event("permits", "permit_decided", {
        "type_id": "residents-parking", "outcome": "approved" if days % 2 else "rejected",
        "channel": "online" if days < 6 else "counter",
        "submitted_at": "2026-03-01T00:00:00+00:00",
        "decided_at": f"2026-03-{1 + days:02d}T00:00:00+00:00"}, MARCH)
        for days in range(1, 11)]
    deliver(statistics_container, service_config, decisions)
    row = next(row for row in statistics.month_figures(TENANT, "2026-03")["processes"]
               if row["process"] == "permits:residents-parking")
    assert row["lead_time"] == {"decisions": 10, "median_days": 5.5, "p90_days": 9.1}
    assert row["counts"]["applications_approved"] == {"online": 3, "counter": 2}
