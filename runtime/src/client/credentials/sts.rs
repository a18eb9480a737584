//! The two STS calls the credential providers make, `AssumeRoleWithWebIdentity`
//! (unsigned) and `AssumeRole` (signed with the source credentials), in
//! STS's awsQuery protocol: a form-encoded POST, an XML answer read with
//! `quick-xml`.
//!
//! The endpoint is `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else the
//! regional one (`https://sts.{region}.amazonaws.com`, `.amazonaws.com.cn`
//! in China; the region given, else the one IMDS gives when the config
//! looks it up there). Without a region, as in aws-config (whose STS
//! endpoint rules end in `Invalid Configuration: Missing Region`), there is
//! no endpoint: the call fails naming the missing region; an endpoint URL
//! still serves the unsigned `AssumeRoleWithWebIdentity`, but `AssumeRole`
//! has no region to sign for (aws-sigv4's `missing signing region`; botocore
//! instead calls the global `https://sts.amazonaws.com`, signed for
//! us-east-1). Errors (`<ErrorResponse><Error><Code>…`) become
//! [`CredentialsError`]s of kind `ServiceError` with STS's code and message;
//! throttling, 5xx answers, `IDPCommunicationError` and transport failures
//! are retried (3 attempts in all, as the SDKs' standard mode).

use std::time::Duration;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::client::boxed::BoxFuture;
use crate::client::credentials::provider_config::{backoff, send_bounded};
use crate::client::credentials::{json, Credentials, CredentialsError, ProviderConfig};
use crate::client::http::{HttpRequest, HttpResponse, Method};
use crate::client::sign::{self, SigningScope};
use crate::client::transport::TransportError;
use crate::shown::Escaped;

/// The STS API version.
const VERSION: &str = "2011-06-15";
/// Attempts per call (the SDKs' standard retry mode).
const MAX_ATTEMPTS: u32 = 3;
/// Timeouts of the default transport for STS.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most one attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);
/// Error codes retried besides throttling.
const RETRYABLE_CODES: [&str; 5] = [
    "IDPCommunicationError",
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "ServiceUnavailable",
];

/// The parameters of `AssumeRoleWithWebIdentity`.
#[derive(Clone)]
pub struct WebIdentityRequest<'a> {
    /// The role to assume.
    pub role_arn: &'a str,
    /// The session name.
    pub role_session_name: &'a str,
    /// The OIDC token (never logged or shown).
    pub web_identity_token: &'a str,
}

/// The parameters of `AssumeRole`.
#[derive(Debug, Clone)]
pub struct AssumeRoleRequest<'a> {
    /// The role to assume.
    pub role_arn: &'a str,
    /// The session name.
    pub role_session_name: &'a str,
    /// The external id the role's trust policy asks for, if any.
    pub external_id: Option<&'a str>,
}

/// Calls `AssumeRoleWithWebIdentity`.
pub async fn assume_role_with_web_identity(
    config: &ProviderConfig,
    request: &WebIdentityRequest<'_>,
) -> Result<Credentials, CredentialsError> {
    let body = form(&[
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", VERSION),
        ("RoleArn", request.role_arn),
        ("RoleSessionName", request.role_session_name),
        ("WebIdentityToken", request.web_identity_token),
    ]);
    call(config, "AssumeRoleWithWebIdentity", body, None).await
}

/// Calls `AssumeRole`, signed with `source`.
pub async fn assume_role(
    config: &ProviderConfig,
    request: &AssumeRoleRequest<'_>,
    source: &Credentials,
) -> Result<Credentials, CredentialsError> {
    let mut params = vec![
        ("Action", "AssumeRole"),
        ("Version", VERSION),
        ("RoleArn", request.role_arn),
        ("RoleSessionName", request.role_session_name),
    ];
    if let Some(id) = request.external_id {
        params.push(("ExternalId", id));
    }
    call(config, "AssumeRole", form(&params), Some(source)).await
}

/// A default session name, as aws-config makes them: `{base}-{unix millis}`.
pub(crate) fn default_session_name(base: &str, config: &ProviderConfig) -> String {
    let millis = config
        .time_source()
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    format!("{base}-{millis}")
}

fn form(params: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

/// The endpoint STS is called at for `action` in `region`: the one the
/// environment names, else the region's; without either, an error naming
/// `action` and the missing region.
pub(crate) fn endpoint(
    config: &ProviderConfig,
    action: &str,
    region: Option<&str>,
) -> Result<String, CredentialsError> {
    let env = config.env();
    if let Some(url) = env
        .get_non_empty("AWS_ENDPOINT_URL_STS")
        .or_else(|| env.get_non_empty("AWS_ENDPOINT_URL"))
    {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    match region {
        None => Err(missing_region(
            action,
            "Invalid Configuration: Missing Region",
        )),
        Some(r) if r.starts_with("cn-") => Ok(format!("https://sts.{r}.amazonaws.com.cn")),
        Some(r) => Ok(format!("https://sts.{r}.amazonaws.com")),
    }
}

/// STS cannot be called without a region: `why` in the SDK's words, and
/// where the providers' region comes from.
fn missing_region(action: &str, why: &str) -> CredentialsError {
    CredentialsError::invalid_configuration(format!(
        "cannot call STS {action}: {why} (the credential providers were given no region: \
         set one on the config builder (before `load_profile`, whose providers get the region known then), in AWS_REGION or in the profile's `region`, or run \
         where EC2 instance metadata gives one)"
    ))
}

/// Calls `action` with the form `body`, signed with `signer` if given.
/// Boxed, so that its callers (web identity, assume role) share one compiled
/// state machine instead of each inlining its own.
fn call<'a>(
    config: &'a ProviderConfig,
    action: &'static str,
    body: String,
    signer: Option<&'a Credentials>,
) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
    Box::pin(send_call(config, action, body, signer))
}

/// [`call`]'s work.
async fn send_call(
    config: &ProviderConfig,
    action: &'static str,
    body: String,
    signer: Option<&Credentials>,
) -> Result<Credentials, CredentialsError> {
    let region = config.sts_region();
    let endpoint = endpoint(config, action, region.as_deref())?;
    let uri: http::Uri = endpoint.parse().map_err(|_| {
        CredentialsError::invalid_configuration(format!("STS endpoint `{endpoint}` is not a URI"))
    })?;
    let host = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .filter(|h| !h.is_empty() && matches!(uri.scheme_str(), Some("http" | "https")))
        .ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "STS endpoint `{endpoint}` needs an http or https scheme and a host"
            ))
        })?;
    let transport = config.transport(CONNECT_TIMEOUT, READ_TIMEOUT)?;
    let mut request = HttpRequest::new(Method::Post, "/");
    request.set_endpoint(&endpoint);
    request.set_header("host", host);
    request.set_body(
        body.into_bytes(),
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut signed = request.clone();
        if let Some(credentials) = signer {
            let region = region
                .as_deref()
                .ok_or_else(|| missing_region(action, "missing signing region"))?;
            let scope = SigningScope {
                region,
                service: "sts",
                time: config.time_source().now(),
            };
            sign::sign(&mut signed, credentials, scope).map_err(|e| {
                CredentialsError::with_source(format!("cannot sign STS {action}"), e)
            })?;
        }
        let outcome = send_bounded(transport.as_ref(), signed, ATTEMPT_TIMEOUT).await;
        let result = match outcome {
            Ok(response) => read_response(action, &response),
            Err(e) => Err(transport_error(action, &endpoint, e)),
        };
        match result {
            Err(e) if attempt < MAX_ATTEMPTS && e.retryable => {
                tracing::debug!(attempt, error = %e.error, "retrying STS {action}");
                tokio::time::sleep(backoff(
                    Duration::from_millis(100),
                    Duration::from_secs(2),
                    attempt,
                ))
                .await;
            }
            Err(e) => return Err(e.error),
            Ok(credentials) => return Ok(credentials),
        }
    }
}

struct Failure {
    error: CredentialsError,
    retryable: bool,
}

fn transport_error(action: &str, endpoint: &str, e: TransportError) -> Failure {
    Failure {
        retryable: crate::client::retry::classify_transport(&e).is_some(),
        error: CredentialsError::with_source(format!("STS {action} at {endpoint} failed"), e),
    }
}

fn read_response(action: &str, response: &HttpResponse) -> Result<Credentials, Failure> {
    if response.is_success() {
        return parse_credentials(action, response.body()).map_err(|error| Failure {
            error,
            retryable: false,
        });
    }
    let status = response.status();
    let (code, message) = parse_error(response.body());
    let retryable = status >= 500
        || status == 429
        || code
            .as_deref()
            .is_some_and(|c| RETRYABLE_CODES.contains(&c));
    let error = match code {
        Some(code) => CredentialsError::service(
            code.clone(),
            format!(
                "STS {action} failed with HTTP {status}: {}: {}",
                Escaped(&code),
                Escaped(message.as_deref().unwrap_or("(no message)"))
            ),
        ),
        None => CredentialsError::new(format!(
            "STS {action} failed with HTTP {status} and no error code"
        )),
    };
    Err(Failure { error, retryable })
}

/// Reads the text of the elements at `paths` (element names from the root),
/// with the XML reader; other elements are skipped.
fn read_xml(body: &[u8], paths: &[&[&str]]) -> Result<Vec<Option<String>>, quick_xml::Error> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<String> = Vec::new();
    let mut found: Vec<Option<String>> = vec![None; paths.len()];
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => {
                if stack.len() >= 16 {
                    return Err(quick_xml::Error::Io(std::sync::Arc::new(
                        std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            "elements nested more than 16 deep",
                        ),
                    )));
                }
                stack.push(e.local_name().into_inner().to_owned());
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => push_text(&stack, paths, &mut found, &t.xml10_content()),
            Event::CData(t) => push_text(&stack, paths, &mut found, &t.xml10_content()),
            Event::GeneralRef(r) => {
                // `&amp;`, `&#38;` and friends arrive between texts.
                let name = r.xml10_content();
                let resolved = quick_xml::escape::unescape(&format!("&{name};"))
                    .map_err(quick_xml::Error::from)?
                    .into_owned();
                push_text(&stack, paths, &mut found, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    for value in found.iter_mut().flatten() {
        let trimmed = value.trim();
        if trimmed.len() != value.len() {
            *value = trimmed.to_owned();
        }
    }
    Ok(found)
}

fn push_text(stack: &[String], paths: &[&[&str]], found: &mut [Option<String>], text: &str) {
    if let Some(i) = paths.iter().position(|p| stack_is(stack, p)) {
        found[i].get_or_insert_with(String::new).push_str(text);
    }
}

fn stack_is(stack: &[String], path: &[&str]) -> bool {
    stack.len() == path.len() && stack.iter().zip(path).all(|(a, b)| a == b)
}

/// The credentials in a successful answer.
fn parse_credentials(action: &str, body: &[u8]) -> Result<Credentials, CredentialsError> {
    let response = format!("{action}Response");
    let result = format!("{action}Result");
    let path = |leaf: &'static str| -> Vec<&str> {
        vec![response.as_str(), result.as_str(), "Credentials", leaf]
    };
    let paths = [
        path("AccessKeyId"),
        path("SecretAccessKey"),
        path("SessionToken"),
        path("Expiration"),
    ];
    let refs: Vec<&[&str]> = paths.iter().map(Vec::as_slice).collect();
    let found = read_xml(body, &refs).map_err(|e| {
        CredentialsError::new(format!(
            "STS {action}: the answer is not well-formed XML: {e}"
        ))
    })?;
    let missing =
        |name: &str| CredentialsError::new(format!("STS {action}: the answer has no `{name}`"));
    let [key, secret, token, expiration] =
        <[Option<String>; 4]>::try_from(found).map_err(|_| missing("Credentials"))?;
    let key = key.ok_or_else(|| missing("AccessKeyId"))?;
    let secret = secret.ok_or_else(|| missing("SecretAccessKey"))?;
    let token = token.ok_or_else(|| missing("SessionToken"))?;
    let expiration = expiration.ok_or_else(|| missing("Expiration"))?;
    let expiry = json::parse_time(&expiration).ok_or_else(|| {
        CredentialsError::new(format!(
            "STS {action}: `Expiration` `{expiration}` is not an ISO 8601 timestamp"
        ))
    })?;
    Ok(Credentials::from_keys(key, secret, Some(token)).with_expiry(expiry))
}

/// The code and message of an `<ErrorResponse>`.
fn parse_error(body: &[u8]) -> (Option<String>, Option<String>) {
    let code: &[&str] = &["ErrorResponse", "Error", "Code"];
    let message: &[&str] = &["ErrorResponse", "Error", "Message"];
    match read_xml(body, &[code, message]) {
        Ok(found) => {
            let mut it = found.into_iter();
            let code = it
                .next()
                .flatten()
                .map(|c| crate::client::sanitize_error_code(&c).to_owned());
            (code.filter(|c| !c.is_empty()), it.next().flatten())
        }
        Err(_) => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::credentials::Env;

    /// The answer AWS documents for AssumeRoleWithWebIdentity (STS API
    /// reference, "Examples").
    pub(crate) const WEB_IDENTITY_ANSWER: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
    <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2014-10-24T23:00:23Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>www.amazon.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"#;

    #[test]
    fn reads_the_documented_answer() {
        let c =
            parse_credentials("AssumeRoleWithWebIdentity", WEB_IDENTITY_ANSWER.as_bytes()).unwrap();
        assert_eq!(c.access_key_id(), "ASgeIAIOSFODNN7EXAMPLE");
        assert_eq!(
            c.secret_access_key(),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(
            c.session_token(),
            Some("AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE")
        );
        assert_eq!(c.expiry(), json::parse_time("2014-10-24T23:00:23Z"));
        let err = parse_credentials("AssumeRole", WEB_IDENTITY_ANSWER.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "STS AssumeRole: the answer has no `AccessKeyId`"
        );
        let err = parse_credentials("AssumeRole", b"<a><b></a>").unwrap_err();
        assert!(err.to_string().contains("not well-formed XML"), "{err}");
    }

    #[test]
    fn hostile_answers_are_errors() {
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        let err = parse_credentials("AssumeRole", deep.as_bytes()).unwrap_err();
        assert!(
            err.to_string().contains("nested more than 16 deep"),
            "{err}"
        );
        let err = parse_credentials("AssumeRole", b"\xff\xfe<").unwrap_err();
        assert!(err.to_string().starts_with("STS AssumeRole: "), "{err}");
        let err = parse_credentials(
            "AssumeRole",
            b"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>\
              <SecretAccessKey>TOPSECRET</SecretAccessKey><SessionToken>t</SessionToken>\
              <Expiration>tomorrow</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "STS AssumeRole: `Expiration` `tomorrow` is not an ISO 8601 timestamp"
        );
        // An error document that is not XML keeps the status, without a code.
        let response = HttpResponse::new(403).with_body("<html>denied");
        let failure = read_response("AssumeRole", &response).unwrap_err();
        assert_eq!(failure.error.code(), None);
        assert!(!failure.retryable);
    }

    #[tokio::test]
    async fn oversized_answers_are_refused() {
        let transport = crate::client::TestTransport::new();
        transport.push_response(HttpResponse::new(200).with_body(vec![b'a'; 70_000]));
        let mut request = HttpRequest::new(Method::Get, "/");
        request.set_endpoint("http://127.0.0.1:1");
        let err = send_bounded(&transport, request, Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(
            crate::client::error::chain_text(&err).contains("more than the 65536 allowed"),
            "{err}"
        );
    }

    #[test]
    fn entities_are_decoded() {
        let body = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>\
            <SecretAccessKey>x&amp;y&lt;z</SecretAccessKey><SessionToken>t</SessionToken>\
            <Expiration>2014-10-24T23:00:23Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>";
        let c = parse_credentials("AssumeRole", body.as_bytes()).unwrap();
        assert_eq!(c.secret_access_key(), "x&y<z");
    }

    #[test]
    fn reads_errors() {
        // STS's error document (awsQuery), as the STS API reference shows it.
        let body = br#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidIdentityToken</Code>
    <Message>No OpenIDConnect provider found in your account for https://oidc.example.com</Message>
  </Error>
  <RequestId>6a3b0e2e-0000-4000-8000-000000000000</RequestId>
</ErrorResponse>"#;
        let response = HttpResponse::new(400).with_body(&body[..]);
        let failure = read_response("AssumeRoleWithWebIdentity", &response).unwrap_err();
        assert!(!failure.retryable);
        assert_eq!(failure.error.code(), Some("InvalidIdentityToken"));
        assert_eq!(
            failure.error.to_string(),
            "STS AssumeRoleWithWebIdentity failed with HTTP 400: InvalidIdentityToken: \
             No OpenIDConnect provider found in your account for https://oidc.example.com"
        );
        let response = HttpResponse::new(400).with_body(
            "<ErrorResponse><Error><Code>IDPCommunicationError</Code><Message>m</Message></Error></ErrorResponse>",
        );
        assert!(
            read_response("AssumeRoleWithWebIdentity", &response)
                .unwrap_err()
                .retryable
        );
        let response = HttpResponse::new(400).with_body(
            "<ErrorResponse><Error><Code>Bad&#27;[2J</Code><Message>a&#10;b&#x202e;</Message></Error></ErrorResponse>",
        );
        assert_eq!(
            read_response("AssumeRole", &response)
                .unwrap_err()
                .error
                .to_string(),
            r"STS AssumeRole failed with HTTP 400: Bad\u{1b}[2J: a\nb\u{202e}"
        );
        let response = HttpResponse::new(503).with_body("not xml <");
        let failure = read_response("AssumeRole", &response).unwrap_err();
        assert!(failure.retryable);
        assert_eq!(
            failure.error.to_string(),
            "STS AssumeRole failed with HTTP 503 and no error code"
        );
    }

    #[test]
    fn endpoints() {
        let ep = |vars: &[(&str, &str)], region: Option<&str>| {
            endpoint(
                &ProviderConfig::new().with_env(Env::from_slice(vars)),
                "AssumeRole",
                region,
            )
            .map_err(|e| e.to_string())
        };
        assert_eq!(
            ep(&[], Some("eu-west-1")).unwrap(),
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            ep(&[], Some("cn-north-1")).unwrap(),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        // aws-sdk-sts's endpoint rules (its test "Missing region").
        let none = ep(&[], None).unwrap_err();
        assert!(
            none.contains("Invalid Configuration: Missing Region"),
            "{none}"
        );
        assert_eq!(
            ep(
                &[
                    ("AWS_ENDPOINT_URL", "http://a/"),
                    ("AWS_ENDPOINT_URL_STS", "http://b:1")
                ],
                Some("r")
            )
            .unwrap(),
            "http://b:1"
        );
        assert_eq!(
            ep(&[("AWS_ENDPOINT_URL", "http://a/")], None).unwrap(),
            "http://a"
        );
    }

    #[test]
    fn form_encoding() {
        assert_eq!(
            form(&[("RoleArn", "arn:aws:iam::1:role/a b+c"), ("X", "é&=")]),
            "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa+b%2Bc&X=%C3%A9%26%3D"
        );
    }
}
