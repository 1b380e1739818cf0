# SPDX-License-Identifier: EUPL-1.2
"""The development mailbox: pages and a JSON API over what the mail catcher received.

The API is what the end-to-end tests read (``tests/mailbox.py``); ``/sms`` is the
development SMS provider.

Pages: ``/`` (messages, newest first, and SMS), ``/messages/<id>`` (HTML in a sandboxed
frame, text, headers, attachments), ``/messages/<id>/attachments/<n>``, ``/messages/<id>.eml``.
API: ``GET /api/messages[?to=]``, ``GET /api/messages/<id>`` (``raw``: the source, bytes
that are not UTF-8 as surrogate escapes), ``DELETE /api/messages``, ``GET /api/sms[?to=]``;
``POST /sms`` (JSON ``{to, text, reference}``: 201).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request

from .mail_store import MailStore

TEMPLATES = Path(__file__).with_name("templates")
# The page itself runs no script; the message's HTML (srcdoc, sandboxed: no scripts, no
# same origin) inherits this policy, so it cannot load anything remote either.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
       "form-action 'self'; frame-ancestors 'self'")
# Links in a message open in a new tab (the gateway refuses to be framed).
BASE_TARGET = '<base target="_blank">'


def create_app(store: MailStore, smtp_port: int) -> Flask:
    """The mailbox's Flask app over ``store``."""
    app = Flask(__name__, template_folder=str(TEMPLATES))

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def stored(message_id: str) -> Any:
        message = store.read(message_id)
        if message is None:
            abort(404)
        return message

    @app.get("/")
    def inbox() -> str:
        to = request.args.get("to") or None
        return render_template("mailbox/inbox.html", to=to, smtp_port=smtp_port,
                               messages=[item.summary() for item in store.messages(to)],
                               sms=store.sms())

    @app.get("/messages/<message_id>")
    def message_page(message_id: str) -> str:
        message = stored(message_id)
        html = message.html()
        return render_template("mailbox/message.html", message=message.summary(),
                               text=message.text(), headers=message.email.items(),
                               srcdoc=BASE_TARGET + html if html is not None else None,
                               links=message.links(), raw_size=len(message.raw))

    @app.get("/messages/<message_id>.eml")
    def message_raw(message_id: str) -> Response:
        message = stored(message_id)
        return Response(message.raw, mimetype="message/rfc822", headers={
            "Content-Disposition": f'attachment; filename="{message_id}.eml"'})

    @app.get("/messages/<message_id>/attachments/<int:index>")
    def attachment(message_id: str, index: int) -> Response:
        found = stored(message_id).attachments()
        if index >= len(found):
            abort(404)
        name, kind, data = found[index]
        safe = "".join(char for char in name if char.isalnum() or char in "._-") or "attachment"
        return Response(data, mimetype=kind, headers={
            "Content-Disposition": f'attachment; filename="{safe}"'})

    @app.get("/api/messages")
    def api_messages() -> Response:
        to = request.args.get("to") or None
        return jsonify({"messages": [item.summary() for item in store.messages(to)]})

    @app.get("/api/messages/<message_id>")
    def api_message(message_id: str) -> Response:
        return jsonify(stored(message_id).details())

    @app.delete("/api/messages")
    def api_clear() -> tuple[str, int]:
        store.clear()
        return "", 204

    @app.get("/api/sms")
    def api_sms() -> Response:
        return jsonify({"sms": store.sms(request.args.get("to") or None)})

    @app.post("/sms")
    def receive_sms() -> tuple[Response, int]:
        body = request.get_json(silent=True)
        fields = ("to", "text", "reference")
        if not isinstance(body, dict) or not all(isinstance(body.get(name), str)
                                                  for name in fields[:2]):
            return jsonify({"code": "invalid_sms",
                            "detail": "expected JSON {to, text, reference}"}), 400
        sms = store.save_sms(body["to"], body["text"], str(body.get("reference") or ""))
        return jsonify({"id": sms["id"], "status": "accepted"}), 201

    @app.get("/health")
    def health() -> Response:
        return jsonify({"status": "ok"})

    return app
