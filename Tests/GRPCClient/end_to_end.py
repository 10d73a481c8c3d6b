"""The gRPC API as a Python service would use it, with stubs grpcio-tools generated from
proto/ (scripts/grpc-client-test): the platform admin creates an organization and a team over
HTTP, then asks over gRPC, watches itself join the team, and checks health through
grpcio-health-checking's stubs. Fails (exit 1) on any answer that is not the expected one."""

import json
import os
import sys
import urllib.request

import grpc

from authz.v1 import authz_pb2, authz_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

BASE = os.environ["AUTHZ_BASE"]
KEY = os.environ["AUTHZ_KEY"]
CREDENTIALS = [("authorization", f"Bearer {KEY}")]


def post(path, body, method="POST"):
    request = urllib.request.Request(
        BASE + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]


def expect(condition, what):
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


organization = post("/v1/organizations", {"name": "Python"})["id"]
team = post("/v1/teams", {"organization_id": organization, "name": "Red"})["id"]
me = post("/v1/me", None, method="GET")["id"]

with grpc.insecure_channel(os.environ["AUTHZ_GRPC"]) as channel:
    authz = authz_pb2_grpc.AuthzServiceStub(channel)

    answer = authz.Check(
        authz_pb2.CheckRequest(
            permission="team.read",
            resource=authz_pb2.ResourceReference(type="team", id=team),
            explain=True,
        ),
        metadata=CREDENTIALS,
        timeout=5,
    )
    expect(answer.allowed and answer.reason.role == "owner", "Check: the owner may read its team, as owner")
    expect(answer.reason.on.type == "organization" and answer.reason.on.id == organization, "Check: the reason names the organization")
    expect(len(answer.trace) > 0 and answer.revision > 0, "Check: a trace and the revision")

    batch = authz.CheckBatch(
        authz_pb2.CheckBatchRequest(
            checks=[
                authz_pb2.CheckRequest(permission="team.read", resource=authz_pb2.ResourceReference(type="team", id=team)),
                authz_pb2.CheckRequest(permission="organization.delete", resource=authz_pb2.ResourceReference(type="organization", id=organization)),
            ],
            echo=True,
        ),
        metadata=CREDENTIALS,
        timeout=5,
    )
    expect([r.allowed for r in batch.results] == [True, True], "CheckBatch: answers in order")
    expect(all(r.revision == batch.revision for r in batch.results), "CheckBatch: one revision")
    expect(batch.results[1].permission == "organization.delete", "CheckBatch: echo repeats the question")

    try:
        authz.Check(authz_pb2.CheckRequest(permission="team.read", resource=authz_pb2.ResourceReference(type="team", id=team)), timeout=5)
        expect(False, "a call without credentials is refused")
    except grpc.RpcError as error:
        expect(error.code() == grpc.StatusCode.UNAUTHENTICATED, "a call without credentials is UNAUTHENTICATED")

    try:
        authz.Check(authz_pb2.CheckRequest(permission="team.fly", resource=authz_pb2.ResourceReference(type="team", id="x")), metadata=CREDENTIALS, timeout=5)
        expect(False, "a wrong check is refused")
    except grpc.RpcError as error:
        expect(error.code() == grpc.StatusCode.INVALID_ARGUMENT, "a wrong check is INVALID_ARGUMENT")
        expect("resource.id: must be a UUID" in error.details(), "the message names the field: " + error.details())

    teams = authz.LookupResources(
        authz_pb2.LookupResourcesRequest(permission="team.read", resource_type="team", organization_id=organization, limit=10),
        metadata=CREDENTIALS,
        timeout=5,
    )
    expect([(i.type, i.id) for i in teams.items] == [("team", team)] and teams.cursor == "", "LookupResources: the one team, one page")
    holders = authz.LookupSubjects(
        authz_pb2.LookupSubjectsRequest(permission="team.read", resource=authz_pb2.ResourceReference(type="team", id=team)),
        metadata=CREDENTIALS,
        timeout=5,
    )
    expect([(i.type, i.id) for i in holders.items] == [("principal", me)], "LookupSubjects: the owner reads the team")

    # Watch: the subscription is in place with its first message; then the admin joins the
    # team over HTTP, and the stream delivers that membership change.
    stream = authz.Watch(authz_pb2.WatchRequest(), metadata=CREDENTIALS, timeout=20)
    first = next(stream)
    expect(first.WhichOneof("kind") == "subscribed" and first.subscribed.revision > 0, "Watch: subscribed first")
    post(f"/v1/teams/{team}/members/{me}", {"role": "maintainer"}, method="PUT")
    event = next(m.event for m in stream if m.WhichOneof("kind") == "event" and m.event.type == "team.member_set")
    expect(event.organization_id == organization and event.target.id == me, "Watch: sees the membership change in its organization")
    expect(event.data["role"] == "maintainer" and event.revision > first.subscribed.revision, "Watch: with the new role, after the subscription")
    stream.cancel()
    resumed = authz.Watch(authz_pb2.WatchRequest(after=str(first.subscribed.revision)), metadata=CREDENTIALS, timeout=20)
    replayed = next(m.event for m in resumed if m.WhichOneof("kind") == "event")
    expect(replayed.id == event.id, "Watch: resumed after a revision, the same event again")
    resumed.cancel()

    health = health_pb2_grpc.HealthStub(channel)
    status = health.Check(health_pb2.HealthCheckRequest(service="authz.v1.AuthzService"), timeout=5).status
    expect(status == health_pb2.HealthCheckResponse.SERVING, "health: SERVING")
    watch = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=5)
    expect(next(watch).status == health_pb2.HealthCheckResponse.SERVING, "health Watch: SERVING first")
    watch.cancel()
    unknown = health.Watch(health_pb2.HealthCheckRequest(service="nope"), timeout=5)
    expect(next(unknown).status == health_pb2.HealthCheckResponse.SERVICE_UNKNOWN, "health Watch: SERVICE_UNKNOWN for another name")
    unknown.cancel()

print("the Python client agrees")
