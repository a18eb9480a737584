#!/usr/bin/env python3
"""Golden requests for every ivschat operation, serialized by botocore.

Writes tests/data/golden_requests.json: for each case, the operation, the
params (in the model's member names, as botocore takes them) and what botocore
serializes: method, path, query (as a list of [key, value] pairs) and the body
parsed as JSON (null when there is no body).

Run it with botocore 1.44.5 (the version the model is vendored from):

    python3 -m venv /tmp/bc && /tmp/bc/bin/pip install botocore==1.44.5
    /tmp/bc/bin/python tests/scripts/golden_requests.py

It reads the vendored model from model/, not botocore's own copy, so the
golden data describes exactly the model the generator reads.
"""
import json
import os
import sys
from urllib.parse import parse_qsl, urlsplit

import botocore
from botocore.model import ServiceModel
from botocore.serialize import create_serializer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ROOM = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6"
LOGCONF = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ"
LAMBDA = "arn:aws:lambda:us-west-2:123456789012:function:review-messages"

CASES = [
    ("CreateChatToken", {"roomIdentifier": ROOM, "userId": "user-1", "capabilities": ["SEND_MESSAGE", "DELETE_MESSAGE"],
                         "sessionDurationInMinutes": 60, "attributes": {"displayName": "Ana", "color": "#ff0000"}}),
    ("CreateChatToken", {"roomIdentifier": ROOM, "userId": "user-2"}),
    ("CreateLoggingConfiguration", {"name": "logs-1", "destinationConfiguration": {"s3": {"bucketName": "chat-logs"}},
                                    "tags": {"team": "chat"}}),
    ("CreateLoggingConfiguration", {"destinationConfiguration": {"cloudWatchLogs": {"logGroupName": "/aws/ivschat/logs"}}}),
    ("CreateRoom", {"name": "room-1", "maximumMessageRatePerSecond": 10, "maximumMessageLength": 500,
                    "messageReviewHandler": {"uri": LAMBDA, "fallbackResult": "ALLOW"},
                    "tags": {"team": "chat", "env": "prod", "owner": "ana"}, "loggingConfigurationIdentifiers": [LOGCONF]}),
    ("CreateRoom", {}),
    ("DeleteLoggingConfiguration", {"identifier": LOGCONF}),
    ("DeleteMessage", {"roomIdentifier": ROOM, "id": "ABCDEF123456", "reason": "spam"}),
    ("DeleteRoom", {"identifier": ROOM}),
    ("DisconnectUser", {"roomIdentifier": ROOM, "userId": "user-1", "reason": "rude"}),
    ("GetLoggingConfiguration", {"identifier": LOGCONF}),
    ("GetRoom", {"identifier": ROOM}),
    ("ListLoggingConfigurations", {"maxResults": 10, "nextToken": "token-1"}),
    ("ListLoggingConfigurations", {}),
    ("ListRooms", {"name": "room", "maxResults": 50, "messageReviewHandlerUri": LAMBDA, "loggingConfigurationIdentifier": LOGCONF}),
    ("ListTagsForResource", {"resourceArn": ROOM}),
    ("SendEvent", {"roomIdentifier": ROOM, "eventName": "app:poll", "attributes": {"question": "Tea or coffee? ☕"}}),
    ("TagResource", {"resourceArn": ROOM, "tags": {"team": "chat", "a b": "c/d"}}),
    ("UntagResource", {"resourceArn": ROOM, "tagKeys": ["team", "a b"]}),
    ("UpdateLoggingConfiguration", {"identifier": LOGCONF, "name": "logs-2",
                                    "destinationConfiguration": {"firehose": {"deliveryStreamName": "chat-stream"}}}),
    ("UpdateRoom", {"identifier": ROOM, "name": "room-2", "maximumMessageLength": 100, "loggingConfigurationIdentifiers": []}),
]


def main():
    with open(os.path.join(ROOT, "model/data/ivschat/2020-07-14/service-2.json")) as f:
        model = ServiceModel(json.load(f))
    serializer = create_serializer(model.metadata["protocol"])
    out = []
    for name, params in CASES:
        op = model.operation_model(name)
        req = serializer.serialize_to_request(params, op)
        url = urlsplit(req["url_path"])
        query = req["query_string"]
        pairs = []
        if isinstance(query, dict):
            for k, v in query.items():
                for item in v if isinstance(v, list) else [v]:
                    pairs.append([k, str(item)])
        elif query:
            pairs = [list(p) for p in parse_qsl(query, keep_blank_values=True)]
        body = req["body"]
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        out.append({
            "operation": name,
            "params": params,
            "method": req["method"],
            "path": url.path,
            "query": pairs,
            "body": json.loads(body) if body else None,
        })
    missing = {op for op in model.operation_names} - {c[0] for c in CASES}
    if missing:
        sys.exit(f"operations without a golden case: {sorted(missing)}")
    dest = os.path.join(ROOT, "tests/data/golden_requests.json")
    with open(dest, "w") as f:
        json.dump({"botocore": botocore.__version__, "cases": out}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{len(out)} cases written to {dest}")


if __name__ == "__main__":
    main()
