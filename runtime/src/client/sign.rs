//! SigV4 signing with the official `aws-sigv4` crate.
//!
//! The request is signed as AWS services other than S3 expect: the canonical
//! URI is the already percent-encoded path encoded once more (botocore does
//! the same, see `tests/client_sigv4.rs`), dot segments normalized, the
//! payload hashed into the signature (no `x-amz-content-sha256` header), the
//! session token sent as `x-amz-security-token` and signed.
//!
//! A request with a streaming body (an event-stream input, feature
//! `event-stream`) is signed with `x-amz-content-sha256:
//! STREAMING-AWS4-HMAC-SHA256-EVENTS` as its payload hash (the header is set
//! and signed); its messages are then signed one by one as they are sent,
//! by the event stream's own signer (`event_stream/signer.rs`), seeded with
//! the signature [`sign`] returns. This file knows requests and credentials,
//! nothing of event streams.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::sync::OnceLock;
use std::time::SystemTime;

use aws_sigv4::http_request::{
    self, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;

use crate::client::boxed::BoxError;
use crate::client::credentials::Credentials;
use crate::client::http::HttpRequest;

/// Where and as what to sign.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SigningScope<'a> {
    /// The region to sign for.
    pub region: &'a str,
    /// The service's signing name (e.g. `ivschat`).
    pub service: &'a str,
    /// The signing time.
    pub time: SystemTime,
}

/// The payload hash of a request whose body is streamed (an event stream,
/// the only streaming request body restJson1 services take).
#[cfg(feature = "event-stream")]
const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// Signs `request` in place: adds `x-amz-date`, `authorization` and, for
/// temporary credentials, `x-amz-security-token` (and for an event-stream
/// body, `x-amz-content-sha256`). The request must have its endpoint and
/// `host` header set. Returns the signature (hex), which seeds the chain of
/// an event stream's message signatures.
pub(crate) fn sign(
    request: &mut HttpRequest,
    credentials: &Credentials,
    scope: SigningScope<'_>,
) -> Result<String, SigningError> {
    let signing = Signing::get();
    let mut settings = signing.settings.clone();
    let body = signable_body(request);
    if matches!(body, SignableBody::Precomputed(_)) {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(credentials.identity())
        .region(scope.region)
        .name(scope.service)
        .time(scope.time)
        .settings(settings)
        .build()
        .map_err(SigningError::new)?
        .into();
    let signable = SignableRequest::new(
        request.method().as_str(),
        request.uri(),
        request
            .headers()
            .iter()
            .filter(|(name, _)| !signing.excludes(name))
            .map(|(n, v)| (n.as_str(), v.as_str())),
        body,
    )
    .map_err(SigningError::new)?;
    let (instructions, signature) = http_request::sign(signable, &params)
        .map_err(SigningError::new)?
        .into_parts();
    for (name, value) in instructions.headers() {
        request.set_header(name, value);
    }
    Ok(signature)
}

/// Signs `request` exactly as [`Runtime`](crate::client::Runtime) signs
/// each attempt (SigV4 with `aws-sigv4`: adds `x-amz-date`, `authorization`
/// and, for temporary credentials, `x-amz-security-token`), for `region`,
/// the signing name `service` and the signing time `time`. The request must
/// have its endpoint ([`HttpRequest::set_endpoint`]) and `host` header set.
///
/// For tools that inspect or replay the runtime's requests, and for the
/// per-stage benchmark of a call.
pub fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), SigningError> {
    sign(
        request,
        credentials,
        SigningScope {
            region,
            service,
            time,
        },
    )
    .map(drop)
}

/// botocore 1.44.5's `auth.SIGNED_HEADERS_BLACKLIST`, beyond what
/// `aws-sigv4` leaves out by default.
const BOTOCORE_UNSIGNED: &[&str] = &[
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// The settings every request is signed with, made once.
struct Signing {
    /// `aws-sigv4`'s defaults, without a list of headers to leave out:
    /// [`Signing::excludes`] leaves them out before `aws-sigv4` sees them
    /// (it would lower-case, parse and copy each one before skipping it).
    settings: SigningSettings,
    /// The headers left out of the signature: `aws-sigv4`'s default list
    /// (`authorization`, `user-agent`, ...), botocore 1.44.5's
    /// (`SIGNED_HEADERS_BLACKLIST`: hop-by-hop and proxy headers, and trace
    /// context, which proxies and tracers may change on the way), and
    /// `content-length`, as botocore leaves it out (it sets the header after
    /// signing): the same request then gets the same signature from both.
    excluded: Vec<Cow<'static, str>>,
}

impl Signing {
    fn get() -> &'static Signing {
        static SIGNING: OnceLock<Signing> = OnceLock::new();
        SIGNING.get_or_init(|| {
            let mut settings = SigningSettings::default();
            let mut excluded = settings.excluded_headers.take().unwrap_or_default();
            excluded.extend(BOTOCORE_UNSIGNED.iter().map(|&h| Cow::Borrowed(h)));
            excluded.push(Cow::Borrowed("content-length"));
            Signing { settings, excluded }
        })
    }

    /// Whether header `name` is left out of the signature.
    fn excludes(&self, name: &str) -> bool {
        self.excluded.iter().any(|e| e.eq_ignore_ascii_case(name))
    }
}

/// What the signature hashes as the payload: the body, or for a streaming
/// body (an event stream) the fixed streaming marker.
fn signable_body(request: &HttpRequest) -> SignableBody<'_> {
    #[cfg(feature = "event-stream")]
    if request.has_streaming_body() {
        return SignableBody::Precomputed(STREAMING_EVENTS_PAYLOAD.to_owned());
    }
    SignableBody::Bytes(request.body())
}

/// The request could not be signed (e.g. a header value with control characters).
#[derive(Debug)]
pub struct SigningError {
    source: BoxError,
}

impl SigningError {
    pub(crate) fn new(source: impl Into<BoxError>) -> Self {
        SigningError {
            source: source.into(),
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to sign the request: {}", self.source)
    }
}

impl Error for SigningError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::http::Method;

    #[test]
    fn adds_date_token_and_authorization() {
        let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
        req.set_endpoint("https://ivschat.us-east-1.amazonaws.com");
        req.set_header("host", "ivschat.us-east-1.amazonaws.com");
        req.set_body(&b"{}"[..], "application/json");
        let creds = Credentials::from_keys("AKIDEXAMPLE", "secret", Some("token".into()));
        let scope = SigningScope {
            region: "us-east-1",
            service: "ivschat",
            time: SystemTime::UNIX_EPOCH,
        };
        sign(&mut req, &creds, scope).unwrap();
        assert_eq!(req.header("x-amz-date"), Some("19700101T000000Z"));
        assert_eq!(req.header("x-amz-security-token"), Some("token"));
        let auth = req.header("authorization").unwrap();
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/19700101/us-east-1/ivschat/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
            ),
            "{auth}"
        );
    }

    /// Left out of the signature: `aws-sigv4`'s default list
    /// (`authorization`, `user-agent`, `x-amzn-trace-id`,
    /// `transfer-encoding`; botocore 1.44.5's `SIGNED_HEADERS_BLACKLIST`
    /// has the last three, and it drops an old `authorization` before
    /// signing) and `content-length` (botocore sets it after signing).
    /// Whatever their case, adding them changes neither the signed headers
    /// nor the signature.
    #[test]
    fn leaves_out_the_headers_botocore_does_not_sign() {
        let signed = |extra: &[(&str, &str)]| {
            let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
            req.set_endpoint("https://ivschat.us-east-1.amazonaws.com");
            req.set_header("host", "ivschat.us-east-1.amazonaws.com");
            req.set_body(&b"{}"[..], "application/json");
            for (name, value) in extra {
                req.append_header(name, *value);
            }
            let creds = Credentials::from_keys("AKIDEXAMPLE", "secret", None);
            let scope = SigningScope {
                region: "us-east-1",
                service: "ivschat",
                time: SystemTime::UNIX_EPOCH,
            };
            sign(&mut req, &creds, scope).unwrap();
            req.header("authorization").unwrap().to_owned()
        };
        let plain = signed(&[]);
        assert!(
            plain.contains("SignedHeaders=content-type;host;x-amz-date,"),
            "{plain}"
        );
        let with_unsigned = signed(&[
            ("User-Agent", "ua/1"),
            ("X-Amzn-Trace-Id", "Root=1"),
            ("Content-Length", "2"),
            ("authorization", "old"),
            ("transfer-encoding", "chunked"),
        ]);
        assert_eq!(with_unsigned, plain);
        let with_signed = signed(&[("X-Amz-Target", "t")]);
        assert!(
            with_signed.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"),
            "{with_signed}"
        );
    }

    #[test]
    fn rejects_invalid_header_values() {
        let mut req = HttpRequest::new(Method::Get, "/");
        req.set_endpoint("https://example.com");
        req.set_header("x-bad", "line\nbreak");
        let creds = Credentials::from_keys("a", "b", None);
        let scope = SigningScope {
            region: "us-east-1",
            service: "s",
            time: SystemTime::UNIX_EPOCH,
        };
        let err = sign(&mut req, &creds, scope).unwrap_err();
        assert!(
            err.to_string().starts_with("failed to sign the request"),
            "{err}"
        );
    }

    /// `post-vanilla` of the AWS SigV4 test suite (shipped with aws-sigv4 as
    /// `aws-signing-test-suite/v4/post-vanilla/header-signed-request.txt`).
    #[test]
    fn sign_request_matches_the_aws_test_suite() {
        let mut req = HttpRequest::new(Method::Post, "/");
        req.set_endpoint("https://example.amazonaws.com");
        req.set_header("host", "example.amazonaws.com");
        let creds = Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160);
        sign_request(&mut req, &creds, "us-east-1", "service", time).unwrap();
        assert_eq!(req.header("x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            req.header("authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
            )
        );
    }
}
