"""Schemathesis hooks for scripts/fuzz: the rules of the API that a JSON Schema cannot state.

The OpenAPI document states every rule it can (types, lengths, patterns, enumerations, which
permission applies to which resource type, which provider takes which input). What it cannot:
an `expires_at` must lie in the future, a workflow node may depend only on nodes of the
same definition, without cycles or repeated ids, and a run's input names only its
definition's nodes. Generated positive cases are brought within
those rules here, so that a 400 for them would be a real disagreement between the document
and the server; negative cases are left as generated. Positive cases also mostly name the
resources scripts/fuzz_world.py seeded, so that operations on one resource reach it.
"""

import itertools
import json
import os
from datetime import datetime, timedelta, timezone

import schemathesis

# The ids of the world scripts/fuzz_world.py seeded (AUTHZ_FUZZ_WORLD names its JSON file).
_WORLD = json.load(open(os.environ["AUTHZ_FUZZ_WORLD"])) if os.environ.get("AUTHZ_FUZZ_WORLD") else {}
# Every fifth positive case keeps its generated ids (a counter: hypothesis wants no `random`
# in what shapes its cases).
_COUNT = itertools.count()
_FIELDS = {
    "organization_id": "organizations",
    "team_id": "teams",
    "job_id": "jobs",
    "definition_id": "workflow-definitions",
    "principal_id": "principal_id",
}
# A `{"type", "id"}` reference (a check's resource, a share's) of these policy types.
_TYPES = {
    "organization": "organizations",
    "team": "teams",
    "job": "jobs",
    "asset": "assets",
    "workflow_definition": "workflow-definitions",
    "workflow_run": "workflow-runs",
    "api_key": "api-keys",
    "invitation": "invitations",
    "share": "shares",
    "principal": "principal_id",
}


def _positive(case):
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _name_the_world(case):
    """Most positive cases name the seeded resources, so that their handlers are reached;
    the rest keep their random ids (which must be 404). Negative cases are left alone: a
    generated invalid id must stay invalid. A DELETE removes the resources seeded for it, so
    that the others stay whole."""
    if not _WORLD or next(_COUNT) % 5 == 0:
        return
    segments = case.operation.path.strip("/").split("/")
    deleting = case.method.upper() == "DELETE"

    def named(key):
        return _WORLD.get(key + ":delete", _WORLD[key]) if deleting else _WORLD[key]

    if case.path_parameters:
        for index, segment in enumerate(segments):
            name = segment.strip("{}")
            if segment == "{id}" and segments[index - 1] in _WORLD:
                # Only the last resource of the path is deleted: a team's member is removed
                # from the seeded team.
                last = index == len(segments) - 1
                case.path_parameters["id"] = named(segments[index - 1]) if last else _WORLD[segments[index - 1]]
            elif segment.startswith("{") and name in _WORLD:
                case.path_parameters[name] = named(name)
    _name_in(case.query)
    _name_in(case.body)


def _name_in(value):
    """Ids in a query or body, at any depth: the fields named for a resource, and references."""
    if isinstance(value, list):
        for item in value:
            _name_in(item)
    if not isinstance(value, dict):
        return
    for field, resource in _FIELDS.items():
        if isinstance(value.get(field), str):
            value[field] = _WORLD[resource]
    if isinstance(value.get("id"), str) and value.get("type") in _TYPES:
        value["id"] = _WORLD[_TYPES[value["type"]]]
    for item in value.values():
        if isinstance(item, (dict, list)):
            _name_in(item)


def _short_sleeps(value):
    """`sleep` runs for up to a minute as asked, and an execution is answered when it ends:
    longer than the client waits. Valid cases sleep half a second at most."""
    if isinstance(value, list):
        for item in value:
            _short_sleeps(item)
    if isinstance(value, dict):
        if isinstance(value.get("milliseconds"), (int, float)) and not isinstance(value["milliseconds"], bool):
            value["milliseconds"] = min(value["milliseconds"], 500)
        for item in value.values():
            _short_sleeps(item)


@schemathesis.hook
def map_case(context, case):
    if not _positive(case):
        return case
    _name_the_world(case)
    if not isinstance(case.body, dict):
        return case
    label = case.operation.label
    if label in ("POST /v1/api-keys", "POST /v1/shares") and isinstance(case.body.get("expires_at"), str):
        case.body["expires_at"] = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _short_sleeps(case.body)
    if label == "POST /v1/workflow-runs" and isinstance(case.body.get("input"), dict):
        # A run's input is keyed by the nodes of its definition (the seeded one has node "a").
        case.body["input"] = {node: value for node, value in case.body["input"].items() if node == "a"}
    if label == "POST /v1/workflow-definitions" and isinstance(case.body.get("nodes"), list):
        seen, nodes = [], []
        for node in case.body["nodes"]:
            if not isinstance(node, dict) or node.get("id") in seen:
                continue
            if isinstance(node.get("depends_on"), list):
                node["depends_on"] = [dependency for dependency in dict.fromkeys(node["depends_on"]) if dependency in seen]
            seen.append(node.get("id"))
            nodes.append(node)
        if nodes:
            case.body["nodes"] = nodes
    return case
