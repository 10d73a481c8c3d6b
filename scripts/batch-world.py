#!/usr/bin/env python3
"""Builds a world through the API for the check-batch load test and writes wrk scripts.

Usage: batch-world.py BASE ADMIN_KEY FOLDER [ORGANIZATIONS] [MEMBERS] [TEAMS]

Creates ORGANIZATIONS organizations (default 20), each with MEMBERS service principals
(default 50: organization API keys with the role member, viewer or admin; each is a distinct
subject) and TEAMS teams (default 25), then writes into FOLDER:
  batch100.lua      batches of 100 checks by the caller itself (one API key), the same item
                    shape throughout (organization.read / team.read on its own organization);
  distinct1000.lua  batches of 1,000 checks, each item a different (subject, resource) pair
                    drawn across all organizations: mostly inside the subject's organization,
                    a fifth across tenants (denied);
  batch100-compact.lua, distinct1000-compact.lua  the same bodies with "echo": false.
Each script cycles through 16 pre-built bodies so consecutive requests differ.
"""
import concurrent.futures, json, random, sys, urllib.request

base, key, folder = sys.argv[1], sys.argv[2], sys.argv[3]
organizations = int(sys.argv[4]) if len(sys.argv) > 4 else 20
members = int(sys.argv[5]) if len(sys.argv) > 5 else 50
teams = int(sys.argv[6]) if len(sys.argv) > 6 else 25
random.seed(7)
if organizations * members * teams < 4000:
    sys.exit("batch-world.py: too small a world for batches of 1,000 distinct pairs")

def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]

orgs = [call("POST", "/v1/organizations", {"name": f"Batch {i}"})["id"] for i in range(organizations)]
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    team_ids = {org: list(pool.map(lambda i, org=org: call("POST", "/v1/teams", {"organization_id": org, "name": f"team {i}"})["id"], range(teams)))
                for org in orgs}
    roles = ["member", "member", "viewer", "admin"]
    def member(args):
        org, i = args
        # An organization key's service principal is a member of the organization with the key's role.
        created = call("POST", "/v1/api-keys", {"name": f"m{i}", "organization_id": org, "role": roles[i % len(roles)]})
        return org, created["principal_id"] if "principal_id" in created else created["key"]["principal_id"]
    pairs = list(pool.map(member, [(org, i) for org in orgs for i in range(members)]))
subjects = {}
for org, principal in pairs:
    subjects.setdefault(org, []).append(principal)

def lua(name, bodies):
    with open(f"{folder}/{name}.lua", "w") as out:
        out.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
        out.write(f'wrk.headers["Authorization"] = "Bearer {key}"\n')
        out.write("local bodies = {\n" + ",\n".join("[==[" + body + "]==]" for body in bodies) + "\n}\n")
        # Each request is formatted once, up front: wrk shares the cores with the server, and
        # formatting a large body per request cost wrk half its CPU time.
        out.write("local requests = {}\nfor k, body in ipairs(bodies) do\n  requests[k] = wrk.format(nil, '/v1/authz/check-batch', nil, body)\nend\n"
                  "local i = 0\nrequest = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n")

def own(org):
    if random.random() < 0.5:
        return {"permission": "organization.read", "resource": {"type": "organization", "id": org}}
    return {"permission": "team.read", "resource": {"type": "team", "id": random.choice(team_ids[org])}}

batch100 = [[own(orgs[0]) for _ in range(100)] for _ in range(16)]
lua("batch100", [json.dumps({"checks": checks}) for checks in batch100])
lua("batch100-compact", [json.dumps({"checks": checks, "echo": False}) for checks in batch100])
permissions = ["team.read", "team.update", "team.member.manage", "job.create", "asset.create"]
distinct = []
for _ in range(16):
    seen, checks = set(), []
    while len(checks) < 1000:
        org = random.choice(orgs)
        subject = random.choice(subjects[org])
        target = org if random.random() < 0.8 else random.choice(orgs)
        team = random.choice(team_ids[target])
        if (subject, team) in seen:
            continue
        seen.add((subject, team))
        checks.append({"subject": {"type": "principal", "id": subject}, "permission": random.choice(permissions),
                       "resource": {"type": "team", "id": team}})
    distinct.append(checks)
lua("distinct1000", [json.dumps({"checks": checks}) for checks in distinct])
lua("distinct1000-compact", [json.dumps({"checks": checks, "echo": False}) for checks in distinct])
print(f"{organizations} organizations, {len(pairs)} members, {organizations * teams} teams")
