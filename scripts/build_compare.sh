#!/usr/bin/env bash
# Compares the cost of depending on our generated `ivschat` crate with the
# cost of depending on the official AWS SDK for Rust, for the same minimal
# program (scripts/build_compare/{ours,sdk}: read region and credentials from
# the environment, call CreateChatToken, print the token or the error).
#
# For each program, in a fresh target folder, after fetching its dependencies
# (downloads are not timed), it runs `cargo build --release --frozen` and
# reports the wall time of that clean build and the CPU time it used (user +
# system, all of cargo's processes), the number of crates compiled (the
# `Compiling` lines), and the size of the release binary (as built and
# stripped), then the ratios ours/sdk.
#
# A shared machine's load changes from minute to minute, and a clean build
# takes minutes, so one pair of builds can be off by 20% either way. RUNS=N
# builds each program N times, alternating which goes first, and prints each
# run's ratios and their medians; the CPU-time ratio moves less with the
# load than the wall-time one. Last, it runs both binaries against a
# stub CreateChatToken endpoint on 127.0.0.1 (AWS_ENDPOINT_URL), to show both
# programs work; nothing else is contacted.
#
# Usage: scripts/build_compare.sh            (takes minutes: the SDK is big)
# Env:   BUILD_COMPARE_DIR=<dir>  where target folders and logs go
#                                 (default: a new folder under /tmp)
#        RUNS=<n>                 pairs of builds, alternating which program
#                                 goes first (default 1; an even number
#                                 gives each order as many runs)
#        FEATURES=aws-config      builds ours with its `aws-config` feature:
#                                 region and credentials from
#                                 `aws_config::load_defaults(..)` (default
#                                 features), handed to `Client::new`, as the
#                                 SDK program does; the SDK side is unchanged
#
# Each program is a standalone package with its own [workspace] table and
# Cargo.lock; ours/Cargo.lock is seeded from the main workspace's lock so the
# runtime's dependencies are the versions the workspace tests.
set -euo pipefail

features="${FEATURES:-}"
case "$features" in
  "" | aws-config) ;;
  *) echo "FEATURES must be empty or aws-config, not '$features'" >&2; exit 2 ;;
esac
runs="${RUNS:-1}"
case "$runs" in
  *[!0-9]* | 0*) echo "RUNS must be a positive whole number, not '$runs'" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${BUILD_COMPARE_DIR:-$(mktemp -d /tmp/build_compare.XXXXXX)}"
mkdir -p "$work"

say() { printf '==> %s\n' "$*" >&2; }

# Resolves and downloads the dependencies of package $1, untimed.
prepare() {
  local dir="$here/build_compare/$1"
  if [ "$1" = ours ] && [ ! -f "$dir/Cargo.lock" ]; then
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
  fi
  # Writes Cargo.lock if missing (keeping the versions a seeded lock names).
  (cd "$dir" && cargo fetch --quiet)
}

# Builds package $1 in a fresh target folder; prints
# "wall_seconds cpu_seconds crates bytes stripped_bytes".
measure() {
  local name="$1" dir="$here/build_compare/$1" target="$work/$1-target" log="$work/$1-build.log"
  rm -rf "$target"
  local args=(build --release --frozen)
  if [ "$name" = ours ] && [ -n "$features" ]; then
    args+=(--features "$features")
  fi
  # bash's `time` reports wall, user and system seconds, children included.
  local times="$work/$1-build.time" TIMEFORMAT='%R %U %S' status=0
  { time { (cd "$dir" && CARGO_TARGET_DIR="$target" cargo "${args[@]}") >"$log" 2>&1; }; } 2>"$times" || status=$?
  if [ "$status" -ne 0 ]; then
    say "build of $name failed; see $log"
    tail -n 30 "$log" >&2
    exit 1
  fi
  local wall user sys crates bin stripped
  read -r wall user sys <"$times"
  crates="$(grep -c '^ *Compiling ' "$log")"
  bin="$target/release/build-compare-$name"
  strip -o "$work/$name.stripped" "$bin"
  stripped="$(stat -c %s "$work/$name.stripped")"
  printf '%.1f %.1f %s %s %s\n' "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
    "$crates" "$(stat -c %s "$bin")" "$stripped"
}

# Runs binary $1 against a stub endpoint answering CreateChatToken; prints its output.
smoke() {
  local bin="$1" port_file="$work/stub.port"
  rm -f "$port_file"
  python3 - "$port_file" <<'PY' &
import http.server, json, sys
class Stub(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        ok = self.path == "/CreateChatToken" and self.headers.get("authorization", "").startswith("AWS4-HMAC-SHA256 ")
        body = json.dumps({"token": "stub-token", "tokenExpirationTime": "2025-02-18T10:26:40Z",
                           "sessionExpirationTime": "2025-02-18T10:26:40Z"} if ok else {"message": "unexpected request"})
        self.send_response(200 if ok else 400)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Stub)
server.timeout = 30
open(sys.argv[1], "w").write(str(server.server_port))
server.handle_request()
PY
  local stub=$! tries=0
  while [ ! -s "$port_file" ] && [ $tries -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
  env -i PATH="$PATH" HOME="$work" AWS_REGION=us-west-2 AWS_ACCESS_KEY_ID=AKIDEXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY AWS_EC2_METADATA_DISABLED=true \
    AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$port_file")" \
    IVSCHAT_ROOM_ARN=arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6 "$bin" 2>&1 || true
  wait "$stub" || true
}

say "work folder: $work"
for name in ours sdk; do
  say "fetching dependencies of $name (not timed)"
  prepare "$name"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# The median of the numbers on standard input, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
for run in $(seq 1 "$runs"); do
  order=(ours sdk)
  if [ $((run % 2)) -eq 0 ]; then order=(sdk ours); fi
  for name in "${order[@]}"; do
    say "run $run of $runs: clean release build of $name (load average $(cut -d' ' -f1 /proc/loadavg))"
    # Not in a command substitution: a failed build must end the script.
    measure "$name" >"$work/$name.result"
    if [ "$name" = ours ]; then
      read -r ours_s ours_cpu ours_n ours_b ours_sb <"$work/ours.result"
    else
      read -r sdk_s sdk_cpu sdk_n sdk_b sdk_sb <"$work/sdk.result"
    fi
  done
  rows+=("$run ${order[0]} $ours_s $sdk_s $ours_cpu $sdk_cpu")
done

echo
echo "rustc: $(rustc --version)   cores: $(nproc)   load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ours built with features: ${features:-(none)}"
printf '%-5s %-6s %10s %10s %9s %10s %10s %9s\n' run first "ours wall" "sdk wall" ratio "ours cpu" "sdk cpu" ratio
for row in "${rows[@]}"; do
  read -r run first ow sw oc sc <<<"$row"
  printf '%-5s %-6s %10s %10s %9s %10s %10s %9s\n' "$run" "$first" "$ow" "$sw" "$(ratio "$ow" "$sw")" "$oc" "$sc" "$(ratio "$oc" "$sc")"
done
wall_median="$(for row in "${rows[@]}"; do read -r _ _ ow sw _ _ <<<"$row"; awk -v a="$ow" -v b="$sw" 'BEGIN { print a / b }'; done | median)"
cpu_median="$(for row in "${rows[@]}"; do read -r _ _ _ _ oc sc <<<"$row"; awk -v a="$oc" -v b="$sc" 'BEGIN { print a / b }'; done | median)"
echo "median ours/sdk over $runs run(s): wall $wall_median, cpu $cpu_median"
echo
printf '%-28s %14s %14s %10s\n' "" "ours (ivschat)" "aws-sdk" "ours/sdk"
printf '%-28s %14s %14s %10s\n' "crates compiled" "$ours_n" "$sdk_n" "$(ratio "$ours_n" "$sdk_n")"
printf '%-28s %14s %14s %10s\n' "release binary (bytes)" "$ours_b" "$sdk_b" "$(ratio "$ours_b" "$sdk_b")"
printf '%-28s %14s %14s %10s\n' "stripped binary (bytes)" "$ours_sb" "$sdk_sb" "$(ratio "$ours_sb" "$sdk_sb")"
echo
echo "smoke run against a stub endpoint on 127.0.0.1:"
echo "  ours: $(smoke "$work/ours-target/release/build-compare-ours")"
echo "  sdk:  $(smoke "$work/sdk-target/release/build-compare-sdk")"
echo
echo "build logs: $work/ours-build.log $work/sdk-build.log"
