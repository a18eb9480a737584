#!/usr/bin/env python3
"""Generate a crate for every restJson1 service in a botocore wheel (or data
folder) and `cargo check` each one, sharing one target folder.

    scripts/all_services.py WHEEL_OR_DATA_DIR [SERVICE ...] [--no-check] [--timeout=SECONDS]
                            [--skip-unsupported]

With --skip-unsupported the generator leaves unchecked the patterns no
matcher can read (it prints a warning for each) instead of failing; the
table's `unchecked` column counts them.

Prints a table (service, generated, compiles, warnings), the failures
grouped by reason (the message without the file, shape, member and pattern
it names), and a last line `N passed, M failed`. Exit status 1 when any
service fails.
"""
import gzip
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def extract(source, work):
    """A botocore `data` folder with decompressed service-2.json files."""
    data = os.path.join(work, "data")
    if os.path.isdir(source):
        shutil.copytree(source, data)
    else:
        with zipfile.ZipFile(source) as wheel:
            for name in wheel.namelist():
                if name.startswith("botocore/data/") and not name.endswith("/"):
                    dest = os.path.join(data, name[len("botocore/data/"):])
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                    with wheel.open(name) as src, open(dest, "wb") as out:
                        shutil.copyfileobj(src, out)
    for dirpath, _, files in os.walk(data):
        for f in files:
            if f.endswith(".json.gz"):
                path = os.path.join(dirpath, f)
                with gzip.open(path) as src, open(path[:-3], "wb") as out:
                    shutil.copyfileobj(src, out)
    return data


def rest_json_models(data, wanted):
    found = []
    for service in sorted(os.listdir(data)):
        folder = os.path.join(data, service)
        if not os.path.isdir(folder) or (wanted and service not in wanted):
            continue
        versions = sorted(v for v in os.listdir(folder) if os.path.isfile(os.path.join(folder, v, "service-2.json")))
        # Every model file counts, older API versions too (lambda 2014-11-11...);
        # the newest keeps the service's plain name.
        for version in versions:
            model = os.path.join(folder, version, "service-2.json")
            with open(model) as f:
                meta = json.load(f)["metadata"]
            if meta.get("protocol") == "rest-json" or "rest-json" in meta.get("protocols", []):
                name = service if version == versions[-1] else f"{service}@{version}"
                found.append((name, model))
    return found


def first_line(text, needle):
    for line in text.splitlines():
        if needle in line:
            return line.strip()[:160]
    return text.strip().splitlines()[-1][:160] if text.strip() else "?"


def reason(message):
    """A failure message without what it names, so that failures group."""
    message = re.sub(r"^error: \S+?: ", "", message)
    message = re.sub(r"(shape|member|operation) `[^`]*`(, )?", "", message)
    message = re.sub(r"@?pattern `.*?`:? ", "pattern ", message)
    message = re.sub(r" \(at character \d+\)", "", message)
    return message.strip(" :,")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check = "--no-check" not in sys.argv
    skip = ["--skip-unsupported"] if "--skip-unsupported" in sys.argv else []
    limit = next((float(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--timeout=")), 600.0)
    if not args:
        sys.exit(__doc__)
    source, wanted = args[0], set(args[1:])
    subprocess.run(["cargo", "build", "--quiet", "-p", "codegen"], cwd=ROOT, check=True)
    codegen = os.path.join(ROOT, "target", "debug", "codegen")
    work = tempfile.mkdtemp(prefix="all_services.")
    data = extract(source, work)
    models = rest_json_models(data, wanted)
    missing = wanted - {s for s, _ in models}
    if missing:
        sys.exit(f"not restJson1 services in {source}: {sorted(missing)}")
    passed = failed = 0
    slowest = (0.0, "")
    reasons = collections.defaultdict(list)
    print(f"{'service':40} {'generated':12} {'unchecked':9} {'compiles':12} warnings", flush=True)
    for service, model in models:
        out = os.path.join(work, "crates", service)
        start = time.monotonic()
        try:
            gen = subprocess.run(
                [codegen, "--model", model, "--out", out, "--runtime-path", os.path.join(ROOT, "runtime")] + skip,
                capture_output=True, text=True, timeout=limit)
        except subprocess.TimeoutExpired:
            print(f"{service:40} {'no':12} {'-':9} {'-':12} -   generation took over {limit:.0f} s", flush=True)
            reasons[f"generation took over {limit:.0f} s"].append(service)
            failed += 1
            continue
        took = time.monotonic() - start
        unchecked = gen.stderr.count("is not enforced")
        slowest = max(slowest, (took, service))
        if gen.returncode != 0:
            print(f"{service:40} {'no':12} {'-':9} {'-':12} -   {first_line(gen.stderr, 'error')}", flush=True)
            full = next((l for l in gen.stderr.splitlines() if "error" in l), gen.stderr.strip())
            reasons[reason(full)].append(service)
            failed += 1
            continue
        if not check:
            print(f"{service:40} {'yes':12} {unchecked:<9} {'-':12} -", flush=True)
            passed += 1
            continue
        with open(os.path.join(out, "Cargo.toml"), "a") as f:
            f.write("\n[workspace]\n")
        # The workspace's lock pins the runtime's dependencies to the versions we test.
        shutil.copy(os.path.join(ROOT, "Cargo.lock"), out)
        env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target", "all_services"))
        build = subprocess.run(["cargo", "check", "--quiet", "--message-format", "short"],
                               cwd=out, capture_output=True, text=True, env=env)
        warnings = build.stderr.count("warning:")
        if build.returncode != 0:
            print(f"{service:40} {'yes':12} {unchecked:<9} {'no':12} {warnings}   {first_line(build.stderr, 'error')}", flush=True)
            failed += 1
        elif warnings:
            print(f"{service:40} {'yes':12} {unchecked:<9} {'yes':12} {warnings}   {first_line(build.stderr, 'warning')}", flush=True)
            failed += 1
        else:
            print(f"{service:40} {'yes':12} {unchecked:<9} {'yes':12} 0", flush=True)
            passed += 1
        shutil.rmtree(out, ignore_errors=True)
    if reasons:
        print("failures by reason:")
        for why, services in sorted(reasons.items(), key=lambda r: (-len(r[1]), r[0])):
            print(f"  {len(services):4}  {why[:200]}: {' '.join(services)}")
    print(f"slowest generation: {slowest[1]} ({slowest[0]:.2f} s)")
    print(f"{passed} passed, {failed} failed")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
