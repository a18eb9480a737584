#!/usr/bin/env bash
# Side by side at the wire's edge: calls per second of our generated
# `ivschat` crate, of the official aws-sdk-ivschat, and of `wrk` (the bare
# connection), against the same loopback HTTP server answering fixed
# CreateChatToken and CreateRoom JSON bodies.
#
# The server is nginx from the distribution's packages (`apt-get install
# nginx-light wrk`) when `nginx` is on PATH, else a minimal hyper server
# (`wire-compare-ours serve`); the output names which. Each client makes its
# calls from one task over one keep-alive connection, one after another:
# `wrk -t1 -c1` for WRK_SECONDS, each probe (scripts/wire_compare/{ours,sdk})
# N calls with the same checks of each answer. Clients run interleaved for R
# rounds; the medians and the ratios ours/SDK and ours/wrk are printed, and
# the transport overhead estimate: our mean latency - wrk's mean latency -
# the client's CPU per call (from the criterion bench's last result in
# target/criterion/client_call/*, if any: `cargo bench -p tests --bench
# client -- client_call`).
#
# Everything stays on 127.0.0.1 (credentials are fixed fake ones); every
# step runs under `timeout`, and the server is stopped on exit.
#
# Usage: scripts/wire_compare.sh            the side-by-side
#        scripts/wire_compare.sh profile    where each call's time goes
#
# `profile` (needs `perf` and `strace`: apt-get install linux-perf strace)
# runs each client once with one call and once with N, under `perf stat`
# (the client's and the server's CPU, the client's context switches),
# `strace -c -f` (syscalls) and `perf record --call-graph dwarf` (samples
# sorted by who runs: our client's stages, the transport glue, hyper's
# connection task, hyper-util's pool, tokio, the kernel's syscalls), and
# prints a per-call table in microseconds (the one-call run's counts are
# subtracted: start-up is not a call). See scripts/wire_compare/profile.py.
# Env:   N=<calls per probe run> (default 20000)   R=<rounds> (default 3)
#        WRK_SECONDS=<wrk run length> (default 2)   OPS="token room"
#        WIRE_COMPARE_DIR=<dir> target folders, server files and logs
#                         (default: /tmp/wire_compare)
#        SERVER=hyper     use the hyper server even if nginx is installed
#        RUNTIME=current_thread|spawned  the probes' tokio runtime: by
#                         default the multi-thread one `#[tokio::main]`
#                         builds, the calls in its `block_on`; `spawned`: the
#                         same, the calls in a spawned task (on a worker)
#
# The probes are standalone packages (own [workspace] and Cargo.lock; ours'
# lock seeded from the main workspace's, the SDK's from build_compare's).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${WIRE_COMPARE_DIR:-/tmp/wire_compare}"
N="${N:-20000}"
R="${R:-3}"
WRK_SECONDS="${WRK_SECONDS:-2}"
# The probes read RUNTIME themselves and take anything else for the
# multi-thread runtime: a misspelt value would be measured as that.
case "${RUNTIME:-}" in
  "" | current_thread | spawned) ;;
  *) echo "RUNTIME must be empty, current_thread or spawned, not '$RUNTIME'" >&2; exit 2 ;;
esac
OPS="${OPS:-token room}"
mkdir -p "$work"

say() { printf '==> %s\n' "$*" >&2; }

command -v wrk >/dev/null || { say "wrk is missing: apt-get install wrk"; exit 1; }

for p in ours sdk; do
  dir="$here/wire_compare/$p"
  if [ "$p" = ours ] && [ ! -f "$dir/Cargo.lock" ]; then cp "$root/Cargo.lock" "$dir/Cargo.lock"; fi
  if [ "$p" = sdk ] && [ ! -f "$dir/Cargo.lock" ]; then cp "$here/build_compare/sdk/Cargo.lock" "$dir/Cargo.lock"; fi
  say "building the $p probe (release)"
  (cd "$dir" && cargo fetch --quiet && CARGO_TARGET_DIR="$work/$p-target" \
    timeout 3600 cargo build --release --quiet) || { say "build of the $p probe failed"; exit 1; }
done
ours="$work/ours-target/release/wire-compare-ours"
sdk="$work/sdk-target/release/wire-compare-sdk"

TOKEN_BODY='{"token":"ACEKAtok3n","tokenExpirationTime":"2025-02-18T10:26:40Z","sessionExpirationTime":"2025-02-18T10:26:40Z"}'
ROOM_BODY='{"arn":"arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6","id":"g1H2I3j4k5L6","name":"room-1","createTime":"2025-02-18T09:26:40Z","updateTime":"2025-02-18T09:26:40Z","maximumMessageRatePerSecond":10,"maximumMessageLength":500,"tags":{"env":"prod","owner":"ana","team":"chat"},"loggingConfigurationIdentifiers":[]}'

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
server_pid=""
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ "${SERVER:-}" != hyper ] && command -v nginx >/dev/null; then
  server="nginx $(nginx -v 2>&1 | sed 's/.*nginx\///')"
  mkdir -p "$work/nginx/logs"
  # `return` answers without reading the request body into a file; nginx
  # still reads (discards) it, so the connection stays usable.
  cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path $work/nginx/body;
  server {
    listen 127.0.0.1:$port;
    default_type application/json;
    add_header x-amzn-requestid wire-compare always;
    location = /CreateChatToken { return 200 '$TOKEN_BODY'; }
    location = /CreateRoom { return 200 '$ROOM_BODY'; }
    location / { return 404 '{"message":"not found"}'; }
  }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
  server_pid=$!
else
  server="hyper (wire-compare-ours serve; nginx not found)"
  "$ours" serve "$port" &
  server_pid=$!
fi
for _ in $(seq 50); do
  curl -fsS -X POST -o /dev/null "$url/CreateChatToken" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -X POST "$url/CreateChatToken" | grep -q ACEKAtok3n || { say "the server does not answer"; exit 1; }
say "server: $server on $url"

# wrk sends what our probes send: a POST with a JSON body of the same size.
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
local bodies = {
  ["/CreateChatToken"] = '{"attributes":{"displayName":"Ana"},"capabilities":["SEND_MESSAGE"],"roomIdentifier":"arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6","sessionDurationInMinutes":60,"userId":"user-1"}',
  ["/CreateRoom"] = '{"maximumMessageLength":500,"maximumMessageRatePerSecond":10,"name":"room-1","tags":{"env":"prod","owner":"ana","team":"chat"}}',
}
request = function()
  return wrk.format(nil, nil, nil, bodies[wrk.path])
end
done = function(summary, latency, requests)
  io.write(string.format("wrk_result requests=%d errors=%d seconds=%.4f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, summary.duration / 1e6))
end
LUA

path_of() { if [ "$1" = token ]; then echo /CreateChatToken; else echo /CreateRoom; fi; }

if [ "${1:-}" = profile ]; then
  for tool in perf strace; do
    command -v "$tool" >/dev/null || { say "$tool is missing: apt-get install linux-perf strace"; exit 1; }
  done
  out="$work/profile"
  rm -rf "$out"; mkdir -p "$out"
  # One client run under perf stat, the server's perf stat alongside.
  stat_run() { # <label> <command...>
    local label="$1"; shift
    perf stat -x, -e task-clock,context-switches -p "$server_pid" -o "$out/$label.server" &
    local stat_pid=$!
    sleep 0.3
    timeout 600 perf stat -x, -e task-clock,user_time,system_time,context-switches,cpu-migrations \
      -o "$out/$label.client" -- "$@" >"$out/$label.out"
    kill -INT "$stat_pid"; wait "$stat_pid" || true
    timeout 600 strace -f -c -o "$out/$label.strace" -- "$@" >"$out/$label.strace.out"
  }
  for op in $OPS; do
    say "profile $op: wrk"
    stat_run "$op.wrk" wrk -t1 -c1 -d"${WRK_SECONDS}s" -s "$work/post.lua" "$url$(path_of "$op")"
    for probe in ours sdk; do
      bin="$ours"; [ "$probe" = sdk ] && bin="$sdk"
      for n in 1 "$N"; do
        say "profile $op: $probe, $n calls"
        stat_run "$op.$probe.$n" "$bin" "$url" "$op" "$n"
        timeout 600 perf record -q -e cpu-clock -F 4000 --call-graph dwarf,16384 \
          -o "$out/$op.$probe.$n.perf" -- "$bin" "$url" "$op" "$n" >/dev/null 2>&1
        perf script -i "$out/$op.$probe.$n.perf" -F ip,sym,dso --no-inline \
          >"$out/$op.$probe.$n.stacks" 2>/dev/null
        rm -f "$out/$op.$probe.$n.perf"
      done
    done
  done
  echo "server: $server; N=$N; runtime: ${RUNTIME:-multi_thread}; load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
  python3 "$here/wire_compare/profile.py" "$out" "$N" $OPS
  exit 0
fi

results="$work/results.txt"
: >"$results"
for round in $(seq "$R"); do
  for op in $OPS; do
    line="$(timeout 60 wrk -t1 -c1 -d"${WRK_SECONDS}s" -s "$work/post.lua" "$url$(path_of "$op")" | grep '^wrk_result')"
    read -r requests errors seconds <<<"$(sed 's/[a-z_]*=//g; s/wrk result //' <<<"${line#wrk_result }")"
    if [ "$errors" != 0 ]; then say "wrk: $errors errors"; exit 1; fi
    echo "$op wrk $(awk -v n="$requests" -v s="$seconds" 'BEGIN { printf "%.1f %.2f", n / s, s * 1e6 / n }')" >>"$results"
    for probe in ours sdk; do
      bin="$ours"; [ "$probe" = sdk ] && bin="$sdk"
      out="$(timeout 600 "$bin" "$url" "$op" "$N")" || { say "$probe probe failed"; exit 1; }
      echo "$op $probe $(sed -E 's/.*calls_per_s=([0-9.]+) mean_us=([0-9.]+).*/\1 \2/' <<<"$out")" >>"$results"
    done
    say "round $round/$R $op: $(grep "^$op " "$results" | tail -3 | awk '{ printf "%s %s/s  ", $2, $3 }')"
  done
done

echo "server: $server; N=$N calls per probe run, R=$R rounds, wrk ${WRK_SECONDS}s per run; runtime: ${RUNTIME:-multi_thread}; load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
python3 - "$results" "$root/target/criterion" <<'PY'
import json, os, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
crit = sys.argv[2]
bench = {"token": "create_chat_token", "room": "create_room_3_tags"}
for op in dict.fromkeys(r[0] for r in rows):
    med = {}
    for who in ("wrk", "ours", "sdk"):
        rs = [float(r[2]) for r in rows if r[0] == op and r[1] == who]
        ls = [float(r[3]) for r in rows if r[0] == op and r[1] == who]
        med[who] = (statistics.median(rs), statistics.median(ls))
    name = "CreateChatToken" if op == "token" else "CreateRoom (3 tags)"
    print(f"{name}: median calls/s  ours {med['ours'][0]:.0f}  sdk {med['sdk'][0]:.0f}  wrk {med['wrk'][0]:.0f}")
    print(f"  ours/sdk {med['ours'][0] / med['sdk'][0]:.2f}   ours/wrk {med['ours'][0] / med['wrk'][0]:.2f}   sdk/wrk {med['sdk'][0] / med['wrk'][0]:.2f}")
    print(f"  mean latency us: ours {med['ours'][1]:.1f}  sdk {med['sdk'][1]:.1f}  wrk {med['wrk'][1]:.1f}")
    est = os.path.join(crit, "client_call", bench[op], "new", "estimates.json")
    try:
        cpu = json.load(open(est))["mean"]["point_estimate"] / 1000.0
        over = med["ours"][1] - med["wrk"][1] - cpu
        print(f"  client CPU per call (criterion client_call/{bench[op]}): {cpu:.2f} us")
        print(f"  transport overhead estimate (ours - wrk - client CPU): {over:.1f} us; SDK beyond wrk: {med['sdk'][1] - med['wrk'][1]:.1f} us")
    except (OSError, KeyError, ValueError):
        print(f"  transport overhead: no criterion result at {est}; run `cargo bench -p tests --bench client -- client_call`")
        print(f"  ours beyond wrk (client CPU + transport): {med['ours'][1] - med['wrk'][1]:.1f} us; SDK beyond wrk: {med['sdk'][1] - med['wrk'][1]:.1f} us")
PY
