#!/usr/bin/env python3
"""Writes tests/data/sigv4_client_golden.json: botocore's SigV4 signatures
for the requests the generated `ivschat` client sends.

The Rust test tests/tests/it/client_signature.rs makes the same calls through
`ivschat::Client` (same credentials, region and fixed clock, an in-memory
transport) and checks that the request it sends is the one recorded here
(method, URL, body bytes, signed headers) and that its Authorization header
equals botocore's byte for byte.

For each case:
1. a botocore client serializes the call (captured in the `before-send`
   hook, so nothing leaves the process): this gives the method, URL and
   Content-Type botocore uses, and the body as botocore sees it;
2. the body is written the way the generated client writes it: compact JSON,
   UTF-8 (not \\u escapes), members in the order of the model and map keys
   sorted; the script checks the params are given in that order, so the
   bytes are well defined, and that they are the same JSON as botocore's;
3. botocore.auth.SigV4Auth signs that request (method, URL, Content-Type
   when there is a body, body bytes) at the fixed time: the Authorization
   header, the signed headers and the canonical request (for diagnostics)
   are recorded.

Run (botocore 1.44.5, the version the vendored model comes from):

    python3 -m venv /tmp/bcvenv
    /tmp/bcvenv/bin/pip install botocore==1.44.5
    /tmp/bcvenv/bin/python tests/scripts/sigv4_client_golden.py

It needs no network and no AWS account: credentials are the documented examples.
"""

import datetime
import json
import os
import sys

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "sigv4_client_golden.json")

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLXdlc3QtMiJHMEUCIQExampleToken=="
SERVICE = "ivschat"
TIME = datetime.datetime(2025, 2, 18, 9, 26, 40, tzinfo=datetime.timezone.utc)
ROOM = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6"
ROOM_EU = "arn:aws:ivschat:eu-west-1:123456789012:room/eUrOpE123456"

# name, operation, region, session token, params (model member order, map keys sorted)
CASES = [
    ("create_chat_token", "CreateChatToken", "us-west-2", SESSION_TOKEN, {
        "roomIdentifier": ROOM,
        "userId": "user-1",
        "capabilities": ["SEND_MESSAGE", "DELETE_MESSAGE"],
        "sessionDurationInMinutes": 60,
        "attributes": {"color": "#ff0000", "displayName": "Ana ☕"},
    }),
    ("untag_resource", "UntagResource", "us-west-2", SESSION_TOKEN, {
        "resourceArn": ROOM,
        "tagKeys": ["team", "a b", "c:d/e"],
    }),
    ("list_tags_for_resource", "ListTagsForResource", "eu-west-1", None, {
        "resourceArn": ROOM_EU,
    }),
]


def fixed_now():
    return TIME


botocore.auth.get_current_datetime = fixed_now


class _Raw:
    def stream(self, **_kwargs):
        yield b"{}"


def check_order(value, shape, where):
    """Fails unless `value` lists structure members in model order and map keys sorted."""
    if shape.type_name == "structure":
        order = list(shape.members)
        keys = list(value)
        if keys != sorted(keys, key=order.index):
            sys.exit(f"{where}: give the members in model order {order}, not {keys}")
        for key, item in value.items():
            check_order(item, shape.members[key], f"{where}.{key}")
    elif shape.type_name == "map":
        if list(value) != sorted(value):
            sys.exit(f"{where}: give map keys sorted, not {list(value)}")
    elif shape.type_name == "list":
        for i, item in enumerate(value):
            check_order(item, shape.member, f"{where}[{i}]")


def wire_body(body_params):
    """The body as the generated client writes it: compact JSON, raw UTF-8."""
    if not body_params:
        return b""
    return json.dumps(body_params, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_headers(authorization):
    part = [p for p in authorization.split(", ") if p.startswith("SignedHeaders=")][0]
    return part[len("SignedHeaders="):].split(";")


def botocore_request(operation, region, token, params):
    """The request a botocore client builds for the call (never sent)."""
    client = botocore.session.get_session().create_client(
        SERVICE,
        region_name=region,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=token,
    )
    captured = []

    def before_send(request, **_kwargs):
        captured.append(request)
        return AWSResponse(request.url, 200, {}, _Raw())

    client.meta.events.register("before-send.ivschat", before_send)
    getattr(client, botocore.xform_name(operation))(**params)
    return client.meta.service_model.operation_model(operation), captured[-1]


def case(name, operation, region, token, params):
    op_model, sent = botocore_request(operation, region, token, params)
    check_order(params, op_model.input_shape, operation)
    body_members = {
        k: v for k, v in params.items()
        if "location" not in op_model.input_shape.members[k].serialization
    }
    body = wire_body(body_members)
    botocore_body = sent.body or b""
    if (json.loads(botocore_body) if botocore_body else None) != (json.loads(body) if body else None):
        sys.exit(f"{name}: the compact body {body!r} is not the JSON botocore serialized: {botocore_body!r}")
    headers = {}
    if body:
        content_type = sent.headers["Content-Type"]
        headers["Content-Type"] = content_type.decode() if isinstance(content_type, bytes) else content_type
    request = AWSRequest(method=sent.method, url=sent.url, headers=headers, data=body)
    signer = botocore.auth.SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY, token), SERVICE, region)
    signer.add_auth(request)
    authorization = request.headers["Authorization"]
    # The canonical request that was signed: the signed headers only (the
    # Authorization header just added is not part of it).
    signed = AWSRequest(method=sent.method, url=sent.url, data=body,
                        headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"})
    signed.context["timestamp"] = request.context["timestamp"]
    return {
        "name": name,
        "operation": operation,
        "params": params,
        "region": region,
        "session_token": token,
        "method": sent.method,
        "url": sent.url,
        "content_type": headers.get("Content-Type"),
        "body": body.decode("utf-8"),
        "signed_headers": signed_headers(authorization),
        "canonical_request": signer.canonical_request(signed),
        "authorization": authorization,
    }


def main():
    doc = {
        "generator": "tests/scripts/sigv4_client_golden.py",
        "botocore_version": botocore.__version__,
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "service": SERVICE,
        "time_unix": int(TIME.timestamp()),
        "x_amz_date": TIME.strftime(botocore.auth.SIGV4_TIMESTAMP),
        "cases": [case(*c) for c in CASES],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(doc['cases'])} cases to {os.path.normpath(OUT)} (botocore {botocore.__version__})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
