#!/usr/bin/env python3
"""Writes runtime/tests/data/retry_golden.json: botocore's standard and
adaptive retry behaviour, computed by botocore's own classes.

The Rust tests in runtime/src/client/retry/ (unit tests, `golden_*`) feed the
same cases to awsrt's retry code and compare:

- `backoff`: `ExponentialBackoff.delay_amount` for a throttling and a
  transient error, attempts 1..8, a fixed "random" value (0, 0.5, 1) and an
  `x-amz-retry-after` header (absent, valid, too large, negative, garbage);
- `classify`: `StandardRetryConditions.is_retryable` and
  `ThrottlingErrorDetector.is_throttling_error_from_context` for statuses,
  error codes (fixed lists and modeled `retryable` errors of a made-up
  operation) and transport exceptions;
- `quota`: a sequence of calls, each a list of attempt outcomes, run through
  `StandardRetryConditions` + `RetryQuotaChecker` as `endpoint.py` does
  (max attempts 3), with the quota's capacity after each call;
- `adaptive`: a timeline of sends and responses run through
  `ClientRateLimiter` (`CubicCalculator`, `RateClocker`, `TokenBucket`) with
  a fake clock: the fill rate, measured rate and time waited for a token.

Run (botocore 1.44.5; no network, no AWS account):

    python3 -m venv /tmp/bcvenv
    /tmp/bcvenv/bin/pip install botocore==1.44.5
    /tmp/bcvenv/bin/python runtime/scripts/retry_golden.py
"""

import json
import os
import sys

import botocore
from botocore import exceptions
from botocore.model import ServiceModel
from botocore.retries import adaptive, bucket, quota, standard, throttling

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "retry_golden.json")

# A made-up operation with modeled errors: two retryable (one of them
# throttling), two not (one of them with a wire code other than its name:
# botocore matches `error.code`, else the shape name, as the generated
# `OperationMeta::errors` lists them).
SERVICE = ServiceModel({
    "metadata": {"protocol": "rest-json", "apiVersion": "2020-01-01", "endpointPrefix": "example",
                 "serviceId": "Example", "signatureVersion": "v4"},
    "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                          "errors": [{"shape": "BusyException"}, {"shape": "SlowDownPleaseException"},
                                     {"shape": "ModeledPlainException"}, {"shape": "WireCodedException"}]},
                   "Plain": {"name": "Plain", "http": {"method": "POST", "requestUri": "/"}}},
    "shapes": {
        "BusyException": {"type": "structure", "members": {}, "exception": True,
                          "retryable": {"throttling": False}},
        "SlowDownPleaseException": {"type": "structure", "members": {}, "exception": True,
                                    "retryable": {"throttling": True}},
        "ModeledPlainException": {"type": "structure", "members": {}, "exception": True},
        "WireCodedException": {"type": "structure", "members": {}, "exception": True,
                               "error": {"code": "Wire.Coded", "httpStatusCode": 400}},
    },
}, service_name="example")
OPERATION = SERVICE.operation_model("Op")
# The same service's operation without modeled errors.
PLAIN_OPERATION = SERVICE.operation_model("Plain")
MODELED = {"retryable": ["BusyException"], "throttling": ["SlowDownPleaseException"],
           "modeled": ["BusyException", "SlowDownPleaseException", "ModeledPlainException", "Wire.Coded"]}

# awsrt's transport error kinds, and a botocore exception of the same kind.
EXCEPTIONS = {
    "connect": exceptions.EndpointConnectionError(endpoint_url="https://example.com"),
    "connect_timeout": exceptions.ConnectTimeoutError(endpoint_url="https://example.com"),
    "timeout": exceptions.ReadTimeoutError(endpoint_url="https://example.com"),
    "io": exceptions.ConnectionClosedError(endpoint_url="https://example.com"),
    "other": ValueError("not a transport failure"),
}


class FakeResponse:
    def __init__(self, status, headers=None):
        self.status_code = status
        self.headers = headers or {}
        self.content = b""


def context(status=None, code=None, exception=None, attempt=1, headers=None, modeled=False):
    http = None if status is None else FakeResponse(status, headers)
    parsed = None
    if status is not None:
        parsed = {"Error": {"Code": code}} if code is not None else {}
    return standard.RetryContext(
        attempt_number=attempt,
        operation_model=OPERATION if modeled else PLAIN_OPERATION,
        http_response=http,
        parsed_response=parsed,
        caught_exception=None if exception is None else EXCEPTIONS[exception],
        request_context={},
    )


def detector():
    return standard.ThrottlingErrorDetector(standard.RetryEventAdapter())


def backoff_cases():
    cases = []
    for kind, status, code in [("throttling", 400, "ThrottlingException"), ("transient", 503, None)]:
        for retry_after in [None, "0", "1500", "3000", "30000", "-5", "abc"]:
            for attempt in range(1, 9):
                for rand in [0.0, 0.5, 1.0]:
                    headers = {} if retry_after is None else {"x-amz-retry-after": retry_after}
                    backoff = standard.ExponentialBackoff(random=lambda: rand, throttling_detector=detector())
                    delay = backoff.delay_amount(context(status, code, attempt=attempt, headers=headers))
                    cases.append({"kind": kind, "status": status, "code": code, "attempt": attempt,
                                  "random": rand, "retry_after": retry_after, "delay": delay})
    return cases


def classify_cases():
    cases = []
    statuses = [200, 400, 403, 404, 408, 409, 429, 500, 501, 502, 503, 504, 509]
    codes = [None, "ThrottlingException", "Throttling", "SlowDown", "TooManyRequestsException",
             "PriorRequestNotComplete", "RequestTimeout", "RequestTimeoutException",
             "ValidationException", "AccessDeniedException", "InternalServerException",
             "BusyException", "SlowDownPleaseException", "ModeledPlainException",
             "Wire.Coded", "WireCodedException"]
    conditions = standard.StandardRetryConditions(max_attempts=3)
    for modeled in [False, True]:
        for status in statuses:
            for code in codes:
                if status == 200 and code is not None:
                    continue
                ctx = context(status, code, modeled=modeled)
                cases.append({"status": status, "code": code, "exception": None, "modeled": modeled,
                              "retryable": conditions.is_retryable(ctx),
                              "throttling": detector().is_throttling_error_from_context(ctx)})
    for name in EXCEPTIONS:
        ctx = context(exception=name)
        cases.append({"status": None, "code": None, "exception": name, "modeled": False,
                      "retryable": conditions.is_retryable(ctx),
                      "throttling": detector().is_throttling_error_from_context(ctx)})
    return cases


def outcome_context(outcome, attempt):
    if outcome.startswith("exc:"):
        return context(exception=outcome[4:], attempt=attempt), None
    status, _, code = outcome.partition(":")
    ctx = context(int(status), code or None, attempt=attempt)
    return ctx, ctx.http_response


def quota_cases():
    calls = (
        [["200"]] * 3
        + [["503", "200"], ["429:ThrottlingException", "200"], ["exc:timeout", "exc:connect", "200"]]
        + [["503", "503", "503"]] * 40
        + [["400:ThrottlingException", "400:ThrottlingException", "400:ThrottlingException"]] * 10
        + [["503", "200"], ["200"], ["400:ValidationException"], ["503", "500", "200"]]
    )
    retry_quota = quota.RetryQuota()
    checker = standard.RetryQuotaChecker(retry_quota, detector())
    conditions = standard.StandardRetryConditions(max_attempts=3)
    cases = []
    for outcomes in calls:
        request_context = {}
        sent = 0
        final = None
        for attempt, outcome in enumerate(outcomes, start=1):
            sent += 1
            ctx, final = outcome_context(outcome, attempt)
            ctx.request_context = request_context
            if conditions.is_retryable(ctx) and checker.acquire_retry_quota(ctx):
                continue
            break
        checker.release_retry_quota(request_context, final)
        cases.append({"outcomes": outcomes, "attempts": sent, "available": retry_quota.available_capacity})
    return cases


class FakeClock(bucket.Clock):
    def __init__(self):
        self.now = 0.0

    def sleep(self, amount):
        self.now += amount

    def current_time(self):
        return self.now


def adaptive_cases():
    """A timeline: sends at a steady pace, bursts of throttles, recovery."""
    clock = FakeClock()
    clock.now = 1000.0
    limiter = adaptive.ClientRateLimiter(
        rate_adjustor=throttling.CubicCalculator(starting_max_rate=0, start_time=clock.current_time()),
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=bucket.TokenBucket(max_rate=1, clock=clock),
        throttling_detector=detector(),
        clock=clock,
    )
    adapter = standard.RetryEventAdapter()
    events = []
    pattern = ["ok"] * 20 + ["throttle"] * 3 + ["ok"] * 30 + ["throttle", "ok", "throttle"] + ["ok"] * 40
    for i, result in enumerate(pattern):
        advance = 0.1 if i % 3 else 0.35
        clock.now += advance
        waited = 0.0
        if limiter._enabled:
            # TokenBucket.acquire(block=True), with the fake clock: wait
            # (amount - capacity) / fill_rate, refill, take the token.
            tb = limiter._token_bucket
            tb._refill()
            if tb._current_capacity < 1:
                waited = tb._sleep_amount(1)
                clock.sleep(waited)
                tb._refill()
            tb._current_capacity -= 1
        if result == "ok":
            response = (FakeResponse(200), {})
        else:
            response = (FakeResponse(400), {"Error": {"Code": "ThrottlingException"}})
        kwargs = {"response": response, "attempts": 1, "operation": PLAIN_OPERATION, "caught_exception": None,
                  "request_dict": {"context": {}}}
        adapter.create_retry_context(**kwargs)
        limiter.on_receiving_response(**kwargs)
        events.append({"advance": advance, "time": clock.now, "throttled": result == "throttle", "waited": waited,
                       "fill_rate": limiter._token_bucket.max_rate,
                       "measured_rate": limiter._rate_clocker.measured_rate,
                       "enabled": limiter._enabled})
    return {"start_time": 1000.0, "events": events}


def main():
    doc = {
        "generator": "runtime/scripts/retry_golden.py",
        "botocore_version": botocore.__version__,
        "modeled_errors": MODELED,
        "backoff": backoff_cases(),
        "classify": classify_cases(),
        "quota": quota_cases(),
        "adaptive": adaptive_cases(),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)} (botocore {botocore.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
