#!/usr/bin/env python3
"""Writes runtime/tests/data/sts_botocore.json: the requests botocore 1.44.5
sends for STS AssumeRoleWithWebIdentity (unsigned) and AssumeRole (SigV4,
fixed clock), captured by a local HTTP server standing in for STS.

runtime/tests/it/credentials_sts.rs sends the same calls through awsrt's STS
client (same parameters, same credentials, same clock, same endpoint) through
an in-memory transport and compares method, path, content type, body and, for AssumeRole, the
Authorization header.

Run (no network, no AWS account):

    python3 -m venv /tmp/bcvenv
    /tmp/bcvenv/bin/pip install botocore==1.44.5
    /tmp/bcvenv/bin/python runtime/scripts/sts_golden.py
"""

import datetime
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import botocore
import botocore.session

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "sts_botocore.json")
CAPTURED = []
ANSWER = """<{op}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{op}Result><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>
  <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>
  <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></{op}Result>
</{op}Response>"""


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        CAPTURED.append({
            "method": "POST",
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        })
        op = dict(p.split("=", 1) for p in body.split("&"))["Action"]
        out = ANSWER.format(op=op).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


CASES = [
    ("AssumeRoleWithWebIdentity", None, {
        "RoleArn": "arn:aws:iam::123456789012:role/web-identity role",
        "RoleSessionName": "session+name/1",
        "WebIdentityToken": "eyJhbGciOi.JSUzI1NiJ9=.sig&x",
    }),
    ("AssumeRole", ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SOURCETOKEN"), {
        "RoleArn": "arn:aws:iam::123456789012:role/target",
        "RoleSessionName": "assume-role-from-profile-1700000000000",
        "ExternalId": "ext id:1",
    }),
]
PORT = 47123
# 2023-11-14T22:13:20Z, the same clock the Rust test fixes.
FIXED = datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)


def main():
    # A fixed port: the host header is signed, and the Rust test replays the
    # request to the same endpoint through an in-memory transport.
    server = HTTPServer(("127.0.0.1", PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d" % server.server_port
    session = botocore.session.get_session()
    out = []
    for op, creds, params in CASES:
        CAPTURED.clear()
        kwargs = {"region_name": "eu-west-1", "endpoint_url": url}
        if creds:
            kwargs.update(aws_access_key_id=creds[0], aws_secret_access_key=creds[1], aws_session_token=creds[2])
        else:
            kwargs["config"] = botocore.config.Config(signature_version=botocore.UNSIGNED)
        client = session.create_client("sts", **kwargs)
        with mock.patch("botocore.auth.get_current_datetime", lambda *a, **k: FIXED.replace(tzinfo=None)):
            getattr(client, botocore.xform_name(op))(**params)
        req = CAPTURED[0]
        keep = ["content-type", "authorization", "x-amz-date", "x-amz-security-token"]
        out.append({
            "operation": op,
            "region": "eu-west-1",
            "endpoint": url,
            "credentials": creds,
            "params": params,
            "time": FIXED.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "method": req["method"],
            "path": req["path"],
            "headers": {k: req["headers"][k] for k in keep if k in req["headers"]},
            "body": req["body"],
        })
    server.shutdown()
    with open(OUT, "w") as f:
        json.dump({"botocore": botocore.__version__, "requests": out}, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
