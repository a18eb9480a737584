#!/usr/bin/env bash
# Compiles tests/port (a program written against aws-sdk-ivschat's API) against
# the real crates from crates.io: aws-sdk-ivschat 1.x and aws-config 1.x, so
# that the program cannot drift from the SDK's API. Then compiles it against
# our crate with the same feature (aws-config), which CI does not build.
#
#   scripts/port_against_sdk.sh            # both
#
# Not run by CI (it builds the official SDK: minutes, and network on the
# first run). Versions start from scripts/build_compare/sdk/Cargo.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/port-sdk"
mkdir -p "$work/src"
cp tests/port/src/*.rs "$work/src/"
cat > "$work/Cargo.toml" <<'TOML'
# Written by scripts/port_against_sdk.sh: tests/port against the real SDK.
[package]
name = "port"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[features]
sdk-config = ["dep:aws-config"]

[dependencies]
aws-sdk-ivschat = "1"
aws-config = { version = "1", optional = true }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
TOML
[ -f "$work/Cargo.lock" ] || cp scripts/build_compare/sdk/Cargo.lock "$work/Cargo.lock"

echo "==> tests/port against aws-sdk-ivschat (crates.io)"
cargo check --quiet --manifest-path "$work/Cargo.toml" --features sdk-config --target-dir "$work/target"
grep -A1 '^name = "aws-sdk-ivschat"' "$work/Cargo.lock" | tr '\n' ' '; echo
echo "==> tests/port against ours (generated/), with aws-config"
cargo check --quiet --manifest-path tests/port/Cargo.toml --features sdk-config --target-dir "$root/target"
echo "the port program compiles against both"
