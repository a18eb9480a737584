//! The default transport's trust store and proxies, against loopback
//! servers: a TLS service whose certificate authority is made here with
//! `rcgen` (so no system trusts it), and a tiny proxy that tunnels `CONNECT`
//! and answers absolute-form `http://` requests itself, counting both.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsrt::client::{
    Config, Credentials, HttpRequest, Method, OperationMeta, ProxyConfig, RetryConfig, Runtime,
    TlsSettings,
};
use common::IVSCHAT;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

static OP: OperationMeta = common::op("CreateRoom");

/// A certificate authority and a `localhost` certificate it signed.
struct Pki {
    ca_pem: String,
    leaf: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "awsrt test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    Pki {
        ca_pem: ca.pem(),
        leaf: leaf.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    }
}

/// Reads a request head (up to the blank line) and a `content-length` body.
async fn read_request<S: AsyncReadExt + Unpin>(stream: &mut S) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(head)
}

const OK: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";

/// A TLS service on loopback answering 200 `{}`; returns its port.
async fn tls_service(pki: &Pki) -> u16 {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![pki.leaf.clone()], pki.key.clone_key())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                if read_request(&mut tls).await.is_some() {
                    let _ = tls.write_all(OK).await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    port
}

/// What the proxy saw: request heads, in order.
#[derive(Clone, Default)]
struct ProxyLog(Arc<Mutex<Vec<String>>>);

impl ProxyLog {
    fn heads(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// A proxy on loopback: tunnels `CONNECT`, answers anything else itself
/// (200 `{}`), logging each request head. Returns its port.
async fn proxy(log: ProxyLog) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let Some(head) = read_request(&mut client).await else {
                    return;
                };
                log.0.lock().unwrap().push(head.clone());
                let request_line = head.lines().next().unwrap_or_default().to_owned();
                if let Some(target) = request_line
                    .strip_prefix("CONNECT ")
                    .and_then(|r| r.split(' ').next())
                {
                    let target = target.replace("localhost", "127.0.0.1");
                    let Ok(mut upstream) = TcpStream::connect(target).await else {
                        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                        return;
                    };
                    let _ = client
                        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                        .await;
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                } else {
                    let _ = client.write_all(OK).await;
                    let _ = client.shutdown().await;
                }
            });
        }
    });
    port
}

fn runtime(endpoint: &str, tls: TlsSettings, proxy: ProxyConfig) -> Runtime {
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::disabled())
        .read_timeout(Duration::from_secs(10))
        .tls_settings(tls)
        .proxy_config(proxy)
        .build()
        .unwrap();
    Runtime::new(config, &IVSCHAT)
}

fn request() -> HttpRequest {
    let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
    req.set_body(&b"{}"[..], "application/json");
    req
}

#[tokio::test]
async fn a_service_is_trusted_only_through_its_ca_bundle() {
    let pki = pki();
    let port = tls_service(&pki).await;
    let endpoint = format!("https://localhost:{port}");

    // The platform's and the Mozilla roots do not know this CA.
    let rt = runtime(&endpoint, TlsSettings::default(), ProxyConfig::disabled());
    let err = rt.send(request(), &OP).await.unwrap_err();
    let chain = format!("{err:?}");
    assert!(
        chain.contains("InvalidCertificate(UnknownIssuer)"),
        "{chain}"
    );

    // Given as a PEM file (as AWS_CA_BUNDLE names one), it is trusted.
    let dir = std::env::temp_dir().join(format!("awsrt-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("ca.pem");
    std::fs::write(&bundle, &pki.ca_pem).unwrap();
    let rt = runtime(
        &endpoint,
        TlsSettings::default().with_ca_bundle(&bundle),
        ProxyConfig::disabled(),
    );
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 200);

    // Only the bundle: the built-in roots can be turned off.
    let rt = runtime(
        &endpoint,
        TlsSettings::default()
            .with_platform_roots(false)
            .with_webpki_roots(false)
            .with_ca_bundle_pem(pki.ca_pem.clone()),
        ProxyConfig::disabled(),
    );
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_credentials() {
    let pki = pki();
    let service = tls_service(&pki).await;
    let log = ProxyLog::default();
    let proxy_port = proxy(log.clone()).await;
    let tls = TlsSettings::default().with_ca_bundle_pem(pki.ca_pem.clone());
    let rt = runtime(
        &format!("https://localhost:{service}"),
        tls,
        ProxyConfig::all(format!("http://user:pw@127.0.0.1:{proxy_port}")),
    );
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 200);
    let heads = log.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(
        heads[0].starts_with(&format!("CONNECT localhost:{service} HTTP/1.1\r\n")),
        "{}",
        heads[0]
    );
    // base64("user:pw")
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic dxnlcjpwdw=="),
        "{}",
        heads[0]
    );
}

#[tokio::test]
async fn plain_http_is_sent_to_the_proxy_in_absolute_form() {
    let log = ProxyLog::default();
    let proxy_port = proxy(log.clone()).await;
    // Nothing listens on the endpoint: only the proxy can answer.
    let unused = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://127.0.0.1:{}", unused.local_addr().unwrap().port());
    drop(unused);
    let rt = runtime(
        &endpoint,
        TlsSettings::default(),
        ProxyConfig::all(format!("http://127.0.0.1:{proxy_port}")),
    );
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 200);
    let heads = log.heads();
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with(&format!("POST {endpoint}/CreateRoom HTTP/1.1\r\n")),
        "{}",
        heads[0]
    );
}

#[tokio::test]
async fn no_proxy_and_disabled_go_direct() {
    let pki = pki();
    let service = tls_service(&pki).await;
    let log = ProxyLog::default();
    let proxy_port = proxy(log.clone()).await;
    let endpoint = format!("https://localhost:{service}");
    let tls = TlsSettings::default().with_ca_bundle_pem(pki.ca_pem.clone());
    let proxy_url = format!("http://127.0.0.1:{proxy_port}");
    let calls = AtomicUsize::new(0);
    for proxy in [
        ProxyConfig::all(&proxy_url).with_no_proxy("localhost"),
        ProxyConfig::all(&proxy_url).with_no_proxy("*"),
        ProxyConfig::disabled(),
    ] {
        let rt = runtime(&endpoint, tls.clone(), proxy);
        assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 200);
        calls.fetch_add(1, Ordering::SeqCst);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(log.heads().is_empty(), "{:?}", log.heads());
}
