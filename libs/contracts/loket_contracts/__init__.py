# SPDX-License-Identifier: EUPL-1.2
"""The contract between the gateway and each service, written once.

Per service a subpackage (``appointments``, ``permits``, ``profile``) holds the marshmallow
schemas of what crosses RPC (what the service loads, what it dumps) and a ``typing.Protocol``
of its RPC methods; the services validate and dump with these schemas, the gateway declares
its routes with them, and ``loket_contracts.fakes`` builds test doubles from the Protocols.
"""
