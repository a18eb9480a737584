//! The credential providers and the default chain against loopback servers
//! standing in for STS, the container endpoint and IMDS, with the answers
//! AWS documents. Settings come from an injected environment
//! (`Env::from_slice`), never from the process environment.

use crate::common;
use crate::loopback;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use awsrt::client::credentials::container::{validate_full_uri, ContainerCredentialsProvider};
use awsrt::client::credentials::imds::{ImdsClient, ImdsCredentialsProvider};
use awsrt::client::credentials::profile::ProfileCredentialsProvider;
use awsrt::client::credentials::web_identity::WebIdentityTokenProvider;
use awsrt::client::credentials::{default_region, LazyRegion};
use awsrt::client::{
    Config, CredentialsErrorKind, DefaultCredentialsChain, Env, ErrorMetadata, FixedTime,
    HttpRequest, HttpResponse, Method, OperationMeta, ProviderConfig, ProxyConfig, Runtime,
    SdkError, ServiceMeta, TestTransport, TlsSettings, UnhandledError,
};
use loopback::{Answer, Seen, Server};

/// The instance-credentials document IMDS serves (EC2 User Guide, "Retrieve
/// security credentials from instance metadata").
fn imds_credentials(key: &str) -> String {
    format!(
        r#"{{
  "Code" : "Success",
  "LastUpdated" : "2012-04-26T16:39:16Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "{key}",
  "SecretAccessKey" : "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "Token" : "token",
  "Expiration" : "2030-05-17T15:09:54Z"
}}"#
    )
}

/// The ECS task-role document (ECS Developer Guide, "Task IAM role").
fn container_credentials(key: &str) -> String {
    format!(
        r#"{{"AccessKeyId": "{key}", "Expiration": "2030-01-01T00:00:00Z", "RoleArn": "arn:aws:iam::123456789012:role/task", "SecretAccessKey": "secret", "Token": "token"}}"#
    )
}

fn sts_answer(action: &str, key: &str) -> String {
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>{key}</AccessKeyId>
      <SecretAccessKey>secret-{key}</SecretAccessKey>
      <SessionToken>token-{key}</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
  </{action}Result>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</{action}Response>"#
    )
}

fn form(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn form_value(body: &str, key: &str) -> Option<String> {
    form(body)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// An IMDS that wants token `T1` and serves role `web-role`.
fn imds(seen: &Seen, key: &str) -> Answer {
    match (seen.method.as_str(), seen.path.as_str()) {
        ("PUT", "/latest/api/token") => {
            if seen.header("x-aws-ec2-metadata-token-ttl-seconds") != Some("21600") {
                return Answer::new(400, "");
            }
            Answer::new(200, "T1").header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
        }
        (_, _) if seen.header("x-aws-ec2-metadata-token") != Some("T1") => Answer::new(401, ""),
        ("GET", "/latest/meta-data/iam/security-credentials/") => Answer::new(200, "web-role"),
        ("GET", "/latest/meta-data/iam/security-credentials/web-role") => {
            Answer::new(200, imds_credentials(key))
        }
        ("GET", "/latest/meta-data/placement/region") => Answer::new(200, "ap-southeast-2"),
        _ => Answer::new(404, ""),
    }
}

fn config(vars: &[(&str, &str)]) -> ProviderConfig {
    ProviderConfig::new()
        .with_env(Env::from_slice(vars))
        .with_time_source(Arc::new(FixedTime::from_unix_secs(1_700_000_000)))
        .with_region(Some("eu-west-1".into()))
}

#[tokio::test]
async fn imds_token_role_and_credentials() {
    let server = Server::start(|s| imds(s, "AKIDIMDS")).await;
    let c = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let creds = ImdsCredentialsProvider::new(c.clone())
        .load()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDIMDS");
    assert_eq!(creds.session_token(), Some("token"));
    assert!(creds.expiry().is_some());
    assert_eq!(
        server.lines(),
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/web-role",
        ]
    );
    let client = ImdsClient::new(c.clone());
    assert_eq!(client.region().await.unwrap(), "ap-southeast-2");
    // The region chain asks IMDS last.
    assert_eq!(
        default_region(&c).await.unwrap().as_deref(),
        Some("ap-southeast-2")
    );
    let with_env = config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_DEFAULT_REGION", "us-west-1"),
    ]);
    assert_eq!(
        default_region(&with_env).await.unwrap().as_deref(),
        Some("us-west-1")
    );
    // IMDS turned off and no files: no region, and no request.
    let before = server.seen().len();
    let off = config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent/awsrt/config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/awsrt/credentials",
        ),
    ]);
    assert_eq!(default_region(&off).await.unwrap(), None);
    assert_eq!(server.seen().len(), before);
}

#[tokio::test]
async fn imds_retries_server_errors_and_refreshes_a_rejected_token() {
    let puts = Arc::new(AtomicUsize::new(0));
    let gets = Arc::new(AtomicUsize::new(0));
    let (p, g) = (puts.clone(), gets.clone());
    let server = Server::start(move |s| {
        if s.method == "PUT" {
            // The first token request fails with 500, the next two succeed
            // with different tokens.
            return match p.fetch_add(1, Ordering::SeqCst) {
                0 => Answer::new(500, ""),
                1 => Answer::new(200, "OLD"),
                _ => Answer::new(200, "T1"),
            };
        }
        g.fetch_add(1, Ordering::SeqCst);
        imds(s, "AKIDRETRY")
    })
    .await;
    let c = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url)]);
    let creds = ImdsCredentialsProvider::new(c).load().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDRETRY");
    assert_eq!(
        server.lines(),
        [
            "PUT /latest/api/token",
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/web-role",
        ]
    );
}

#[tokio::test]
async fn imds_disabled_or_without_a_role_is_not_loaded() {
    let server = Server::start(|s| imds(s, "AKID")).await;
    let c = config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_EC2_METADATA_DISABLED", "TRUE"),
    ]);
    let err = ImdsCredentialsProvider::new(c).load().await.unwrap_err();
    assert!(err.is_not_loaded(), "{err}");
    assert_eq!(
        err.to_string(),
        "IMDS is turned off by AWS_EC2_METADATA_DISABLED"
    );
    assert!(server.seen().is_empty());

    let norole = Server::start(|s| match s.path.as_str() {
        "/latest/api/token" => Answer::new(200, "T1"),
        _ => Answer::new(404, "<html>not found</html>"),
    })
    .await;
    let c = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &norole.url)]);
    let err = ImdsCredentialsProvider::new(c).load().await.unwrap_err();
    assert!(err.is_not_loaded(), "{err}");
    assert!(err.to_string().contains("no IAM role"), "{err}");
}

#[tokio::test]
async fn container_full_uri_with_token_file() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let server = Server::start(move |s| {
        if c2.fetch_add(1, Ordering::SeqCst) == 0 {
            return Answer::new(503, "");
        }
        match (s.path.as_str(), s.header("authorization")) {
            ("/v1/credentials", Some("Bearer pod-token")) => {
                Answer::new(200, container_credentials("AKIDPOD"))
            }
            _ => Answer::new(403, r#"{"Code": "AccessDenied", "Message": "bad token"}"#),
        }
    })
    .await;
    let dir = tempdir("container");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "Bearer pod-token").unwrap();
    let full = format!("{}/v1/credentials", server.url);
    let token_path = token_file.display().to_string();
    let c = config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token_path),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ignored-when-the-file-is-set",
        ),
    ]);
    let creds = ContainerCredentialsProvider::new(c).load().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDPOD");
    assert_eq!(server.seen().len(), 2, "one retry after the 503");

    let c = config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"),
    ]);
    let err = ContainerCredentialsProvider::new(c)
        .load()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(!err.to_string().contains("wrong"), "{err}");

    let c = config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "bad\nvalue"),
    ]);
    let err = ContainerCredentialsProvider::new(c)
        .load()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    let err = ContainerCredentialsProvider::new(config(&[]))
        .load()
        .await
        .unwrap_err();
    assert!(err.is_not_loaded());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn container_relative_uri_goes_to_the_ecs_address() {
    let c = config(&[(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/abc",
    )]);
    assert_eq!(
        ContainerCredentialsProvider::new(c).uri().await.unwrap(),
        "http://169.254.170.2/v2/credentials/abc"
    );
}

#[tokio::test]
async fn full_uri_allow_list() {
    // aws-config's `validate_full_uri` cases.
    for ok in [
        "http://127.0.0.1:8080/creds",
        "http://127.1.2.3/creds",
        "http://[::1]:8080/creds",
        "http://localhost:8080/creds",
        "http://169.254.170.2:8080/get-credentials",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]:8080/get-credentials",
        "https://example.com/creds",
    ] {
        validate_full_uri(ok)
            .await
            .unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in [
        "http://169.254.171.23/creds",
        "http://[fd00:ec2::2]/creds",
        "http://192.168.1.10/creds",
        "http://10.0.0.1/creds",
        "ftp://127.0.0.1/creds",
    ] {
        let err = validate_full_uri(bad).await.unwrap_err();
        assert_eq!(
            err.kind(),
            CredentialsErrorKind::InvalidConfiguration,
            "{bad}"
        );
        assert!(err.to_string().contains(bad), "{err}");
    }
}

#[tokio::test]
async fn web_identity_from_env_calls_sts_unsigned() {
    let server = Server::start(|s| {
        Answer::new(200, sts_answer("AssumeRoleWithWebIdentity", "AKIDWEB"))
            .header("content-type", "text/xml")
            .header("x-amzn-requestid", &s.path)
    })
    .await;
    let dir = tempdir("web");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "eyJ.OIDC.TOKEN").unwrap();
    let token_path = token_file.display().to_string();
    let c = config(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token_path),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"),
        ("AWS_ENDPOINT_URL_STS", &server.url),
    ]);
    let creds = WebIdentityTokenProvider::from_env(c).load().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDWEB");
    assert_eq!(creds.session_token(), Some("token-AKIDWEB"));
    let seen = &server.seen()[0];
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("POST", "/"));
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(
        form(&seen.body),
        [
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", "2011-06-15"),
            ("RoleArn", "arn:aws:iam::123456789012:role/irsa"),
            ("RoleSessionName", "web-identity-token-1700000000000"),
            ("WebIdentityToken", "eyJ.OIDC.TOKEN"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );

    // The token file without a role is not set up (aws-config: not loaded).
    let c = config(&[("AWS_WEB_IDENTITY_TOKEN_FILE", &token_path)]);
    let err = WebIdentityTokenProvider::from_env(c)
        .load()
        .await
        .unwrap_err();
    assert!(err.is_not_loaded(), "{err}");
    assert_eq!(
        err.to_string(),
        "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn sts_errors_are_typed_and_idp_errors_retried() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let server = Server::start(move |_| {
        let code = if c2.fetch_add(1, Ordering::SeqCst) == 0 {
            "IDPCommunicationError"
        } else {
            "InvalidIdentityToken"
        };
        Answer::new(
            400,
            format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
                 <Code>{code}</Code><Message>Couldn't retrieve verification key from your identity provider</Message>\
                 </Error><RequestId>r-1</RequestId></ErrorResponse>"
            ),
        )
    })
    .await;
    let dir = tempdir("sts-error");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "SECRETOIDCTOKEN").unwrap();
    let c = config(&[("AWS_ENDPOINT_URL", &server.url)]);
    let p = WebIdentityTokenProvider::new(
        c,
        token_file.display().to_string(),
        "arn:r",
        Some("s".into()),
    );
    let err = p.load().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ServiceError);
    assert_eq!(err.code(), Some("InvalidIdentityToken"));
    assert_eq!(
        server.seen().len(),
        2,
        "IDPCommunicationError is retried once here"
    );
    assert!(!format!("{err} {err:?}").contains("SECRETOIDCTOKEN"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn profile_role_chain_signs_each_hop_with_the_previous_credentials() {
    let server = Server::start(|s| {
        let role = form_value(&s.body, "RoleArn").unwrap_or_default();
        let key = if role.ends_with("/first") {
            "AKIDFIRST"
        } else {
            "AKIDSECOND"
        };
        Answer::new(200, sts_answer("AssumeRole", key))
    })
    .await;
    let dir = tempdir("profile-chain");
    std::fs::write(
        dir.join("config"),
        "[profile target]\nrole_arn = arn:aws:iam::1:role/second\nsource_profile = middle\nrole_session_name = mine\n\
         [profile middle]\nrole_arn = arn:aws:iam::1:role/first\nsource_profile = base\nexternal_id = ext-1\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("credentials"),
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n",
    )
    .unwrap();
    let (cfg, crd) = (
        dir.join("config").display().to_string(),
        dir.join("credentials").display().to_string(),
    );
    let c = config(&[
        ("AWS_CONFIG_FILE", &cfg),
        ("AWS_SHARED_CREDENTIALS_FILE", &crd),
        ("AWS_PROFILE", "target"),
        ("AWS_ENDPOINT_URL_STS", &server.url),
    ]);
    let creds = ProfileCredentialsProvider::new(c).load().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDSECOND");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        form_value(&seen[0].body, "RoleArn").as_deref(),
        Some("arn:aws:iam::1:role/first")
    );
    assert_eq!(
        form_value(&seen[0].body, "ExternalId").as_deref(),
        Some("ext-1")
    );
    assert_eq!(
        form_value(&seen[0].body, "RoleSessionName").as_deref(),
        Some("assume-role-from-profile-1700000000000")
    );
    let auth = seen[0].header("authorization").unwrap();
    assert!(
        auth.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDBASE/20231114/eu-west-1/sts/aws4_request"
        ),
        "{auth}"
    );
    assert_eq!(seen[0].header("x-amz-security-token"), None);
    let auth = seen[1].header("authorization").unwrap();
    assert!(auth.contains("Credential=AKIDFIRST/"), "{auth}");
    assert_eq!(
        seen[1].header("x-amz-security-token"),
        Some("token-AKIDFIRST")
    );
    assert_eq!(
        form_value(&seen[1].body, "RoleSessionName").as_deref(),
        Some("mine")
    );

    // Without a configured region, STS is called in the profile's.
    std::fs::write(
        dir.join("config"),
        "[profile target]\nregion = ap-northeast-1\nrole_arn = arn:aws:iam::1:role/first\nsource_profile = base\n",
    )
    .unwrap();
    let c = config(&[
        ("AWS_CONFIG_FILE", &cfg),
        ("AWS_SHARED_CREDENTIALS_FILE", &crd),
        ("AWS_PROFILE", "target"),
        ("AWS_ENDPOINT_URL_STS", &server.url),
    ])
    .with_region(None);
    ProfileCredentialsProvider::new(c).load().await.unwrap();
    let auth = server.seen()[2].header("authorization").unwrap().to_owned();
    assert!(auth.contains("/ap-northeast-1/sts/aws4_request"), "{auth}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn profile_credential_process() {
    let dir = tempdir("process");
    let script = dir.join("creds.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", \"Expiration\": \"2030-01-01T00:00:00Z\"}'\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("config"),
        format!(
            "[default]\ncredential_process = sh {} --profile x\n",
            script.display()
        ),
    )
    .unwrap();
    let cfg = dir.join("config").display().to_string();
    let none = dir.join("none").display().to_string();
    let c = config(&[
        ("AWS_CONFIG_FILE", &cfg),
        ("AWS_SHARED_CREDENTIALS_FILE", &none),
    ]);
    let creds = ProfileCredentialsProvider::new(c).load().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDPROC");
    assert_eq!(
        creds.expiry(),
        Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_893_456_000))
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// One server plays STS, the container endpoint and IMDS, each with its own key.
async fn everything() -> Server {
    Server::start(|s| match (s.method.as_str(), s.path.as_str()) {
        ("POST", "/") => Answer::new(200, sts_answer("AssumeRoleWithWebIdentity", "AKIDWEB")),
        ("GET", "/container") => Answer::new(200, container_credentials("AKIDCONTAINER")),
        _ => imds(s, "AKIDIMDS"),
    })
    .await
}

/// What the chain tests point the providers at, in a new folder.
struct ChainFiles {
    dir: std::path::PathBuf,
    /// A web identity token file.
    token: String,
    /// A shared file holding the profile text given.
    profile_file: String,
    /// A path that does not exist.
    none: String,
    /// The container credentials endpoint of the server.
    container: String,
}

/// The [`everything`] server, and a folder `name` with a token file and a
/// shared file `file` holding `profile`.
async fn chain_setup(name: &str, file: &str, profile: &str) -> (Server, ChainFiles) {
    let server = everything().await;
    let dir = tempdir(name);
    std::fs::write(dir.join("token"), "tok").unwrap();
    std::fs::write(dir.join(file), profile).unwrap();
    let files = ChainFiles {
        token: dir.join("token").display().to_string(),
        profile_file: dir.join(file).display().to_string(),
        none: dir.join("none").display().to_string(),
        container: format!("{}/container", server.url),
        dir,
    };
    (server, files)
}

#[tokio::test]
async fn chain_order_env_web_identity_profile_container_imds() {
    let (server, files) = chain_setup(
        "chain",
        "credentials",
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n",
    )
    .await;
    let ChainFiles {
        dir,
        token,
        profile_file: creds_file,
        none,
        container,
    } = files;
    let all: Vec<(&str, &str)> = vec![
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
        ("AWS_SHARED_CREDENTIALS_FILE", &creds_file),
        ("AWS_CONFIG_FILE", &none),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_ENDPOINT_URL_STS", &server.url),
    ];
    let without = |drop: &[&str]| -> Vec<(&str, &str)> {
        all.iter()
            .filter(|(k, _)| !drop.contains(k))
            .copied()
            .collect()
    };
    let steps: [(&[&str], &str); 5] = [
        (&[], "AKIDENV"),
        (&["AWS_ACCESS_KEY_ID"], "AKIDWEB"),
        (
            &["AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE"],
            "AKIDPROFILE",
        ),
        (
            &[
                "AWS_ACCESS_KEY_ID",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_SHARED_CREDENTIALS_FILE",
            ],
            "AKIDCONTAINER",
        ),
        (
            &[
                "AWS_ACCESS_KEY_ID",
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_SHARED_CREDENTIALS_FILE",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            ],
            "AKIDIMDS",
        ),
    ];
    for (drop, expected) in steps {
        let mut vars = without(drop);
        if drop.contains(&"AWS_SHARED_CREDENTIALS_FILE") {
            vars.push(("AWS_SHARED_CREDENTIALS_FILE", &none));
        }
        let chain = DefaultCredentialsChain::new(config(&vars));
        let creds = chain.load().await.unwrap();
        assert_eq!(creds.access_key_id(), expected, "without {drop:?}");
    }
    // Nothing set up: one error listing every provider.
    let chain = DefaultCredentialsChain::new(config(&[
        ("AWS_SHARED_CREDENTIALS_FILE", &none),
        ("AWS_CONFIG_FILE", &none),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]));
    let err = chain.load().await.unwrap_err();
    assert!(err.is_not_loaded());
    for name in [
        "environment:",
        "web identity:",
        "profile:",
        "container:",
        "IMDS:",
    ] {
        assert!(err.to_string().contains(name), "{err}");
    }
    // A provider that is set up but fails stops the chain.
    let chain = DefaultCredentialsChain::new(config(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &none),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
    ]));
    let err = chain.load().await.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "the web identity credentials provider failed: \
             cannot open the web identity token file `{none}`"
        )),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("awsrt-creds-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

static OP: OperationMeta = common::op("ListRooms");

/// A service whose endpoint is `https://example.{Region}.amazonaws.com`.
static SERVICE: ServiceMeta = ServiceMeta {
    sdk_id: "example",
    signing_name: "example",
    api_version: "2020-07-14",
    endpoint_rule_set: r#"{"version": "1.0", "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region"}},
        "rules": [{"conditions": [], "endpoint": {"url": "https://example.{Region}.amazonaws.com"},
                   "type": "endpoint"}]}"#,
    partitions: r#"{"partitions": []}"#,
    region_matcher: |_, _| None,
};

/// One ListRooms call through `rt`.
async fn call(rt: &Runtime) -> Result<(), SdkError<UnhandledError>> {
    common::call(
        rt,
        HttpRequest::new(Method::Get, "/rooms"),
        &OP,
        |_: &HttpResponse| Ok::<_, std::convert::Infallible>(()),
        |resp: &HttpResponse, meta: ErrorMetadata| UnhandledError::new(resp.status(), meta),
    )
    .await
}

#[tokio::test]
async fn the_chain_behind_a_config_is_asked_once_for_many_calls() {
    let server = everything().await;
    let container = format!("{}/container", server.url);
    let dir = tempdir("chain-config");
    let none = dir.join("none").display().to_string();
    let chain = DefaultCredentialsChain::new(config(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
        ("AWS_SHARED_CREDENTIALS_FILE", &none),
        ("AWS_CONFIG_FILE", &none),
    ]));
    let transport = TestTransport::with_handler(|_| Ok(HttpResponse::json(200, "{}")));
    let rt = Runtime::new(
        Config::builder()
            .region("eu-west-1")
            .credentials_provider(chain)
            .transport(transport.clone())
            .build()
            .unwrap(),
        &SERVICE,
    );
    for _ in 0..10 {
        call(&rt).await.unwrap();
    }
    assert_eq!(transport.request_count(), 10);
    assert_eq!(
        server.lines(),
        ["GET /container"],
        "one fetch for ten calls"
    );
    let auth = transport.requests()[9]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(auth.contains("Credential=AKIDCONTAINER/"), "{auth}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The environment of a client on EC2 without a region setting: static keys,
/// no shared files, IMDS at `imds_url`, and `extra`.
fn ec2_env(imds_url: &str, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url),
        ("AWS_ACCESS_KEY_ID", "AKIDEC2"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_CONFIG_FILE", "/nonexistent/awsrt/config"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/awsrt/credentials",
        ),
    ];
    vars.extend_from_slice(extra);
    Env::from_slice(&vars)
}

/// A runtime from `Config::from_env_in(env)` sending to `transport`.
fn ec2_runtime(env: &Env, transport: &TestTransport) -> Runtime {
    let config = Config::from_env_in(env)
        .unwrap()
        .transport(transport.clone())
        .build()
        .unwrap();
    Runtime::new(config, &SERVICE)
}

#[tokio::test]
async fn from_env_asks_imds_for_the_region_once_at_the_first_call() {
    let server = Server::start(|s| imds(s, "unused")).await;
    let transport = TestTransport::with_handler(|_| Ok(HttpResponse::json(200, "{}")));
    let rt = ec2_runtime(&ec2_env(&server.url, &[]), &transport);
    assert_eq!(rt.config().region(), None, "not known before a call");
    assert!(server.seen().is_empty(), "building sends nothing");

    // Concurrent first calls share one lookup.
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let rt = rt.clone();
            tokio::spawn(async move { call(&rt).await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    for _ in 0..4 {
        call(&rt).await.unwrap();
    }
    assert_eq!(
        server.lines(),
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/placement/region"
        ],
        "one region lookup for twelve calls"
    );
    assert_eq!(
        rt.config().region().map(AsRef::as_ref),
        Some("ap-southeast-2")
    );
    let sent = transport.requests();
    assert_eq!(sent.len(), 12);
    for request in &sent {
        assert_eq!(
            request.endpoint(),
            "https://example.ap-southeast-2.amazonaws.com"
        );
        let auth = request.header("authorization").unwrap();
        assert!(
            auth.contains("/ap-southeast-2/example/aws4_request"),
            "signed for IMDS's region: {auth}"
        );
    }
}

#[tokio::test]
async fn a_region_from_the_environment_wins_without_asking_imds() {
    let server = Server::start(|s| imds(s, "unused")).await;
    let transport = TestTransport::with_handler(|_| Ok(HttpResponse::json(200, "{}")));
    let env = ec2_env(&server.url, &[("AWS_REGION", "eu-west-3")]);
    let rt = ec2_runtime(&env, &transport);
    assert_eq!(rt.config().region().map(AsRef::as_ref), Some("eu-west-3"));
    call(&rt).await.unwrap();
    assert!(server.seen().is_empty(), "IMDS not asked");
    let auth = transport.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(auth.contains("/eu-west-3/example/aws4_request"), "{auth}");
}

#[tokio::test]
async fn with_imds_disabled_and_no_region_build_says_what_to_set() {
    let server = Server::start(|s| imds(s, "unused")).await;
    let env = ec2_env(&server.url, &[("AWS_EC2_METADATA_DISABLED", "true")]);
    let err = Config::from_env_in(&env)
        .unwrap()
        .transport(TestTransport::new())
        .build()
        .unwrap_err()
        .to_string();
    for named in [
        "no region",
        "AWS_REGION",
        "profile",
        "AWS_EC2_METADATA_DISABLED",
    ] {
        assert!(err.contains(named), "{named} in {err}");
    }
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn a_failed_region_lookup_fails_the_call_and_the_next_call_asks_again() {
    use std::sync::atomic::AtomicBool;
    let up = Arc::new(AtomicBool::new(false));
    let answering = up.clone();
    let server = Server::start(move |s| {
        if s.path == "/latest/meta-data/placement/region" && !answering.load(Ordering::SeqCst) {
            return Answer::new(404, "");
        }
        imds(s, "unused")
    })
    .await;
    let transport = TestTransport::with_handler(|_| Ok(HttpResponse::json(200, "{}")));
    let rt = ec2_runtime(&ec2_env(&server.url, &[]), &transport);
    let err = call(&rt).await.unwrap_err();
    let chain = awsrt::client::DisplayErrorContext(&err).to_string();
    for named in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "profile",
        "EC2 instance metadata (IMDS)",
        "HTTP 404",
    ] {
        assert!(chain.contains(named), "{named} in {chain}");
    }
    let region_error = std::error::Error::source(&err)
        .and_then(|e| e.downcast_ref::<awsrt::client::RegionError>());
    assert!(region_error.is_some(), "a RegionError: {err:?}");
    assert_eq!(
        transport.request_count(),
        0,
        "nothing sent without a region"
    );
    assert_eq!(rt.config().region(), None);

    up.store(true, Ordering::SeqCst);
    call(&rt).await.unwrap();
    assert_eq!(
        rt.config().region().map(AsRef::as_ref),
        Some("ap-southeast-2")
    );
    let lookups = server
        .lines()
        .iter()
        .filter(|l| l.ends_with("/placement/region"))
        .count();
    assert_eq!(lookups, 2, "the failure was not kept");
}

#[tokio::test]
async fn load_from_env_asks_imds_once_in_the_environment_it_was_given() {
    let server = Server::start(|s| imds(s, "unused")).await;
    let transport = TestTransport::with_handler(|_| Ok(HttpResponse::json(200, "{}")));
    let config = Config::load_from_env_in(&ec2_env(&server.url, &[]))
        .await
        .unwrap()
        .transport(transport.clone())
        .build()
        .unwrap();
    assert_eq!(
        config.region().map(AsRef::as_ref),
        Some("ap-southeast-2"),
        "known before any call"
    );
    let lookup = [
        "PUT /latest/api/token",
        "GET /latest/meta-data/placement/region",
    ];
    assert_eq!(server.lines(), lookup);
    let rt = Runtime::new(config, &SERVICE);
    for _ in 0..3 {
        call(&rt).await.unwrap();
    }
    assert_eq!(server.lines(), lookup, "one lookup in all");
    let auth = transport.requests()[2]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(
        auth.contains("/ap-southeast-2/example/aws4_request"),
        "{auth}"
    );
}

#[tokio::test]
async fn load_from_env_without_an_answer_leaves_the_lookup_to_the_first_call() {
    use std::sync::atomic::AtomicBool;
    let up = Arc::new(AtomicBool::new(false));
    let answering = up.clone();
    let server = Server::start(move |s| {
        if s.path == "/latest/meta-data/placement/region" && !answering.load(Ordering::SeqCst) {
            return Answer::new(404, "");
        }
        imds(s, "unused")
    })
    .await;
    let transport = TestTransport::with_handler(|_| Ok(HttpResponse::json(200, "{}")));
    let config = Config::load_from_env_in(&ec2_env(&server.url, &[]))
        .await
        .unwrap()
        .transport(transport.clone())
        .build()
        .expect("build succeeds: the first call asks IMDS again");
    assert_eq!(config.region(), None);
    let lookups = || {
        server
            .lines()
            .iter()
            .filter(|l| l.ends_with("/placement/region"))
            .count()
    };
    assert_eq!(lookups(), 1);
    up.store(true, Ordering::SeqCst);
    let rt = Runtime::new(config, &SERVICE);
    call(&rt).await.unwrap();
    assert_eq!(
        rt.config().region().map(AsRef::as_ref),
        Some("ap-southeast-2")
    );
    assert_eq!(lookups(), 2);
}

/// Web identity (a token file in a new folder `name`, a role) beside the
/// IMDS `server`: the folder, the providers' config (STS answered by the
/// returned transport, the region from the returned IMDS lookup).
fn web_identity_beside_imds(
    server: &Server,
    name: &str,
) -> (
    std::path::PathBuf,
    ProviderConfig,
    TestTransport,
    Arc<LazyRegion>,
) {
    let dir = tempdir(name);
    let token = dir.join("token");
    std::fs::write(&token, "eyJ.OIDC.TOKEN").unwrap();
    let token = token.display().to_string();
    let env = Env::from_slice(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"),
    ]);
    let lazy = Arc::new(LazyRegion::new(ProviderConfig::new().with_env(env.clone())).unwrap());
    let sts = TestTransport::with_handler(|_| {
        Ok(HttpResponse::new(200).with_body(sts_answer("AssumeRoleWithWebIdentity", "AKIDWEB")))
    });
    let c = ProviderConfig::new()
        .with_env(env)
        .with_transport(Arc::new(sts.clone()))
        .with_imds_region(lazy.clone());
    (dir, c, sts, lazy)
}

/// Without a region in the environment or the profile, web identity calls
/// STS in the region IMDS gives (the lookup the client's calls share), as
/// aws-config's `WebIdentityTokenCredentialsProvider` does (its
/// `ProviderConfig` carries the region `load()` resolved, IMDS included),
/// not at the global endpoint.
#[tokio::test]
async fn web_identity_without_a_region_setting_calls_sts_in_the_region_imds_gives() {
    let server = Server::start(|s| imds(s, "unused")).await;
    let (dir, c, sts, lazy) = web_identity_beside_imds(&server, "web-imds-region");
    // The client resolves its region before it asks for credentials.
    assert_eq!(lazy.resolve().await.unwrap(), "ap-southeast-2");
    let creds = WebIdentityTokenProvider::from_env(c).load().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDWEB");
    assert_eq!(
        sts.requests()[0].endpoint(),
        "https://sts.ap-southeast-2.amazonaws.com"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// With no region at all (none set, IMDS gives none), web identity fails
/// naming the missing region and sends nothing, as aws-config's provider
/// does (aws-sdk-sts's endpoint rules end in `Invalid Configuration:
/// Missing Region`); it no longer calls the global endpoint (botocore does).
#[tokio::test]
async fn web_identity_without_any_region_fails_naming_it_and_sends_nothing() {
    let server = Server::start(|s| match s.path.as_str() {
        "/latest/meta-data/placement/region" => Answer::new(404, ""),
        _ => imds(s, "unused"),
    })
    .await;
    let (dir, c, sts, lazy) = web_identity_beside_imds(&server, "web-no-region");
    // The client's own lookup asked IMDS, which gave no region.
    assert!(lazy.resolve().await.is_err());
    assert!(server
        .lines()
        .contains(&"GET /latest/meta-data/placement/region".to_owned()));
    let err = WebIdentityTokenProvider::from_env(c)
        .load()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    let message = err.to_string();
    assert!(
        message.contains("AssumeRoleWithWebIdentity: Invalid Configuration: Missing Region"),
        "{message}"
    );
    assert!(!message.contains("eyJ"), "no token in the error: {message}");
    assert_eq!(sts.request_count(), 0, "nothing sent to STS");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A loopback server that is both IMDS (region `ap-southeast-2`) and STS
/// (AssumeRole gives `AKIDROLE`), and an environment whose default profile
/// assumes a role from static keys, with both endpoints on the server.
async fn assumed_role_beside_imds(name: &str) -> (Server, std::path::PathBuf, Env) {
    let server = Server::start(|s| match (s.method.as_str(), s.path.as_str()) {
        ("POST", "/") => Answer::new(200, sts_answer("AssumeRole", "AKIDROLE")),
        _ => imds(s, "unused"),
    })
    .await;
    let dir = tempdir(name);
    std::fs::write(
        dir.join("config"),
        "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n\
         [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
    )
    .unwrap();
    let (cfg, none) = (
        dir.join("config").display().to_string(),
        dir.join("none").display().to_string(),
    );
    let env = Env::from_slice(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_ENDPOINT_URL_STS", &server.url),
        ("AWS_CONFIG_FILE", &cfg),
        ("AWS_SHARED_CREDENTIALS_FILE", &none),
    ]);
    (server, dir, env)
}

/// `Config::from_env` gives its credential providers the region lookup it
/// makes for the client: a role the profile assumes is signed for IMDS's
/// region (us-east-1 before).
#[tokio::test]
async fn from_env_gives_sts_the_region_imds_gives() {
    let (server, dir, env) = assumed_role_beside_imds("from-env-sts-region").await;
    let config = Config::load_from_env_in(&env)
        .await
        .unwrap()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    let creds = config
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDROLE");
    let assume = server
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .unwrap();
    let auth = assume.header("authorization").unwrap();
    assert!(
        auth.contains("/ap-southeast-2/sts/aws4_request"),
        "signed for IMDS's region: {auth}"
    );
    assert_eq!(config.region().map(AsRef::as_ref), Some("ap-southeast-2"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// A region set in code after `Config::from_env` is the one STS is called
/// in (as a region given to aws-config's loader is), and leaves IMDS alone:
/// STS does not wait on an IMDS lookup (which, off EC2, would time out on
/// every refresh). The endpoint is the one the environment names.
#[tokio::test]
async fn a_region_set_in_code_keeps_sts_from_asking_imds() {
    let (server, dir, env) = assumed_role_beside_imds("code-region-sts").await;
    let config = Config::from_env_in(&env)
        .unwrap()
        .region("eu-west-1")
        .transport(TestTransport::new())
        .build()
        .unwrap();
    let creds = config
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDROLE");
    let seen = server.seen();
    assert!(
        seen.iter().all(|s| s.method == "POST"),
        "only STS was asked: {:?}",
        seen.iter().map(|s| &s.path).collect::<Vec<_>>()
    );
    let auth = seen[0].header("authorization").unwrap();
    assert!(
        auth.contains("/eu-west-1/sts/aws4_request"),
        "signed for the region set: {auth}"
    );
    assert_eq!(config.region().map(AsRef::as_ref), Some("eu-west-1"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn imds_and_the_container_endpoint_are_reached_without_the_proxy() {
    let server = everything().await;
    // A "proxy" that counts the connections made to it and closes each.
    let proxy = ConnectionCounter::start(false).await;
    let proxy_url = proxy.url.clone();
    let dir = tempdir("no-proxy");
    let none = dir.join("none").display().to_string();
    let container = format!("{}/container", server.url);
    let with_proxy = |vars: &[(&str, &str)]| {
        config(vars).with_network(TlsSettings::default(), ProxyConfig::all(&proxy_url))
    };
    let container_config = with_proxy(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-identity-token"),
    ]);
    let creds = ContainerCredentialsProvider::new(container_config)
        .load()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDCONTAINER");
    let imds_config = with_proxy(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_CONFIG_FILE", &none),
    ]);
    let creds = ImdsCredentialsProvider::new(imds_config.clone())
        .load()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDIMDS");
    assert_eq!(
        ImdsClient::new(imds_config).region().await.unwrap(),
        "ap-southeast-2"
    );
    assert_eq!(server.seen().len(), 6, "{:?}", server.lines());
    assert_eq!(proxy.count().await, 0, "nothing went to the proxy");
    // STS is an AWS endpoint: it keeps the client's proxy.
    std::fs::write(dir.join("token"), "tok").unwrap();
    let token = dir.join("token").display().to_string();
    let web = with_proxy(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
        ("AWS_ENDPOINT_URL_STS", &server.url),
        ("AWS_CONFIG_FILE", &none),
    ]);
    WebIdentityTokenProvider::from_env(web)
        .load()
        .await
        .unwrap_err();
    assert!(proxy.count().await >= 1, "STS went to the proxy");
    assert_eq!(server.seen().len(), 6, "and not around it");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Settings aws-config takes as "not set up" (`CredentialsError::not_loaded`
/// in environment/credentials.rs, web_identity_token.rs and
/// profile/credentials.rs): the chain asks the next provider, here the
/// container endpoint.
#[tokio::test]
async fn half_set_up_sources_pass_to_the_next_provider() {
    let (server, files) = chain_setup(
        "half-set-up",
        "config",
        "[profile dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n",
    )
    .await;
    let ChainFiles {
        dir,
        token,
        profile_file: config_file,
        none,
        container,
    } = files;
    let cases: [&[(&str, &str)]; 4] = [
        &[("AWS_ACCESS_KEY_ID", "AKIDENV")],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "  "),
        ],
        &[("AWS_WEB_IDENTITY_TOKEN_FILE", &token)],
        &[("AWS_PROFILE", "missing")],
    ];
    for (i, case) in cases.iter().enumerate() {
        let mut vars = vec![
            ("AWS_CONFIG_FILE", config_file.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", none.as_str()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.as_str()),
            ("AWS_ENDPOINT_URL_STS", server.url.as_str()),
        ];
        vars.extend_from_slice(case);
        let creds = DefaultCredentialsChain::new(config(&vars))
            .load()
            .await
            .unwrap_or_else(|e| panic!("{case:?}: {e}"));
        assert_eq!(creds.access_key_id(), "AKIDCONTAINER", "{case:?}");
        assert_eq!(server.seen().len(), i + 1, "{case:?}: no STS call");
    }
    // The profile named is still the one used when it is defined.
    let creds = DefaultCredentialsChain::new(config(&[
        ("AWS_CONFIG_FILE", &config_file),
        ("AWS_SHARED_CREDENTIALS_FILE", &none),
        ("AWS_PROFILE", "dev"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
    ]))
    .load()
    .await
    .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDDEV");
    std::fs::remove_dir_all(dir).unwrap();
}

/// aws-config takes a shared file it cannot read (a directory, not UTF-8)
/// as empty, with a warning (aws-runtime env_config/source.rs): the other
/// file, the environment and the rest of the chain still apply.
#[tokio::test]
async fn an_unreadable_shared_file_counts_as_empty() {
    let dir = tempdir("unreadable");
    std::fs::create_dir_all(dir.join("a-directory")).unwrap();
    std::fs::write(dir.join("latin1"), b"[default]\nregion = caf\xe9\n").unwrap();
    std::fs::write(
        dir.join("credentials"),
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n",
    )
    .unwrap();
    std::fs::write(dir.join("config"), "[default]\nregion = sa-east-1\n").unwrap();
    let path = |name: &str| dir.join(name).display().to_string();
    for (config_file, credentials_file, region, key) in [
        ("a-directory", "credentials", "us-west-2", "AKIDFILE"),
        ("latin1", "credentials", "us-west-2", "AKIDFILE"),
        ("config", "a-directory", "sa-east-1", "AKIDENV"),
        ("config", "latin1", "sa-east-1", "AKIDENV"),
    ] {
        let (config_path, credentials_path) = (path(config_file), path(credentials_file));
        let mut vars = vec![
            ("AWS_CONFIG_FILE", config_path.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials_path.as_str()),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ];
        if config_file != "config" {
            vars.push(("AWS_REGION", "us-west-2"));
        }
        if credentials_file != "credentials" {
            vars.extend([
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
            ]);
        }
        let config = Config::from_env_in(&Env::from_slice(&vars))
            .unwrap_or_else(|e| panic!("{config_file}, {credentials_file}: {e}"))
            .transport(TestTransport::new())
            .build()
            .unwrap();
        assert_eq!(config.region().map(AsRef::as_ref), Some(region));
        let creds = config
            .credentials_provider()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            creds.access_key_id(),
            key,
            "{config_file}, {credentials_file}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// A loopback server that counts the connections made to it, and closes
/// each at once or keeps it open without answering.
struct ConnectionCounter {
    url: String,
    peers: Arc<std::sync::Mutex<Vec<std::net::SocketAddr>>>,
}

impl ConnectionCounter {
    async fn start(answer_nothing: bool) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let peers = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = peers.clone();
        tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((stream, peer)) = listener.accept().await {
                record.lock().unwrap().push(peer);
                if answer_nothing {
                    open.push(stream);
                }
            }
        });
        ConnectionCounter { url, peers }
    }

    /// The connections made so far: one more is made and, the listener
    /// accepting in order, once it is seen so are all before it.
    async fn count(&self) -> usize {
        let addr = self.url.trim_start_matches("http://");
        let probe = tokio::net::TcpStream::connect(addr).await.unwrap();
        let me = probe.local_addr().unwrap();
        for _ in 0..1000 {
            if let Some(n) = self.peers.lock().unwrap().iter().position(|p| *p == me) {
                return n;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("the probe connection was never accepted");
    }
}

/// aws-config retries IMDS for 5xx and 401 answers only, never a request
/// that got no answer (imds/client.rs, `ImdsResponseRetryClassifier`).
#[tokio::test]
async fn imds_does_not_retry_requests_that_get_no_answer() {
    for answer_nothing in [false, true] {
        let server = ConnectionCounter::start(answer_nothing).await;
        let c = config(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
            ("AWS_CONFIG_FILE", "/nonexistent/awsrt/config"),
        ]);
        let err = ImdsCredentialsProvider::new(c.clone())
            .load()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded(), "{err}");
        assert_eq!(server.count().await, 1, "hangs: {answer_nothing}");
        ImdsClient::new(c).region().await.unwrap_err();
        // The probe counted above was a connection too.
        assert_eq!(server.count().await, 3, "hangs: {answer_nothing}");
    }
    // A 500 is retried: 4 attempts.
    let server = Server::start(|s| match s.path.as_str() {
        "/latest/meta-data/placement/region" => Answer::new(500, ""),
        _ => imds(s, "unused"),
    })
    .await;
    let c = config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_CONFIG_FILE", "/nonexistent/awsrt/config"),
    ]);
    ImdsClient::new(c).region().await.unwrap_err();
    assert_eq!(
        server.lines(),
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/placement/region",
            "GET /latest/meta-data/placement/region",
            "GET /latest/meta-data/placement/region",
            "GET /latest/meta-data/placement/region",
        ]
    );
}

/// aws-config's IMDS static stability (imds/credentials.rs,
/// `maybe_extend_expiration` and the fallback to the last credentials):
/// credentials IMDS gives already expired are used, their expiry moved 10 to
/// 15 minutes ahead; when IMDS then fails, the last credentials still sign.
#[tokio::test]
async fn imds_credentials_past_their_expiry_are_used_and_kept_when_imds_fails() {
    use awsrt::client::CredentialsCache;
    use std::sync::atomic::AtomicBool;
    use std::time::{Duration, UNIX_EPOCH};

    const T0: u64 = 1_700_000_000; // 2023-11-14T22:13:20Z
    let failing = Arc::new(AtomicBool::new(false));
    let fail = failing.clone();
    let server = Server::start(move |s| {
        if fail.load(Ordering::SeqCst) {
            return Answer::new(500, "");
        }
        match s.path.as_str() {
            "/latest/meta-data/iam/security-credentials/web-role" => Answer::new(
                200,
                imds_credentials("AKIDSTALE")
                    .replace("2030-05-17T15:09:54Z", "2023-11-14T21:00:00Z"),
            ),
            _ => imds(s, "unused"),
        }
    })
    .await;
    let clock = common::Clock::at(T0);
    let c = config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_CONFIG_FILE", "/nonexistent/awsrt/config"),
    ])
    .with_time_source(Arc::new(clock.clone()));
    let provider = Arc::new(ImdsCredentialsProvider::new(c));
    let creds = provider.load().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDSTALE");
    let expiry = creds.expiry().unwrap();
    let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
    assert!(
        expiry >= at(T0 + 600) && expiry <= at(T0 + 900),
        "{expiry:?}"
    );
    let fetches = || {
        server
            .lines()
            .iter()
            .filter(|l| l.ends_with("/web-role"))
            .count()
    };
    assert_eq!(fetches(), 1);

    // Behind a cache: not asked again before the extended expiry nears.
    let cache = CredentialsCache::new(provider.clone(), Arc::new(clock.clone()));
    let key = || async { cache.get().await.map(|c| c.access_key_id().to_owned()) };
    assert_eq!(key().await.unwrap(), "AKIDSTALE");
    assert_eq!(fetches(), 2);
    clock.set(T0 + 60);
    assert_eq!(key().await.unwrap(), "AKIDSTALE");
    clock.set(T0 + 240);
    assert_eq!(key().await.unwrap(), "AKIDSTALE");
    assert_eq!(fetches(), 2, "used, not fetched again at each call");
    // ... and asked again once the extension is over.
    clock.set(T0 + 900);
    assert_eq!(key().await.unwrap(), "AKIDSTALE");
    assert_eq!(fetches(), 3);

    // IMDS fails from now on; past the extended expiry the last
    // credentials still come back, from the provider as from the cache.
    failing.store(true, Ordering::SeqCst);
    clock.set(T0 + 3600);
    let before = server.seen().len();
    assert_eq!(key().await.unwrap(), "AKIDSTALE");
    assert_eq!(provider.load().await.unwrap().access_key_id(), "AKIDSTALE");
    assert!(server.seen().len() > before, "IMDS was asked");

    // A new provider has no last credentials: the error comes through.
    let fresh = ImdsCredentialsProvider::new(config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url),
        ("AWS_CONFIG_FILE", "/nonexistent/awsrt/config"),
    ]));
    fresh.load().await.unwrap_err();
}

/// What a generated fluent builder does with its customization, three
/// times, as three calls (or three pages) with it do: lay it over `base`
/// and ask the resulting config for credentials.
struct OverrideProbe {
    base: Runtime,
}

impl awsrt::client::CustomizableSend for OverrideProbe {
    type Output = Vec<String>;
    type Error = std::convert::Infallible;

    fn send_customized(
        self,
        customization: awsrt::client::Customization,
    ) -> awsrt::client::BoxFuture<'static, Result<Vec<String>, SdkError<Self::Error>>> {
        Box::pin(async move {
            let mut keys = Vec::new();
            for _ in 0..3 {
                let runtime = customization.clone().runtime(&self.base).unwrap();
                let creds = runtime
                    .config()
                    .credentials_provider()
                    .provide_credentials()
                    .await
                    .unwrap();
                keys.push(creds.access_key_id().to_owned());
            }
            Ok(keys)
        })
    }
}

/// The access keys three calls get with `layer` as their config override,
/// over a client in `region` with keys of its own (AKIDBASE).
async fn keys_over_three_calls(region: &str, layer: awsrt::client::ConfigBuilder) -> Vec<String> {
    let base = Runtime::new(
        Config::builder()
            .region(region)
            .credentials(awsrt::client::Credentials::from_keys("AKIDBASE", "s", None))
            .transport(TestTransport::new())
            .build()
            .unwrap(),
        &common::IVSCHAT,
    );
    awsrt::client::CustomizableOperation::new(
        OverrideProbe { base },
        awsrt::client::Customization::default(),
    )
    .config_override(layer)
    .send()
    .await
    .unwrap()
}

#[tokio::test]
async fn an_override_from_env_makes_its_chain_once_for_every_call() {
    // The override's `from_env` finds container credentials; the calls it is
    // laid over share one chain and one cache, so the endpoint is asked
    // once, not once per call.
    let server = everything().await;
    let none = tempdir("override-once").join("none").display().to_string();
    let container = format!("{}/container", server.url);
    let layer = Config::from_env_in(&Env::from_slice(&[
        ("AWS_CONFIG_FILE", &none),
        ("AWS_SHARED_CREDENTIALS_FILE", &none),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
        ("AWS_REGION", "eu-west-1"),
    ]))
    .unwrap();
    let keys = keys_over_three_calls("us-west-2", layer).await;
    assert_eq!(keys, ["AKIDCONTAINER"; 3]);
    assert_eq!(server.lines(), ["GET /container"]);
}

#[tokio::test]
async fn a_proxy_set_after_from_env_reaches_the_default_chain() {
    // `build()` makes the chain `from_env` chose with the settings then set:
    // the web identity call to STS goes to the proxy set afterwards.
    let server = everything().await;
    // A "proxy" that counts the connections made to it and closes each.
    let proxy = ConnectionCounter::start(false).await;
    let proxy_url = proxy.url.clone();
    let dir = tempdir("proxy-after-from-env");
    std::fs::write(dir.join("token"), "tok").unwrap();
    let token = dir.join("token").display().to_string();
    let none = dir.join("none").display().to_string();
    let config = Config::from_env_in(&Env::from_slice(&[
        ("AWS_CONFIG_FILE", &none),
        ("AWS_SHARED_CREDENTIALS_FILE", &none),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
        ("AWS_ENDPOINT_URL_STS", &server.url),
        ("AWS_REGION", "eu-west-1"),
    ]))
    .unwrap()
    .proxy_config(ProxyConfig::all(&proxy_url))
    .transport(TestTransport::new())
    .build()
    .unwrap();
    config
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(proxy.count().await >= 1, "STS went to the proxy");
    assert!(
        server.seen().is_empty(),
        "and not around it: {:?}",
        server.lines()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn an_override_from_env_without_a_region_calls_sts_in_the_clients_region() {
    // The override's environment names no region; the call runs in the
    // client's (eu-west-1), and so does the role its profile assumes.
    let (server, dir, env) = assumed_role_beside_imds("override-region").await;
    let keys = keys_over_three_calls("eu-west-1", Config::from_env_in(&env).unwrap()).await;
    assert_eq!(keys, ["AKIDROLE"; 3]);
    let seen = server.seen();
    assert_eq!(
        seen.len(),
        1,
        "one STS call for the three: {:?}",
        server.lines()
    );
    let auth = seen[0].header("authorization").unwrap();
    assert!(
        auth.contains("/eu-west-1/sts/aws4_request"),
        "signed for the client's region: {auth}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
