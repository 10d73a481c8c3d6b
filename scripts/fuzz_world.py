"""Seeds the world scripts/fuzz runs against and prints its ids as JSON.

Generated path parameters are random UUIDs, which name nothing, so without this every
operation on one resource (`/v1/teams/{id}`, ...) would only ever be answered 404 and its
handler never reached. fuzz_hooks.py puts these ids into most generated cases instead.

A DELETE names resources of its own (`NAME:delete`), seeded for it alone.

Usage: python3 scripts/fuzz_world.py BASE_URL KEY ORGANIZATION_ID
"""

import json
import sys
import urllib.request

base, key, organization = sys.argv[1:4]


def call(method, path, body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request) as response:
        return json.load(response).get("data", {})


team = call("POST", "/v1/teams", {"organization_id": organization, "name": "Fuzz"})["id"]
job = call("POST", "/v1/jobs", {"organization_id": organization, "team_id": team, "provider": "echo", "input": {"text": "x"}})["id"]
definition = call(
    "POST",
    "/v1/workflow-definitions",
    {"organization_id": organization, "name": "w", "nodes": [{"id": "a", "provider": "echo", "input": {"text": "x"}}]},
)["id"]
run = call("POST", "/v1/workflow-runs", {"definition_id": definition})["id"]
share = call("POST", "/v1/shares", {"resource": {"type": "job", "id": job}})
service_key = call("POST", "/v1/api-keys", {"name": "svc", "organization_id": organization})
# The key the api-keys operations rotate, disable and revoke: never the admin's own.
spare_key = call("POST", "/v1/api-keys", {"name": "spare"})
invitation = call("POST", "/v1/invitations", {"organization_id": organization, "email": "a@example.com", "role": "viewer"})["id"]
asset = call("POST", f"/v1/assets?organization_id={organization}&name=a.txt", b"bytes", "application/octet-stream")["id"]
member = service_key["principal_id"]
call("PUT", f"/v1/teams/{team}/members/{member}", {"role": "member"})
# What the DELETE operations remove, so that the rest of the world stays whole for the others.
doomed_organization = call("POST", "/v1/organizations", {"name": "Doomed"})["id"]
doomed_team = call("POST", "/v1/teams", {"organization_id": organization, "name": "Doomed"})["id"]
doomed_asset = call("POST", f"/v1/assets?organization_id={organization}&name=b.txt", b"bytes", "application/octet-stream")["id"]
doomed_member = call("POST", "/v1/api-keys", {"name": "doomed", "organization_id": organization})["principal_id"]
call("PUT", f"/v1/teams/{team}/members/{doomed_member}", {"role": "member"})
print(
    json.dumps(
        {
            "organizations": organization,
            "teams": team,
            "jobs": job,
            "workflow-definitions": definition,
            "workflow-runs": run,
            "shares": share["id"],
            "token": share["token"],
            "api-keys": spare_key["id"],
            "invitations": invitation,
            "assets": asset,
            "principal_id": member,
            "organizations:delete": doomed_organization,
            "teams:delete": doomed_team,
            "assets:delete": doomed_asset,
            "principal_id:delete": doomed_member,
        }
    )
)
