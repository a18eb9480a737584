//! Which failures are retried, and whether they are throttling (botocore's
//! `StandardRetryConditions` and `ThrottlingErrorDetector`).

use crate::client::http::HttpResponse;
use crate::client::retry::RetryKind;
use crate::client::transport::{TransportError, TransportErrorKind};

/// Error codes that mean "slow down" (botocore's `ThrottledRetryableChecker`).
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes for failures that may pass on a second try.
pub const TRANSIENT_ERROR_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// HTTP statuses for failures that may pass on a second try.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// The status that means "too many requests", unless the error code is a
/// modeled error (then the model decides).
const THROTTLING_STATUS: u16 = 429;

/// What the model says about an operation's errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModeledErrors<'a> {
    /// Codes of errors marked `@retryable` (not throttling).
    pub retryable: &'a [&'a str],
    /// Codes of errors marked `@retryable(throttling: true)`.
    pub throttling: &'a [&'a str],
    /// Every modeled error code of the operation, if known: a 429 carrying
    /// one of them is retried only if the model says so.
    pub all: Option<&'a [&'a str]>,
}

/// Classifies an error response: `code` is its error code (see
/// [`ErrorMetadata`](crate::client::ErrorMetadata)), `modeled` what the model
/// says about this operation's errors. `None` means "do not retry"; 2xx
/// responses are never retried.
pub fn classify_response(
    response: &HttpResponse,
    code: Option<&str>,
    modeled: &ModeledErrors<'_>,
) -> Option<RetryKind> {
    if response.is_success() {
        return None;
    }
    classify_status(response.status(), code, modeled)
}

/// Classifies an error response by status and error code as botocore does:
/// throttling if the code is a throttling code, else as the model marks it,
/// else if the status is 429; transient if the code or status is transient
/// or the model marks the error `@retryable`.
pub fn classify_status(
    status: u16,
    code: Option<&str>,
    modeled: &ModeledErrors<'_>,
) -> Option<RetryKind> {
    let is = |codes: &[&str]| code.is_some_and(|c| codes.contains(&c));
    let modeled_type = if is(modeled.throttling) {
        Some(RetryKind::Throttling)
    } else if is(modeled.retryable) {
        Some(RetryKind::Transient)
    } else {
        None
    };
    let is_modeled = modeled_type.is_some() || modeled.all.is_some_and(is);
    let throttling_status = status == THROTTLING_STATUS && !is_modeled;
    let throttling = is(THROTTLING_ERROR_CODES)
        || match modeled_type {
            Some(kind) => kind == RetryKind::Throttling,
            None => throttling_status,
        };
    if throttling {
        return Some(RetryKind::Throttling);
    }
    let transient = is(TRANSIENT_ERROR_CODES)
        || TRANSIENT_STATUS_CODES.contains(&status)
        || modeled_type.is_some();
    transient.then_some(RetryKind::Transient)
}

/// Classifies a transport failure: timeouts, connection and I/O failures are
/// retried (botocore's `ConnectionError` and `HTTPClientError`); requests
/// that could not be sent at all are not.
pub fn classify_transport(error: &TransportError) -> Option<RetryKind> {
    match error.kind() {
        TransportErrorKind::Timeout => Some(RetryKind::Timeout),
        TransportErrorKind::Connect | TransportErrorKind::Io => Some(RetryKind::Transient),
        TransportErrorKind::User | TransportErrorKind::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::retry::standard::tests::{golden, transport_error};

    #[test]
    fn golden_classification_matches_botocore() {
        let golden = golden();
        fn strings(v: &serde_json::Value) -> Vec<&str> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect()
        }
        let model = &golden["modeled_errors"];
        let (retryable, throttling, all) = (
            strings(&model["retryable"]),
            strings(&model["throttling"]),
            strings(&model["modeled"]),
        );
        let cases = golden["classify"].as_array().unwrap();
        assert!(cases.len() > 300);
        for case in cases {
            let ours = match case["exception"].as_str() {
                Some(exception) => classify_transport(&transport_error(exception)),
                None => {
                    let modeled = if case["modeled"].as_bool().unwrap() {
                        ModeledErrors {
                            retryable: &retryable,
                            throttling: &throttling,
                            all: Some(&all),
                        }
                    } else {
                        ModeledErrors::default()
                    };
                    let status = case["status"].as_u64().unwrap() as u16;
                    classify_status(status, case["code"].as_str(), &modeled)
                }
            };
            assert_eq!(
                ours.is_some(),
                case["retryable"].as_bool().unwrap(),
                "{case}"
            );
            assert_eq!(
                ours.is_some_and(|k| k.is_throttling()),
                case["throttling"].as_bool().unwrap(),
                "{case}"
            );
        }
    }

    #[test]
    fn success_is_never_retried() {
        let ok = HttpResponse::new(200);
        assert_eq!(
            classify_response(&ok, Some("ThrottlingException"), &ModeledErrors::default()),
            None
        );
        let busy = ModeledErrors {
            retryable: &["Busy"],
            ..ModeledErrors::default()
        };
        assert_eq!(
            classify_response(&HttpResponse::new(409), Some("Busy"), &busy),
            Some(RetryKind::Transient)
        );
    }
}
