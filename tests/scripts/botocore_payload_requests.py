#!/usr/bin/env python3
"""Golden requests for restJson1's @httpPayload rules, serialized by botocore.

botocore's RestJSONSerializer (botocore/serialize.py, 1.44.5) decides the
body of an input with a payload member like this:

- a blob or string payload is "streaming": the body is its value, or empty
  when unset, and the serializer adds no Content-Type;
- a structure (or union) payload is serialized as JSON; when unset the body
  is `{}`, and any non-empty body gets `Content-Type: application/json`
  unless a member already set one.

For every case of the conformance input suites whose operation has a
payload member, this script records what botocore sends for the case's
params and for the same params without the payload member (the unset rule).
Document payloads are left out: botocore 1.44.5 writes them as
`{"null": ...}` (a botocore bug), the suites' own cases cover them.

Writes tests/data/botocore_payload_requests.json; run it with botocore 1.44.5:

    python3 -m venv /tmp/bc && /tmp/bc/bin/pip install botocore==1.44.5
    /tmp/bc/bin/python tests/scripts/botocore_payload_requests.py [SUITES_DIR]

SUITES_DIR defaults to ../shared/conformance/botocore-rest-json.
"""
import json
import os
import sys
from urllib.parse import urlencode

import botocore
from botocore.model import ServiceModel
from botocore.serialize import create_serializer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    suites_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "..", "shared", "conformance", "botocore-rest-json")
    with open(os.path.join(suites_dir, "input.json")) as f:
        suites = json.load(f)
    out = []
    seen = set()
    for suite in suites:
        shapes = suite["shapes"]
        for case in suite["cases"]:
            op = case["given"]
            if "input" not in op:
                continue
            shape = shapes[op["input"]["shape"]]
            payload = shape.get("payload")
            if not payload:
                continue
            target = shapes[shape["members"][payload]["shape"]]
            if target.get("document"):
                continue
            model = ServiceModel({"metadata": suite["metadata"],
                                  "operations": {op["name"]: op},
                                  "shapes": shapes})
            serializer = create_serializer("rest-json")
            unset = {k: v for k, v in case["params"].items() if k != payload}
            for params, rule in ((case["params"], "as given"), (unset, "payload unset")):
                key = (suite["description"], op["name"], json.dumps(params, sort_keys=True))
                if key in seen:
                    continue
                seen.add(key)
                req = serializer.serialize_to_request(params, model.operation_model(op["name"]))
                uri = req["url_path"]
                if req["query_string"]:
                    uri += "?" + urlencode(req["query_string"], doseq=True)
                body = req["body"]
                if isinstance(body, bytes):
                    body = body.decode("utf-8")
                out.append({
                    "suite": suite["description"],
                    "operation": op["name"],
                    "payload_type": target["type"],
                    "rule": rule,
                    "params": params,
                    "serialized": {
                        "method": req["method"],
                        "uri": uri,
                        "headers": dict(req["headers"]),
                        "body": body,
                    },
                })
    doc = {"botocore": botocore.__version__, "cases": out}
    path = os.path.join(ROOT, "tests", "data", "botocore_payload_requests.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(out)} cases written to {path}")


if __name__ == "__main__":
    main()
