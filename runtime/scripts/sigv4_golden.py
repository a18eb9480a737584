#!/usr/bin/env python3
"""Writes runtime/tests/data/sigv4_golden.json: SigV4 signatures made by botocore.

The Rust test tests/client_sigv4.rs sends the same requests through
awsrt::client::Runtime (fixed clock, same credentials, in-memory transport)
and checks that its Authorization header matches botocore's byte for byte.

Cases come from two sources:
- real ivschat operations serialized and signed by a botocore client (the
  request is captured in the `before-send` hook and never leaves the
  process): POST with a JSON body, GET and DELETE with a percent-encoded ARN
  label, DELETE with a repeated query key;
- hand-made requests signed with botocore.auth.SigV4Auth: GET with a query
  (including a key without a value), PUT with dot segments and doubled
  slashes in the path, and no session token; POST carrying the hop-by-hop,
  proxy and trace-context headers botocore leaves out of the signature
  (listed under `unsigned_headers`: the test sends them too).

Run (botocore 1.44.5, the version the vendored model comes from):

    python3 -m venv /tmp/bcvenv
    /tmp/bcvenv/bin/pip install botocore==1.44.5
    /tmp/bcvenv/bin/python runtime/scripts/sigv4_golden.py

It needs no network and no AWS account: credentials are the documented examples.
"""

import base64
import datetime
import json
import os
import sys

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "sigv4_golden.json")

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLXdlc3QtMiJHMEUCIQExampleToken=="
REGION = "us-west-2"
SERVICE = "ivschat"
ENDPOINT = "https://ivschat.us-west-2.amazonaws.com"
TIME = datetime.datetime(2024, 3, 5, 17, 4, 9, tzinfo=datetime.timezone.utc)
ROOM_ARN = "arn:aws:ivschat:us-west-2:123456789012:room/abcdABCD1234"

# Headers that awsrt sets itself, or that neither signer signs.
NOT_COPIED = {"authorization", "x-amz-date", "x-amz-security-token", "host", "user-agent"}


def fixed_now():
    return TIME


botocore.auth.get_current_datetime = fixed_now


class _Raw:
    def stream(self, **_kwargs):
        yield b"{}"


def signed_headers(authorization):
    part = [p for p in authorization.split(", ") if p.startswith("SignedHeaders=")][0]
    return part[len("SignedHeaders="):].split(";")


def canonical_request(method, url, headers, body, token):
    """The canonical request botocore signed (for diagnostics), rebuilt from
    the headers the Authorization header lists as signed."""
    signed = signed_headers(headers["Authorization"])
    kept = {k: v for k, v in headers.items() if k.lower() in signed}
    replay = AWSRequest(method=method, url=url, headers=kept, data=body)
    replay.context["timestamp"] = TIME.strftime(botocore.auth.SIGV4_TIMESTAMP)
    auth = botocore.auth.SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY, token), SERVICE, REGION)
    return auth.canonical_request(replay)


def record(name, method, url, headers, body, authorization, token, canonical_request, operation=None,
           keep_unsigned=False):
    split = botocore.compat.urlsplit(url)
    signed = signed_headers(authorization)
    copied = [[k, v] for k, v in headers.items() if k.lower() in signed and k.lower() not in NOT_COPIED]
    unsigned = [[k, v] for k, v in headers.items() if k.lower() not in signed and k.lower() not in NOT_COPIED]
    case = {
        "name": name,
        "method": method,
        "url": url,
        "path": split.path,
        "query": split.query,
        "headers": copied,
        "body_base64": base64.b64encode(body if isinstance(body, bytes) else (body or "").encode()).decode(),
        "session_token": token,
        "signed_headers": signed,
        "canonical_request": canonical_request,
        "authorization": authorization,
    }
    if operation:
        case["operation"] = operation
    if keep_unsigned:
        # Sent along, but left out of the signature by botocore.
        case["unsigned_headers"] = unsigned
    return case


def client_cases():
    session = botocore.session.get_session()
    client = session.create_client(
        SERVICE,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
    )
    captured = []

    def before_send(request, **_kwargs):
        captured.append(request)
        return AWSResponse(request.url, 200, {}, _Raw())

    client.meta.events.register("before-send.ivschat", before_send)
    calls = [
        ("post_json_body", "CreateRoom", {"name": "demo room", "maximumMessageLength": 500, "tags": {"team": "a b"}}),
        ("get_arn_label", "ListTagsForResource", {"resourceArn": ROOM_ARN}),
        ("delete_repeated_query", "UntagResource", {"resourceArn": ROOM_ARN, "tagKeys": ["zeta", "a key", "b:c/d", "a key"]}),
    ]
    cases = []
    for name, operation, params in calls:
        getattr(client, botocore.xform_name(operation))(**params)
        request = captured[-1]
        headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        canonical = canonical_request(request.method, request.url, headers, request.body, SESSION_TOKEN)
        case = record(name, request.method, request.url, headers, request.body, headers["Authorization"],
                      SESSION_TOKEN, canonical, {"name": operation, "params": params})
        cases.append(case)
    return cases


def manual_case(name, method, path_and_query, headers, body, token, keep_unsigned=False):
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, token)
    request = AWSRequest(method=method, url=ENDPOINT + path_and_query, headers=headers, data=body)
    botocore.auth.SigV4Auth(credentials, SERVICE, REGION).add_auth(request)
    canonical = canonical_request(method, request.url, dict(request.headers), body, token)
    return record(name, method, request.url, dict(request.headers), body, request.headers["Authorization"], token,
                  canonical, keep_unsigned=keep_unsigned)


def main():
    cases = client_cases()
    cases.append(manual_case(
        "get_query_without_token", "GET", "/rooms?maxResults=10&name=a%20b%2Bc&flag&empty=&name=A",
        {"X-Custom": "  spaced   value "}, b"", None))
    cases.append(manual_case(
        "put_dot_segments", "PUT", "/objects/a%20b//./c~d/../e.txt",
        {"Content-Type": "application/octet-stream"}, b"\x00binary\xff",
        SESSION_TOKEN))
    cases.append(manual_case(
        "hop_by_hop_and_trace_headers_unsigned", "POST", "/CreateRoom",
        {"Content-Type": "application/json", "X-Custom": "signed",
         "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
         "tracestate": "congo=t61rcWkgMzE", "baggage": "userId=alice",
         "Connection": "keep-alive", "Keep-Alive": "timeout=5", "TE": "trailers",
         "Upgrade": "h2c", "Expect": "100-continue", "Trailer": "x-checksum",
         "Proxy-Authorization": "Basic dXNlcjpwYXNz", "Proxy-Authenticate": "Basic",
         "X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793"},
        b"{}", SESSION_TOKEN, keep_unsigned=True))
    doc = {
        "generator": "runtime/scripts/sigv4_golden.py",
        "botocore_version": botocore.__version__,
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "region": REGION,
        "service": SERVICE,
        "endpoint": ENDPOINT,
        "time_unix": int(TIME.timestamp()),
        "cases": cases,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)} (botocore {botocore.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
