# Sourced by scripts/load, scripts/load-compare and scripts/fuzz: a server on a fresh store, and its check request.
#
# serve_for_load BINARY FOLDER serves BINARY on a free port over a fresh SQLite store in
# FOLDER (gRPC on another free port, in FOLDER/grpc-port), with the bootstrap key and rate limits raised out of the way; creates an
# organization; verifies the key once (argon2id), so the measured checks are served from the
# verified-key cache; and leaves FOLDER/base (the URL), FOLDER/pid, FOLDER/key (the platform
# admin's key), FOLDER/organization (its id), FOLDER/check.lua (wrk's script for `POST /v1/authz/check`,
# `organization.read` on the organization) and FOLDER/write.lua (`POST /v1/teams` in that
# organization, each request a new name: one write transaction, its audit event and its
# change-log revision).
#
# SERVER_PREFIX, when set, is a command the server runs under (e.g. `env AUTHZ_EVENT_LOOPS=1
# taskset -c 0`, scripts/latency --pinned).

install_wrk() {
    command -v wrk >/dev/null && return
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo=sudo; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
}

serve_for_load() {
    local binary=$1 folder=$2 port grpc_port key base organization body
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    grpc_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    echo "$grpc_port" >"$folder/grpc-port"
    key="load-test-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
    base="http://127.0.0.1:$port"
    ${SERVER_PREFIX:-} "$binary" serve --port "$port" --grpc-port "$grpc_port" --database-url "sqlite://$folder/authz.sqlite" --bootstrap-key "$key" --log-level error \
        --rate-limit 100000000 --check-rate-limit 100000000 --anonymous-rate-limit 100000000 >"$folder/server.log" 2>&1 &
    echo $! >"$folder/pid"
    for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    organization=$(curl -fs -X POST "$base/v1/organizations" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -d '{"name": "Load"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["id"])')
    body="{\"permission\": \"organization.read\", \"resource\": {\"type\": \"organization\", \"id\": \"$organization\"}}"
    curl -fs -X POST "$base/v1/authz/check" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$body" >/dev/null
    cat >"$folder/check.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA
    cat >"$folder/write.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
-- Each wrk thread numbers its own names, after the second the run started, so no two
-- requests (of this run or an earlier one) name the same team.
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("thread", threads)
end
local count = 0
local started = os.time()
request = function()
    count = count + 1
    local body = '{"organization_id": "$organization", "name": "team ' .. started .. '-' .. tostring(thread) .. '-' .. tostring(count) .. '"}'
    return wrk.format(nil, "/v1/teams", nil, body)
end
LUA
    echo "$base" >"$folder/base"
    echo "$key" >"$folder/key"
    echo "$organization" >"$folder/organization"
}
