"""Schemathesis hooks for scripts/fuzz: the rules of the API that a JSON Schema cannot state.

The OpenAPI document states every rule it can (types, lengths, patterns, enumerations, which
permission applies to which resource type, which provider takes which input). What it cannot:
an `expires_at` must lie in the future, and a workflow node may depend only on nodes of the
same definition, without cycles or repeated ids. Generated positive cases are brought within
those rules here, so that a 400 for them would be a real disagreement between the document
and the server; negative cases are left as generated.
"""

from datetime import datetime, timedelta, timezone

import schemathesis


def _positive(case):
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.hook
def map_case(context, case):
    if not _positive(case) or not isinstance(case.body, dict):
        return case
    label = case.operation.label
    if label in ("POST /v1/api-keys", "POST /v1/shares") and isinstance(case.body.get("expires_at"), str):
        case.body["expires_at"] = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
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
