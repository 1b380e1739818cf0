# SPDX-License-Identifier: EUPL-1.2
"""``GET /health``: the broker, the gateway's own database, and each service with its database."""
from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify
from kombu import Connection
from nameko.exceptions import UnknownService

from . import api_schemas
from .api_helpers import api_blueprint

log = logging.getLogger(__name__)

SERVICES = ("appointments", "permits", "profile", "notifications", "statistics")

health = api_blueprint("operations", __name__, "The gateway's own state", url_prefix="")
liveness = Blueprint("liveness", __name__)  # undocumented: for orchestrators and benchmarks


def broker_state(amqp_uri: str, timeout: float) -> str:
    """``ok`` when RabbitMQ accepts a connection within ``timeout`` seconds."""
    try:
        with Connection(amqp_uri, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
        return "ok"
    except Exception:  # any failure to connect means the broker is unavailable
        return "unavailable"


def database_state(database: Any, timeout: float) -> str:
    """``ok`` when the gateway's own database (sessions, rate limits) answers a ping."""
    try:
        database.command("ping", maxTimeMS=int(timeout * 1000))
        return "ok"
    except Exception:  # any failure to answer means it is unavailable
        return "unavailable"


def services_state(pool: Any) -> dict[str, dict[str, str]]:
    """Ask every service's ``health()`` at once; a silent service is ``unavailable``."""
    states = {name: {"service": "unavailable", "database": "unknown"} for name in SERVICES}
    try:
        with pool.services() as rpc:
            replies = {}
            for name in SERVICES:
                try:  # a service with no instance at all is refused at once (UnknownService)
                    replies[name] = getattr(rpc, name).health.call_async()
                except UnknownService as error:
                    log.warning("health: %s is not running: %s", name, error)
            for name, reply in replies.items():
                try:
                    answer = reply.result()
                    states[name] = {"service": "ok", "database": answer["database"]}
                except Exception as error:  # timeout or error: reported, not raised
                    log.warning("health: %s did not answer: %s", name, error)
    except Exception as error:  # broker down: every service is unreachable
        log.warning("health: no RPC connection: %s", error)
    return states


@health.route("/health", methods=["GET"], summary="State of the broker, the gateway's "
              "database, each service and its database", calls_services=False)
@health.response(200, api_schemas.HealthSchema, description="Everything answers")
@health.alt_response(503, schema=api_schemas.HealthSchema, description="Something does not "
                     "answer")
def get_health():
    """200 when the broker, every service and its database answer; else 503."""
    settings = current_app.extensions["loket_settings"]
    broker = broker_state(settings.amqp_uri, settings.health_timeout)
    services = (services_state(current_app.extensions["loket_health_rpc"])
                if broker == "ok" else
                {name: {"service": "unavailable", "database": "unknown"} for name in SERVICES})
    sessions = database_state(current_app.extensions["loket_gateway_database"],
                              settings.health_timeout)
    healthy = broker == "ok" and sessions == "ok" and all(
        state == {"service": "ok", "database": "ok"} for state in services.values())
    body = {"status": "ok" if healthy else "degraded", "broker": broker, "sessions": sessions,
            "services": services}
    return body, 200 if healthy else 503


@liveness.get("/livez")
def livez():
    """The gateway process itself answers (the bare endpoint benchmarks compare against)."""
    return jsonify({"status": "ok"})
