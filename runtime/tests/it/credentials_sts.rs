//! STS requests equal to botocore's: `runtime/tests/data/sts_botocore.json`
//! holds what botocore 1.44.5 sent for AssumeRoleWithWebIdentity (unsigned)
//! and AssumeRole (SigV4) with fixed parameters, credentials, clock and
//! endpoint (`runtime/scripts/sts_golden.py`). The same calls through awsrt's
//! STS client, recorded by the in-memory transport, must have the same
//! method, path, content type and body, and for AssumeRole the same
//! `x-amz-date`, `x-amz-security-token` and `Authorization` (so the same
//! signature).

use std::sync::Arc;

use awsrt::client::credentials::sts::{self, AssumeRoleRequest, WebIdentityRequest};
use awsrt::client::{Credentials, Env, FixedTime, HttpResponse, ProviderConfig, TestTransport};
use serde_json::Value;

fn answer(op: &str) -> HttpResponse {
    HttpResponse::new(200).with_body(format!(
        "<{op}Response><{op}Result><Credentials><AccessKeyId>ASIA</AccessKeyId>\
         <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>\
         <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></{op}Result></{op}Response>"
    ))
}

#[tokio::test]
async fn requests_equal_botocores() {
    let golden: Value = serde_json::from_str(include_str!("../data/sts_botocore.json")).unwrap();
    assert_eq!(golden["botocore"], "1.44.5");
    let cases = golden["requests"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        let op = case["operation"].as_str().unwrap();
        let transport = TestTransport::new();
        transport.push_response(answer(op));
        // 2023-11-14T22:13:20Z, the script's clock.
        assert_eq!(case["time"], "2023-11-14T22:13:20Z");
        let config = ProviderConfig::new()
            .with_env(Env::from_slice(&[(
                "AWS_ENDPOINT_URL_STS",
                case["endpoint"].as_str().unwrap(),
            )]))
            .with_region(Some(case["region"].as_str().unwrap().to_owned()))
            .with_time_source(Arc::new(FixedTime::from_unix_secs(1_700_000_000)))
            .with_transport(Arc::new(transport.clone()));
        let p = &case["params"];
        let s = |k: &str| p[k].as_str().unwrap();
        let creds = match op {
            "AssumeRoleWithWebIdentity" => sts::assume_role_with_web_identity(
                &config,
                &WebIdentityRequest {
                    role_arn: s("RoleArn"),
                    role_session_name: s("RoleSessionName"),
                    web_identity_token: s("WebIdentityToken"),
                },
            )
            .await
            .unwrap(),
            "AssumeRole" => {
                let c = &case["credentials"];
                let source = Credentials::from_keys(
                    c[0].as_str().unwrap(),
                    c[1].as_str().unwrap(),
                    Some(c[2].as_str().unwrap().to_owned()),
                );
                sts::assume_role(
                    &config,
                    &AssumeRoleRequest {
                        role_arn: s("RoleArn"),
                        role_session_name: s("RoleSessionName"),
                        external_id: Some(s("ExternalId")),
                    },
                    &source,
                )
                .await
                .unwrap()
            }
            other => panic!("unknown operation {other}"),
        };
        assert_eq!(creds.access_key_id(), "ASIA");
        let sent = &transport.requests()[0];
        assert_eq!(
            sent.method().as_str(),
            case["method"].as_str().unwrap(),
            "{op}"
        );
        assert_eq!(sent.path(), case["path"].as_str().unwrap(), "{op}");
        assert_eq!(
            std::str::from_utf8(sent.body()).unwrap(),
            case["body"].as_str().unwrap(),
            "{op}"
        );
        let headers = case["headers"].as_object().unwrap();
        for name in [
            "content-type",
            "authorization",
            "x-amz-date",
            "x-amz-security-token",
        ] {
            assert_eq!(
                sent.header(name),
                headers.get(name).and_then(Value::as_str),
                "{op}: header {name}"
            );
        }
    }
}
