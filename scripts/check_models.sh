#!/usr/bin/env bash
# Generate a crate for each model given and `cargo clippy` it, sharing the
# workspace's target folder; fail if generation fails, the crate does not
# compile, or it compiles with warnings.
#
#   scripts/check_models.sh MODEL...
#
# Used by CI for the small models that cover every shape kind
# (codegen/tests/fixtures/kinds/), in both formats.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet --manifest-path "$root/Cargo.toml" -p codegen
codegen="$root/target/debug/codegen"
passed=0 failed=0
for model in "$@"; do
  name=$(basename "$model" .json)
  out="$work/$name"
  if ! "$codegen" --model "$model" --out "$out" --runtime-path "$root/runtime" >"$work/$name.gen.log" 2>&1; then
    echo "FAIL $model: generation: $(tail -n 1 "$work/$name.gen.log")"
    failed=$((failed + 1)); continue
  fi
  printf '\n[workspace]\n' >> "$out/Cargo.toml"
  if ! CARGO_TARGET_DIR="$root/target" cargo clippy --quiet --manifest-path "$out/Cargo.toml" --all-targets --message-format short --no-deps >"$work/$name.check.log" 2>&1; then
    echo "FAIL $model: does not compile: $(grep -m1 -E '^.*error' "$work/$name.check.log" || tail -n 1 "$work/$name.check.log")"
    failed=$((failed + 1)); continue
  fi
  warnings=$(grep -c 'warning' "$work/$name.check.log" || true)
  if [ "$warnings" != 0 ]; then
    echo "FAIL $model: $warnings warnings"; cat "$work/$name.check.log"
    failed=$((failed + 1)); continue
  fi
  echo "ok   $model"
  passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
