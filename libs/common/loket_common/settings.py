# SPDX-License-Identifier: EUPL-1.2
"""Typed settings from the environment, each variable declared once (pydantic-settings).

:class:`LoketSettings` is the base of every process's settings: a field is declared with
:func:`variable` (its environment variable, default and meaning); a bad value stops the
process with one line naming the variable and the form it expects, never a traceback.
:class:`ServiceSettings` is what every Nameko service reads; each service adds its own
variables in ``loket_<service>/settings.py`` and :meth:`ServiceSettings.nameko_config`
turns them into the config dict Nameko runs with (``loket-service run``).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationError, field_validator
from pydantic.json_schema import JsonDict
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .crypto import DATA_KEYS_VARIABLE, INDEX_KEY_VARIABLE, parse_data_keys
from .logs import logging_config
from .rpc_sealing import RPC_KEYS_VARIABLE, install, valid_key
from .topology import DEFAULT_RETRY_DELAYS_MS

# The local defaults, written only here: tools, the local runner and tests import them.
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_MONGO_URI = "mongodb://127.0.0.1:27017/?retryWrites=false"
DEFAULT_POLL_SECONDS = 0.5

# The expected form per pydantic error type (a field may name its own with ``form=``).
FORMS = {"float_parsing": "a number", "float_type": "a number", "int_parsing": "a whole number",
         "int_from_float": "a whole number", "int_type": "a whole number",
         "bool_parsing": "true or false", "missing": "a value (it is required)"}


def variable(name: str, default: Any, meaning: str, *, form: str | None = None,
             shown: str | None = None, secret: bool = False, **constraints: Any) -> Any:
    """A field read from environment variable ``name``.

    ``form`` is the expected form named when a value is bad; ``shown`` is how README's
    configuration table shows a default that is not a plain value (``(required)``); a
    ``secret``'s bad value is never repeated in the message.
    """
    extra: JsonDict = {key: value for key, value in
                       (("form", form), ("shown", shown), ("secret", secret)) if value}
    return Field(default, validation_alias=name, description=meaning,
                 json_schema_extra=extra or None, **constraints)


def comma_list(value: Any) -> Any:
    """``"a,b"`` from the environment as ``("a", "b")``; other values unchanged."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def comma_ints(value: Any) -> Any:
    """``"1,2"`` from the environment as ``(1, 2)`` (a bad item fails the whole value)."""
    items = comma_list(value)
    try:
        return tuple(int(item) for item in items)
    except (TypeError, ValueError):
        raise ValueError("whole numbers separated by commas") from None


# Lists written ``a,b,c`` in the environment (not JSON, pydantic-settings' default).
CommaList = Annotated[tuple[str, ...], NoDecode, BeforeValidator(comma_list)]
CommaInts = Annotated[tuple[int, ...], NoDecode, BeforeValidator(comma_ints)]


class SettingsError(SystemExit):
    """A bad setting: stops the process with a message naming the variable."""


@dataclass(frozen=True)
class Variable:
    """One declared environment variable, as README's configuration tables list it."""

    name: str
    default: str
    meaning: str


class LoketSettings(BaseSettings):
    """Base of every Loket process's settings; keyword arguments override the environment."""

    # An empty variable counts as unset (compose passes ``${X:-}`` through as "").
    model_config = SettingsConfigDict(frozen=True, case_sensitive=True, extra="forbid",
                                      env_ignore_empty=True, validate_by_name=True,
                                      validate_by_alias=True)

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise SettingsError(describe(type(self), error)) from None

    @classmethod
    def variables(cls) -> Iterator[Variable]:
        """Every environment variable this class reads, with its default as README shows it."""
        for field in cls.model_fields.values():
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            default = field.default
            if isinstance(default, tuple):
                default = ",".join(str(item) for item in default)
            shown = extra.get("shown") or f"`{default}`"
            yield Variable(str(field.validation_alias), str(shown), field.description or "")


def describe(cls: type[BaseSettings], error: ValidationError) -> str:
    """One line per bad value: ``NAME: expected FORM, got 'VALUE'``."""
    aliases = {name: str(field.validation_alias or name) for name, field in
               cls.model_fields.items()}
    fields = {alias: cls.model_fields[name] for name, alias in aliases.items()}
    lines = []
    for problem in error.errors():
        key = str(problem["loc"][0]) if problem["loc"] else "?"
        name = aliases.get(key, key)
        field = fields.get(name)
        extra = field.json_schema_extra if field and isinstance(field.json_schema_extra,
                                                                dict) else {}
        form = extra.get("form") or FORMS.get(problem["type"]) or _constraint(problem)
        if problem["type"] == "missing":
            lines.append(f"{name}: expected {form}, but it is not set")
        elif extra.get("secret"):
            lines.append(f"{name}: expected {form} (the value given is not shown)")
        else:
            lines.append(f"{name}: expected {form}, got {problem.get('input')!r}")
    return "\n".join(lines)


def _constraint(problem: Any) -> str:
    """The form for a failed constraint (``> 0``) or a custom validator's message."""
    context = problem.get("ctx") or {}
    for key, sign in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
        if key in context:
            return f"a number {sign} {context[key]}"
    if "expected" in context:
        return f"one of {context['expected']}"
    return str(problem["msg"]).removeprefix("Value error, ")


class BrokerSettings(LoketSettings):
    """What every process on the event bus reads (the services, the topology and replay tools)."""

    amqp_uri: str = variable("AMQP_URI", DEFAULT_AMQP_URI, "RabbitMQ (RPC and events)")
    event_retry_delays_ms: CommaInts = variable(
        "EVENT_RETRY_DELAYS_MS", DEFAULT_RETRY_DELAYS_MS,
        "back-off before each retry of a failed event handler; after the last, the event "
        "goes to the dead-letter queue",
        form="milliseconds separated by commas, e.g. 1000,10000,60000")


RPC_KEYS_FORM = "Fernet keys separated by commas"


class RpcSettings(LoketSettings):
    """What every process that sends or answers RPC reads: the keys sealing its payloads."""

    rpc_keys: CommaList = variable(
        RPC_KEYS_VARIABLE, (), "keys sealing RPC requests and replies end to end (the broker "
        "sees only ciphertext): `KEY[,OLDER_KEY]`, the first seals, every one opens; the same "
        "list in the gateway and every service; rotate as [docs/data-protection.md]"
        "(docs/data-protection.md) says", form=RPC_KEYS_FORM,
        shown="(required; `make run` makes one per run, the tests their own)", secret=True,
        repr=False)

    @field_validator("rpc_keys")
    @classmethod
    def _rpc_keys_are_keys(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not all(valid_key(key) for key in value):
            raise ValueError(RPC_KEYS_FORM)
        return value

    def rpc_config(self) -> dict[str, Any]:
        """Nameko's config entries for sealed RPC (registers the serializer with the keys).

        Without keys the process stops here, at its start (the gateway's settings are also
        read at import, where no key is needed yet).
        """
        if not self.rpc_keys:
            raise SettingsError(f"{RPC_KEYS_VARIABLE}: expected {RPC_KEYS_FORM}, but it is not "
                                "set")
        return install(self.rpc_keys)


class ServiceSettings(BrokerSettings, RpcSettings):
    """What every Nameko service reads; a service's subclass adds its own variables.

    A subclass declares ``mongo_database`` with its own variable (``<SERVICE>_MONGO_DATABASE``)
    and extends :meth:`nameko_config` for what its dependencies read from the config.
    """

    mongo_uri: str = variable("MONGO_URI", DEFAULT_MONGO_URI,
                              "MongoDB (`make run` sets it to its SecantusDB)")
    mongo_database: str = variable("MONGO_DATABASE", "loket", "the service's database")
    outbox_poll_seconds: float = variable(
        "OUTBOX_POLL_SECONDS", DEFAULT_POLL_SECONDS, "how often the outbox relay looks for "
        "unpublished events (it is also nudged after each write)", gt=0)
    max_workers: int = variable("MAX_WORKERS", 10, "concurrent workers per service", ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = variable(
        "LOG_LEVEL", "INFO", "log level (JSON lines on stderr)")
    data_keys: str = variable(
        DATA_KEYS_VARIABLE, ..., "tenant keys of personal data at rest (they wrap each "
        "person's data key): `tenant=KEY[,OLDER_KEY]` separated by `;`, the current key "
        "first; `*=KEY` derives a separate key for every other tenant; rotate with "
        "`loket-rotate-data-keys <service>` "
        "([docs/data-protection.md](docs/data-protection.md))",
        form="tenant=KEY[,OLDER_KEY] separated by ';'",
        shown="(required; `make run` and the tests make their own)", secret=True, repr=False)
    key_vault_mongo_uri: str = variable(
        "KEY_VAULT_MONGO_URI", "", "MongoDB of the service's key vault (the per-person data "
        "keys that erasure destroys); empty: the service's own `MONGO_URI`. In production a "
        "server of its own with short backups and a small oplog "
        "([docs/data-protection.md](docs/data-protection.md))", shown="(`MONGO_URI`)")
    key_cache_seconds: float = variable(
        "KEY_CACHE_SECONDS", 30.0, "how long a service keeps a person's unwrapped data key in "
        "memory (0: not at all); an erasure in another instance takes effect there after "
        "this at the latest", ge=0)
    index_key: str = variable(
        INDEX_KEY_VARIABLE, ..., "key of the blind indexes (keyed look-ups such as one lottery "
        "entry per email); never rotated", form="a key (any non-empty text)",
        shown="(required; likewise)", secret=True, repr=False, min_length=1)

    # Config keys of Nameko itself or of loket_common's dependencies, by field.
    NAMEKO_KEYS: ClassVar[dict[str, str]] = {
        "amqp_uri": "AMQP_URI", "mongo_uri": "MONGO_URI", "mongo_database": "MONGO_DATABASE",
        "outbox_poll_seconds": "OUTBOX_POLL_SECONDS",
        "event_retry_delays_ms": "EVENT_RETRY_DELAYS_MS", "max_workers": "max_workers",
        "key_vault_mongo_uri": "KEY_VAULT_MONGO_URI", "key_cache_seconds": "KEY_CACHE_SECONDS"}

    @field_validator("data_keys")
    @classmethod
    def _data_keys_listed(cls, value: str) -> str:
        if not parse_data_keys(value):
            raise ValueError("tenant=KEY[,OLDER_KEY] separated by ';'")
        return value

    def nameko_config(self) -> dict[str, Any]:
        """The config dict Nameko runs this service with."""
        config: dict[str, Any] = {key: getattr(self, name)
                                  for name, key in self.NAMEKO_KEYS.items()}
        config["EVENT_RETRY_DELAYS_MS"] = list(self.event_retry_delays_ms)
        config["LOGGING"] = logging_config(self.log_level)
        config.update(self.rpc_config())
        return config
