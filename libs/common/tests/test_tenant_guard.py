"""No production code writes to a raw collection: only a TenantCollection or AllTenants may.

A scan of the syntax of every module of ``libs/common`` and ``services/*/loket_*``. It finds
a pymongo write verb called on a raw collection, written as one of:

- ``database["name"]`` (any subscript), ``something.collection``, ``x.get_collection(...)``;
- a name, or a ``self.`` attribute, assigned one of those;
- a parameter annotated ``Collection``.

Anything else is taken for a ``TenantCollection`` or ``AllTenants(...)``, the named escape
for writes that span tenants on purpose. ``create_index`` and reads are not writes here.
``loket_common/mongo.py`` implements the two wrappers and is not scanned.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(p for p in [*ROOT.glob("libs/common/loket_common/**/*.py"),
                             *ROOT.glob("services/*/loket_*/**/*.py")]
                 if p != ROOT / "libs/common/loket_common/mongo.py")
WRITES = {"insert_one", "insert_many", "update_one", "update_many", "replace_one",
          "delete_one", "delete_many", "find_one_and_update", "find_one_and_replace",
          "find_one_and_delete", "bulk_write"}


def is_raw(node: ast.expr) -> bool:
    """``database[...]``, ``x.collection`` or ``x.get_collection(...)``."""
    return (isinstance(node, ast.Subscript)
            or isinstance(node, ast.Attribute) and node.attr == "collection"
            or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_collection")


def raw_attributes(tree: ast.Module) -> set[str]:
    """``self.<name>`` attributes that some method assigns a raw collection."""
    return {target.attr for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and is_raw(node.value) for target in node.targets
            if isinstance(target, ast.Attribute)}


def raw_names(scope: ast.AST) -> set[str]:
    """Names bound to a raw collection in a function (or at module level, for the module).

    Assigned one, or a parameter typed ``Collection``.
    """
    statements = scope.body if isinstance(scope, ast.Module) else ast.walk(scope)
    names = {target.id for node in statements if isinstance(node, ast.Assign)
             and is_raw(node.value) for target in node.targets if isinstance(target, ast.Name)}
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        names |= {arg.arg for arg in scope.args.args + scope.args.kwonlyargs
                  if arg.annotation is not None and "Collection" == ast.unparse(
                      arg.annotation).split(".")[-1]}
    return names


def raw_writes(source: str) -> list[str]:
    """``line: call`` for each write verb called on a raw collection in ``source``."""
    tree = ast.parse(source)
    attributes = raw_attributes(tree)
    found = set()
    for scope in [tree, *(node for node in ast.walk(tree)
                          if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))]:
        names = raw_names(scope)
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in WRITES):
                continue
            receiver = node.func.value
            if (is_raw(receiver) or isinstance(receiver, ast.Name) and receiver.id in names
                    or isinstance(receiver, ast.Attribute) and receiver.attr in attributes):
                found.add(f"{node.lineno}: {ast.unparse(node.func)}")
    return sorted(found)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_production_code_writes_only_through_the_tenant_guard(path):
    assert raw_writes(path.read_text()) == []


def test_the_scan_sees_every_raw_form_and_lets_the_guard_through():
    source = '''
def raw(database, collection: Collection, things):
    database["a"].insert_one({})
    collection.update_many({}, {})
    things.collection.delete_one({})
    named = database.get_collection("b")
    named.bulk_write([])
    self.outbox = database["outbox"]
    self.outbox.find_one_and_delete({})

def indexes(database):
    things = database["a"]
    things.create_index([("tenant", 1)])

def guarded(database, tenant):
    TenantCollection(database["a"], tenant).insert_one({})
    AllTenants(database["outbox"]).update_many({}, {})
    database["a"].create_index([("tenant", 1)])
    things = TenantCollection(database["a"], tenant)
    things.delete_many({})
'''
    assert [line.split(": ")[1] for line in raw_writes(source)] == [
        "database['a'].insert_one", "collection.update_many", "things.collection.delete_one",
        "named.bulk_write", "self.outbox.find_one_and_delete"]
    assert len(MODULES) > 40  # the glob found the services' packages
