#!/usr/bin/env python3
"""Prints the expected signatures and body of a signed event-stream request.

An independent computation (Python standard library only: hashlib, hmac,
struct, zlib) of what awsrt sends for a bidirectional event-stream call: the
request's SigV4 signature with the streaming payload hash, then each message
wrapped in a signed message (SigV4 chained signatures), then the final signed
empty message. The Rust test `signed_frames_match_the_python_golden` in
runtime/tests/it/client_event_stream_input.rs sends the same request through
awsrt::client::Runtime (same credentials, same clock, in-memory transport)
and compares the Authorization header, every chunk signature and the whole
body byte for byte with this script's output, which is pasted into the test.

Run it with any Python 3 (no packages, no network, no AWS account; the
credentials are the documented examples):

    python3 runtime/scripts/event_stream_sign_golden.py

The case:
- POST https://bedrock-runtime.us-east-1.amazonaws.com/model/my-model/invoke-with-bidirectional-stream,
  signed for region us-east-1, signing name `bedrock`, with a session token;
- the request headers that are signed: content-type, host,
  x-amz-content-sha256, x-amz-date, x-amz-security-token (awsrt also sends
  user-agent, which SigV4 leaves unsigned);
- the clock ticks one second per reading: the request is signed at T0, the
  first message at T0+1s, the second at T0+2s, the final empty one at T0+3s;
- two events, each with headers `:message-type: event`, `:event-type: chunk`,
  `:content-type: application/json` and a JSON payload.

The string to sign of a message (as AWS documents it for event streams) is

    AWS4-HMAC-SHA256-PAYLOAD
    <date, e.g. 20240305T170410Z>
    <scope: 20240305/us-east-1/bedrock/aws4_request>
    <previous signature, hex: the request's for the first message>
    <hex sha256 of the encoded `:date` header>
    <hex sha256 of the payload: the encoded inner message, empty for the last>

and the wrapper message's headers are `:chunk-signature` (byte array: the
signature's 32 bytes) then `:date` (timestamp, milliseconds), the order
aws-sigv4 writes them in (servers do not depend on it; the byte comparison
does).
"""

import datetime
import hashlib
import hmac
import json
import struct
import zlib

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "session-token-EXAMPLE"
REGION = "us-east-1"
SERVICE = "bedrock"
HOST = "bedrock-runtime.us-east-1.amazonaws.com"
PATH = "/model/my-model/invoke-with-bidirectional-stream"
T0 = datetime.datetime(2024, 3, 5, 17, 4, 9, tzinfo=datetime.timezone.utc)
STREAMING = "STREAMING-AWS4-HMAC-SHA256-EVENTS"
PAYLOADS = [b'{"bytes":"aGVsbG8="}', b'{"bytes":"d29ybGQ="}']


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def hmac_sha256(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signing_key(when):
    key = hmac_sha256(("AWS4" + SECRET_KEY).encode("utf-8"), when.strftime("%Y%m%d"))
    for part in (REGION, SERVICE, "aws4_request"):
        key = hmac_sha256(key, part)
    return key


def scope(when):
    return f"{when.strftime('%Y%m%d')}/{REGION}/{SERVICE}/aws4_request"


def amz_date(when):
    return when.strftime("%Y%m%dT%H%M%SZ")


# --- event-stream encoding ---------------------------------------------------

def header_string(name, value):
    n, v = name.encode(), value.encode()
    return bytes([len(n)]) + n + bytes([7]) + struct.pack(">H", len(v)) + v


def header_bytes(name, value):
    n = name.encode()
    return bytes([len(n)]) + n + bytes([6]) + struct.pack(">H", len(value)) + value


def header_timestamp(name, when):
    n = name.encode()
    millis = int(when.timestamp()) * 1000
    return bytes([len(n)]) + n + bytes([8]) + struct.pack(">q", millis)


def frame(headers, payload):
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event(payload):
    headers = (
        header_string(":message-type", "event")
        + header_string(":event-type", "chunk")
        + header_string(":content-type", "application/json")
    )
    return frame(headers, payload)


# --- the request's signature -------------------------------------------------

def request_signature():
    headers = [
        ("content-type", "application/vnd.amazon.eventstream"),
        ("host", HOST),
        ("x-amz-content-sha256", STREAMING),
        ("x-amz-date", amz_date(T0)),
        ("x-amz-security-token", SESSION_TOKEN),
    ]
    signed = ";".join(name for name, _ in headers)
    canonical = "\n".join(
        [
            "POST",
            PATH,  # nothing to percent-encode, once or twice
            "",  # no query
            "".join(f"{name}:{value}\n" for name, value in headers),
            signed,
            STREAMING,
        ]
    )
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date(T0), scope(T0), sha256_hex(canonical.encode())]
    )
    signature = hmac.new(signing_key(T0), to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope(T0)}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return signature, authorization


# --- the chain ---------------------------------------------------------------

def signed_message(payload, previous, when):
    date_header = header_timestamp(":date", when)
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256-PAYLOAD",
            amz_date(when),
            scope(when),
            previous,
            sha256_hex(date_header),
            sha256_hex(payload),
        ]
    )
    signature = hmac.new(signing_key(when), to_sign.encode(), hashlib.sha256).hexdigest()
    headers = header_bytes(":chunk-signature", bytes.fromhex(signature)) + date_header
    return signature, frame(headers, payload)


def main():
    seed, authorization = request_signature()
    previous = seed
    signatures = []
    body = b""
    inner = [event(p) for p in PAYLOADS] + [b""]  # the last one: the empty message
    for tick, payload in enumerate(inner, start=1):
        previous, wrapped = signed_message(payload, previous, T0 + datetime.timedelta(seconds=tick))
        signatures.append(previous)
        body += wrapped
    print(
        json.dumps(
            {
                "request_signature": seed,
                "authorization": authorization,
                "chunk_signatures": signatures,
                "body_hex": body.hex(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
