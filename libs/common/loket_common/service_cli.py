# SPDX-License-Identifier: EUPL-1.2
"""``loket-service run SERVICE``: run a Nameko service with the config its settings class makes.

``SERVICE`` is ``module[:Class]`` as for ``nameko run``. The settings class is
``<package>.settings:Settings`` of the service's top-level package (``loket_appointments``
-> ``loket_appointments.settings.Settings``) unless ``--settings MODULE:CLASS`` names one;
it reads the environment, and a bad value stops the start with a message naming the
variable (no traceback). Any other sub-command goes to the ``nameko`` command line.
Importing ``loket_common`` first hides eventlet's deprecation notice.
"""
from __future__ import annotations

import argparse  # noqa: E402
import importlib  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

import loket_common  # noqa: F401 (installs the warning filter before nameko imports eventlet)


def settings_class(service: str, explicit: str | None = None) -> type[Any]:
    """The settings class of ``service`` (``module[:Class]``), or the ``explicit`` one."""
    path = explicit or f"{service.split(':')[0].split('.')[0]}.settings:Settings"
    module_name, _, name = path.partition(":")
    if "." not in sys.path:
        sys.path.insert(0, ".")  # as ``nameko run`` does: modules from the working directory
    try:
        found = getattr(importlib.import_module(module_name), name or "Settings")
    except ModuleNotFoundError as error:
        if error.name is None or not module_name.startswith(error.name):
            raise
        found = None
    except AttributeError:
        found = None
    if found is None:
        raise SystemExit(f"loket-service: no settings class {path!r} for {service!r} "
                         "(give one with --settings MODULE:CLASS)")
    if not hasattr(found, "nameko_config"):
        raise SystemExit(f"loket-service: {path!r} is not a ServiceSettings class")
    return found


def run(services: list[str], settings: str | None = None,
        backdoor_port: int | None = None) -> None:
    """Build the config from the settings class, configure logging, run the services."""
    import logging.config

    from nameko.cli.run import import_service
    from nameko.cli.run import run as nameko_run

    config = settings_class(services[0], settings)().nameko_config()
    logging.config.dictConfig(config["LOGGING"])
    found = [cls for path in services for cls in import_service(path)]
    nameko_run(found, config, backdoor_port=backdoor_port)


def main(argv: list[str] | None = None) -> None:
    """``loket-service run [--settings MODULE:CLASS] SERVICE...``; other commands: ``nameko``."""
    import eventlet

    eventlet.monkey_patch()  # first: before nameko, kombu or a service is imported
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] != "run":
        from nameko.cli.main import main as nameko_main

        nameko_main()
        return
    parser = argparse.ArgumentParser(prog="loket-service run", description=__doc__.split("\n")[0])
    parser.add_argument("services", nargs="+", metavar="SERVICE", help="module[:Class]")
    parser.add_argument("--settings", metavar="MODULE:CLASS",
                        help="the settings class (default: <package>.settings:Settings)")
    parser.add_argument("--backdoor-port", type=int, help="as for nameko run")
    args = parser.parse_args(argv[1:])
    run(args.services, args.settings, args.backdoor_port)
