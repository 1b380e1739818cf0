import json

import pytest
from marshmallow import Schema, fields

from loket_common.errors import (
    NotFound,
    ValidationFailed,
    invalid_params,
    parse_remote_message,
)
from loket_common.tenant import checked_tenant
from loket_common.validation import load


class Pet(Schema):
    name = fields.String(required=True)
    owner = fields.Nested(Schema.from_dict({"email": fields.Email(required=True)}))


def test_invalid_params_names_nested_fields():
    params = invalid_params({"name": ["Missing."], "owner": {"email": ["Not an email."]}})
    assert params == [
        {"name": "name", "reason": "Missing."},
        {"name": "owner.email", "reason": "Not an email."},
    ]


def test_load_raises_validation_failed_with_every_bad_field():
    with pytest.raises(ValidationFailed) as caught:
        load(Pet(), {"owner": {"email": "nope"}})
    names = {param["name"] for param in caught.value.extra["invalid_params"]}
    assert names == {"name", "owner.email"}


@pytest.mark.parametrize("body", [None, [], "text", 3])
def test_load_rejects_non_objects(body):
    with pytest.raises(ValidationFailed):
        load(Pet(), body)


def test_error_message_travels_as_json():
    error = NotFound("No such office.", office="x")
    assert parse_remote_message(str(error)) == {
        "detail": "No such office.", "office": "x",
        "code": "not_found", "status": 404, "title": "Not found"}
    assert json.loads(error.args[0])["detail"] == "No such office."


def test_parse_remote_message_tolerates_plain_text():
    assert parse_remote_message("boom") == {"detail": "boom"}


@pytest.mark.parametrize("tenant", ["musterstadt", "bad-hausen", "ab"])
def test_checked_tenant_accepts_slugs(tenant):
    assert checked_tenant(tenant) == tenant


@pytest.mark.parametrize("tenant", ["", "A", "x", "Musterstadt", "a b", "a/b", None, 7, "$ne"])
def test_checked_tenant_rejects_everything_else(tenant):
    with pytest.raises(Exception) as caught:
        checked_tenant(tenant)
    assert type(caught.value).__name__ == "UnknownTenant"
