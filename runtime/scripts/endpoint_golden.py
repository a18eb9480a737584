#!/usr/bin/env python3
"""Writes runtime/tests/data/endpoint_botocore.json: botocore's own endpoint
resolution for the parameters of every `smithy.rules#endpointTests` case in the
ivschat Smithy model, using the vendored rule set and partitions.json.

tests/client_endpoint_rules.rs checks that awsrt's resolver gives the same
answers. (The model's expectations were written against an older
partitions.json in which the aws-iso and aws-iso-b partitions had no
dual-stack support; botocore 1.44.5's partitions.json has it, so for those
four cases botocore, and awsrt, resolve a URL where the model expects an
error. The Rust test checks both facts.)

Run (botocore 1.44.5, the version the vendored model comes from):

    python3 -m venv /tmp/bcvenv
    /tmp/bcvenv/bin/pip install botocore==1.44.5
    /tmp/bcvenv/bin/python runtime/scripts/endpoint_golden.py
"""

import json
import os
import sys

import botocore
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = os.path.normpath(os.path.join(HERE, "..", ".."))
MODEL = os.path.normpath(os.path.join(MAIN, "..", "shared", "models", "ivschat", "ivschat-2020-07-14.smithy.json"))
RULES = os.path.join(MAIN, "model", "data", "ivschat", "2020-07-14", "endpoint-rule-set-1.json")
PARTITIONS = os.path.join(MAIN, "model", "data", "partitions.json")
OUT = os.path.join(HERE, "..", "tests", "data", "endpoint_botocore.json")
SERVICE = "com.amazonaws.ivschat#AmazonInteractiveVideoServiceChat"


def main():
    with open(MODEL, encoding="utf-8") as f:
        model = json.load(f)
    with open(RULES, encoding="utf-8") as f:
        rules = json.load(f)
    with open(PARTITIONS, encoding="utf-8") as f:
        partitions = json.load(f)
    provider = EndpointProvider(rules, partitions)
    results = []
    for case in model["shapes"][SERVICE]["traits"]["smithy.rules#endpointTests"]["testCases"]:
        params = case.get("params", {})
        try:
            result = {"url": provider.resolve_endpoint(**params).url}
        except EndpointResolutionError as e:
            result = {"error": str(e)}
        results.append({"documentation": case["documentation"], "params": params, "botocore": result})
    doc = {
        "generator": "runtime/scripts/endpoint_golden.py",
        "botocore_version": botocore.__version__,
        "cases": results,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(f"wrote {len(results)} cases to {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
