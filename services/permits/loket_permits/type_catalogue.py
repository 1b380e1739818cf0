# SPDX-License-Identifier: EUPL-1.2
"""Application types from data files: base definitions layered with tenant overlays.

Read once at service start (``PERMITS_DEFINITIONS_DIR``, default the package's
``definitions/``), never copied into the database: a change to a base file
reaches every tenant that offers the type on the next restart.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError

from loket_common.errors import NotFound, invalid_params

from .definition_schemas import BaseTypeSchema, OverlaySchema, WorkflowSchema
from .fees import fee_from_cents

DEFAULT_DIRECTORY = Path(__file__).with_name("definitions")
TIGHTER_IS_HIGHER = ("min",)
TIGHTER_IS_LOWER = ("max", "max_length")


class DefinitionError(ValueError):
    """A definition file is malformed or an overlay breaks the layering rules."""


def _read(path: Path, schema: Schema) -> dict[str, Any]:
    try:
        return schema.load(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except ValidationError as error:
        reasons = "; ".join(f"{p['name']}: {p['reason']}" for p in invalid_params(error.messages))
        raise DefinitionError(f"{path}: {reasons}") from None


def _check_not_weaker(type_id: str, base: dict[str, Any], local: dict[str, Any]) -> None:
    """An overlay may tighten a base field, never weaken or retype it."""
    problems = []
    if local["type"] != base["type"]:
        problems.append("changes its type")
    if base["required"] and not local["required"]:
        problems.append("makes it optional")
    for key in TIGHTER_IS_HIGHER:
        if key in base and local.get(key, float("-inf")) < base[key]:
            problems.append(f"lowers or drops {key}")
    for key in TIGHTER_IS_LOWER:
        if key in base and local.get(key, float("inf")) > base[key]:
            problems.append(f"raises or drops {key}")
    if "pattern" in base and local.get("pattern") != base["pattern"]:
        problems.append("changes its pattern")
    if "choices" in base:
        allowed = {choice["value"] for choice in base["choices"]}
        if not {choice["value"] for choice in local.get("choices", [])} <= allowed:
            problems.append("adds choices")
    if problems:
        raise DefinitionError(f"overlay of {type_id}: field {base['name']} "
                              f"{', '.join(problems)}; the base definition is fixed by law")


def layer(base: dict[str, Any], overlay: dict[str, Any],
          workflow: dict[str, Any]) -> dict[str, Any]:
    """The type a tenant offers: ``base`` with ``overlay`` merged under the layering rules."""
    type_id = base["id"]
    allowed = set(base["overlay_may_change"])
    refused = sorted(set(overlay) - allowed)
    if refused:
        raise DefinitionError(f"overlay of {type_id} may not set {', '.join(refused)} "
                              f"(allowed: {', '.join(sorted(allowed)) or 'nothing'})")
    merged = copy.deepcopy(base)
    del merged["overlay_may_change"]
    merged["workflow"] = workflow
    merged["contact"] = overlay.get("contact")
    if "processing_days" in overlay:
        merged["processing_days"] = overlay["processing_days"]
    if "fee" in overlay:
        merged["fee"] = {**base["fee"], **overlay["fee"]}
    by_name = {field["name"]: index for index, field in enumerate(merged["fields"])}
    for field in overlay.get("fields", []):
        if field["name"] in by_name:
            index = by_name[field["name"]]
            _check_not_weaker(type_id, merged["fields"][index], field)
            merged["fields"][index] = field
        else:
            merged["fields"].append({**field, "local": True})
    texts = overlay.get("texts", {})
    for key in ("name", "description"):
        if key in texts:
            merged[key] = texts[key]
    for name, changes in texts.get("fields", {}).items():
        if name not in by_name:
            raise DefinitionError(f"overlay of {type_id}: texts for unknown field {name}")
        merged["fields"][by_name[name]].update(changes)
    merged["fee_cents"] = fee_from_cents(merged["fee"])
    merged["fee_description"] = merged["fee"].get("description")
    merged["needs_appointment"] = merged["appointment_service"]
    return merged


class TypeCatalogue:
    """Every tenant's application types, resolved from the definition files."""

    def __init__(self, types: dict[str, dict[str, dict[str, Any]]]) -> None:
        self._types = types

    @classmethod
    def load(cls, directory: str | Path | None = None) -> TypeCatalogue:
        """Read, validate and layer the files under ``directory``; raise DefinitionError."""
        root = Path(directory) if directory else DEFAULT_DIRECTORY
        workflows = {path.stem: _read(path, WorkflowSchema())
                     for path in sorted((root / "workflows").glob("*.yml"))}
        bases = {}
        for path in sorted((root / "base").glob("*.yml")):
            base = _read(path, BaseTypeSchema())
            if base["id"] != path.stem:
                raise DefinitionError(f"{path}: id {base['id']} differs from the file name")
            if base["workflow"] not in workflows:
                raise DefinitionError(f"{path}: unknown workflow {base['workflow']}")
            bases[base["id"]] = base
        types: dict[str, dict[str, dict[str, Any]]] = {}
        for tenant_dir in sorted(p for p in (root / "tenants").iterdir() if p.is_dir()):
            offered = types.setdefault(tenant_dir.name, {})
            for path in sorted(tenant_dir.glob("*.yml")):
                if path.stem not in bases:
                    raise DefinitionError(f"{path}: no base type {path.stem}")
                base = bases[path.stem]
                offered[path.stem] = layer(base, _read(path, OverlaySchema()),
                                           workflows[base["workflow"]])
        return cls(types)

    def types(self, tenant: str) -> list[dict[str, Any]]:
        """The types ``tenant`` offers, by id (none for an unknown tenant)."""
        return [self._types[tenant][type_id] for type_id in sorted(self._types.get(tenant, {}))]

    def get(self, tenant: str, type_id: str) -> dict[str, Any]:
        """One type of ``tenant``; NotFound if it does not offer it."""
        try:
            return self._types[tenant][type_id]
        except KeyError:
            raise NotFound("No such application type.", type_id=str(type_id)[:64]) from None
