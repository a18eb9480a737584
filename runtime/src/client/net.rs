//! The default transport's network settings: which certificate authorities
//! TLS trusts ([`TlsSettings`]) and which proxy requests go through
//! ([`ProxyConfig`]).
//!
//! Trust: by default the platform's store (read once per process with
//! `rustls-native-certs`: the OpenSSL locations on Linux, the keychain on
//! macOS, the system store on Windows) together with the Mozilla roots
//! (`webpki-roots`, compiled in, so a container without a CA store still
//! works), plus any PEM bundles from [`TlsSettings::with_ca_bundle`],
//! `AWS_CA_BUNDLE` or the profile's `ca_bundle`.
//!
//! Proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (or their
//! lower-case forms) as curl reads them, through hyper-util's
//! `client::proxy::matcher`: `https://` requests are tunnelled with HTTP
//! `CONNECT` (TLS runs end to end inside the tunnel), `http://` ones are sent
//! to the proxy in absolute form. Credentials in the proxy URL
//! (`http://user:pass@proxy:3128`) become `Proxy-Authorization: Basic`.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use http::Uri;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio::net::TcpStream;

use crate::client::boxed::BoxError;

/// The largest CA bundle read (a full platform bundle is about 250 KiB).
const MAX_CA_BUNDLE_BYTES: u64 = 16 << 20;

/// Which certificate authorities the default transport trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    platform_roots: bool,
    webpki_roots: bool,
    ca_bundles: Vec<CaBundle>,
}

/// A PEM bundle of extra certificate authorities.
#[derive(Clone, PartialEq, Eq)]
enum CaBundle {
    File(PathBuf),
    Pem(Vec<u8>),
}

impl fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaBundle::File(path) => f.debug_tuple("File").field(path).finish(),
            CaBundle::Pem(pem) => write!(f, "Pem({} bytes)", pem.len()),
        }
    }
}

impl Default for TlsSettings {
    fn default() -> Self {
        TlsSettings {
            platform_roots: true,
            webpki_roots: true,
            ca_bundles: Vec::new(),
        }
    }
}

impl TlsSettings {
    /// Trust (the default) or not the platform's certificate store.
    pub fn with_platform_roots(mut self, enabled: bool) -> Self {
        self.platform_roots = enabled;
        self
    }

    /// Trust (the default) or not the Mozilla roots compiled into the
    /// program.
    pub fn with_webpki_roots(mut self, enabled: bool) -> Self {
        self.webpki_roots = enabled;
        self
    }

    /// Also trust the certificates of the PEM file at `path` (read when the
    /// config is built).
    pub fn with_ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundles.push(CaBundle::File(path.into()));
        self
    }

    /// Also trust the certificates of a PEM text.
    pub fn with_ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundles.push(CaBundle::Pem(pem.into()));
        self
    }

    /// The rustls configuration: roots from every enabled source.
    pub(crate) fn client_config(&self) -> Result<rustls::ClientConfig, NetworkError> {
        let mut roots = rustls::RootCertStore::empty();
        if self.webpki_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        if self.platform_roots {
            let (added, ignored) =
                roots.add_parsable_certificates(platform_roots().iter().cloned());
            tracing::debug!(added, ignored, "platform root certificates");
        }
        for bundle in &self.ca_bundles {
            let (what, pem) = match bundle {
                CaBundle::File(path) => {
                    (format!("CA bundle {}", path.display()), read_bundle(path)?)
                }
                CaBundle::Pem(pem) => ("CA bundle (PEM text)".to_owned(), pem.clone()),
            };
            let mut count = 0;
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert =
                    cert.map_err(|e| NetworkError::new(format!("{what}: invalid PEM: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| NetworkError::new(format!("{what}: invalid certificate: {e}")))?;
                count += 1;
            }
            if count == 0 {
                return Err(NetworkError::new(format!(
                    "{what}: no PEM certificate in it"
                )));
            }
        }
        if roots.is_empty() {
            return Err(NetworkError::new(
                "no trusted certificate authority: the platform store is empty or turned off, \
                 the Mozilla roots are turned off, and no CA bundle was given",
            ));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| NetworkError::new(format!("TLS setup: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth())
    }
}

/// The platform's roots, read once per process (errors are traced and the
/// certificates that could be read are kept).
fn platform_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let result = rustls_native_certs::load_native_certs();
        for error in &result.errors {
            tracing::debug!(%error, "could not read some platform root certificates");
        }
        result.certs
    })
}

fn read_bundle(path: &std::path::Path) -> Result<Vec<u8>, NetworkError> {
    use std::io::Read;
    let what = || format!("CA bundle {}", path.display());
    let file = std::fs::File::open(path)
        .map_err(|e| NetworkError::new(format!("{}: cannot open: {e}", what())))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_BUNDLE_BYTES + 1)
        .read_to_end(&mut pem)
        .map_err(|e| NetworkError::new(format!("{}: cannot read: {e}", what())))?;
    if pem.len() as u64 > MAX_CA_BUNDLE_BYTES {
        return Err(NetworkError::new(format!(
            "{}: larger than {MAX_CA_BUNDLE_BYTES} bytes",
            what()
        )));
    }
    Ok(pem)
}

/// Which proxy, if any, the default transport sends requests through.
/// `Debug` hides the password of a proxy URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    source: ProxySource,
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |url: &Option<String>| url.as_deref().map(redact_userinfo);
        match &self.source {
            ProxySource::Env => f.write_str("ProxyConfig::FromEnv"),
            ProxySource::Disabled => f.write_str("ProxyConfig::Disabled"),
            ProxySource::Explicit {
                http,
                https,
                no_proxy,
            } => f
                .debug_struct("ProxyConfig")
                .field("http", &shown(http))
                .field("https", &shown(https))
                .field("no_proxy", no_proxy)
                .finish(),
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
enum ProxySource {
    /// Read the process environment when the transport is built.
    Env,
    Disabled,
    Explicit {
        http: Option<String>,
        https: Option<String>,
        no_proxy: Option<String>,
    },
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self::from_env()
    }
}

/// The variables read, upper-case form first.
const ENV_HTTP_PROXY: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const ENV_HTTPS_PROXY: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const ENV_ALL_PROXY: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const ENV_NO_PROXY: [&str; 2] = ["NO_PROXY", "no_proxy"];

impl ProxyConfig {
    /// The proxies the environment names (the default).
    pub fn from_env() -> Self {
        ProxyConfig {
            source: ProxySource::Env,
        }
    }

    /// No proxy, whatever the environment says.
    pub fn disabled() -> Self {
        ProxyConfig {
            source: ProxySource::Disabled,
        }
    }

    /// Every request through the proxy at `url` (e.g.
    /// `http://proxy.internal:3128`), except hosts in
    /// [`with_no_proxy`](ProxyConfig::with_no_proxy).
    pub fn all(url: impl Into<String>) -> Self {
        let url = url.into();
        ProxyConfig {
            source: ProxySource::Explicit {
                http: Some(url.clone()),
                https: Some(url),
                no_proxy: None,
            },
        }
    }

    /// Hosts to reach directly, in `NO_PROXY`'s syntax (comma-separated
    /// host names, `.domain` suffixes, IP addresses and CIDR blocks, `*`).
    pub fn with_no_proxy(mut self, list: impl Into<String>) -> Self {
        if let ProxySource::Explicit { no_proxy, .. } = &mut self.source {
            *no_proxy = Some(list.into());
        }
        self
    }

    /// Whether proxies are turned off.
    pub fn is_disabled(&self) -> bool {
        self.source == ProxySource::Disabled
    }

    /// The matcher for this configuration, reading variables with `env`.
    pub(crate) fn matcher_with(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Matcher>, NetworkError> {
        let (http, https, all, no) = match &self.source {
            ProxySource::Disabled => return Ok(None),
            // In a CGI program `HTTP_PROXY` may come from a request's
            // `Proxy:` header ("httpoxy"): hyper-util and Go ignore the
            // environment there, and so do we.
            ProxySource::Env if env("REQUEST_METHOD").is_some() => return Ok(None),
            ProxySource::Env => {
                let first = |names: [&str; 2]| {
                    names
                        .iter()
                        .find_map(|n| env(n).filter(|v| !v.trim().is_empty()))
                };
                (
                    first(ENV_HTTP_PROXY),
                    first(ENV_HTTPS_PROXY),
                    first(ENV_ALL_PROXY),
                    first(ENV_NO_PROXY),
                )
            }
            ProxySource::Explicit {
                http,
                https,
                no_proxy,
            } => (http.clone(), https.clone(), None, no_proxy.clone()),
        };
        if http.is_none() && https.is_none() && all.is_none() {
            return Ok(None);
        }
        for (name, url) in [
            ("HTTP_PROXY", &http),
            ("HTTPS_PROXY", &https),
            ("ALL_PROXY", &all),
        ] {
            if let Some(url) = url {
                check_proxy_url(name, url)?;
            }
        }
        let mut builder = Matcher::builder();
        if let Some(v) = http {
            builder = builder.http(v);
        }
        if let Some(v) = https {
            builder = builder.https(v);
        }
        if let Some(v) = all {
            builder = builder.all(v);
        }
        if let Some(v) = no {
            builder = builder.no(v);
        }
        Ok(Some(builder.build()))
    }
}

/// A proxy URL must be `http://host[:port]` (or a bare `host:port`, read as
/// `http://`); anything else would be silently ignored by the matcher.
fn check_proxy_url(name: &str, url: &str) -> Result<(), NetworkError> {
    let shown = redact_userinfo(url);
    let full = if url.contains("://") {
        url.to_owned()
    } else {
        format!("http://{url}")
    };
    let uri: Uri = full
        .parse()
        .map_err(|_| NetworkError::new(format!("{name} `{shown}` is not a URL")))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some(other) => {
            return Err(NetworkError::new(format!(
                "{name} `{shown}`: proxy scheme `{other}` is not supported (only http://)"
            )))
        }
        None => return Err(NetworkError::new(format!("{name} `{shown}` has no scheme"))),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(NetworkError::new(format!("{name} `{shown}` has no host")));
    }
    Ok(())
}

/// `url` without the password of its user info, for messages.
fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let prefix = if scheme.is_empty() {
                String::new()
            } else {
                format!("{scheme}://")
            };
            format!("{prefix}***@{}", &rest[at + 1..])
        }
        None => url.chars().take(200).collect(),
    }
}

/// The TLS or proxy settings cannot be used.
#[derive(Debug)]
pub struct NetworkError {
    message: String,
}

impl NetworkError {
    fn new(message: impl Into<String>) -> Self {
        NetworkError {
            message: message.into(),
        }
    }
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for NetworkError {}

/// Connects directly, or through the proxy the matcher picks.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    http: HttpConnector,
    matcher: Option<Arc<Matcher>>,
}

impl ProxyConnector {
    pub(crate) fn new(http: HttpConnector, matcher: Option<Arc<Matcher>>) -> Self {
        ProxyConnector { http, matcher }
    }
}

impl tower_service::Service<Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let intercept = self.matcher.as_ref().and_then(|m| m.intercept(&dst));
        let Some(intercept) = intercept else {
            let connecting = self.http.call(dst);
            return Box::pin(async move {
                Ok(ProxyStream {
                    inner: connecting.await?,
                    proxied: false,
                })
            });
        };
        let proxy = intercept.uri().clone();
        tracing::debug!(proxy = %redact_userinfo(&proxy.to_string()), "connecting through a proxy");
        if dst.scheme_str() == Some("https") {
            let mut tunnel = Tunnel::new(proxy, self.http.clone());
            if let Some(auth) = intercept.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            Box::pin(async move {
                Ok(ProxyStream {
                    inner: tunnel.call(dst).await?,
                    proxied: false,
                })
            })
        } else {
            let connecting = self.http.call(proxy);
            Box::pin(async move {
                Ok(ProxyStream {
                    inner: connecting.await?,
                    proxied: true,
                })
            })
        }
    }
}

impl fmt::Debug for ProxyConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConnector")
            .field("proxied", &self.matcher.is_some())
            .finish_non_exhaustive()
    }
}

/// A TCP connection to the server, a tunnel to it, or (for `http://`
/// through a proxy) a connection to the proxy, which makes hyper send the
/// request in absolute form.
#[derive(Debug)]
pub(crate) struct ProxyStream {
    inner: TokioIo<TcpStream>,
    proxied: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.inner.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn proxy_for(matcher: &Matcher, url: &str) -> Option<String> {
        matcher
            .intercept(&url.parse().unwrap())
            .map(|i| i.uri().to_string())
    }

    #[test]
    fn proxies_come_from_the_environment_upper_case_first() {
        let m = ProxyConfig::from_env()
            .matcher_with(&env(&[
                ("HTTPS_PROXY", "http://secure.proxy:3128"),
                ("https_proxy", "http://ignored:1"),
                ("http_proxy", "http://plain.proxy:8080"),
                ("no_proxy", "169.254.169.254,.internal,localhost"),
            ]))
            .unwrap()
            .unwrap();
        let https = proxy_for(&m, "https://ivschat.us-west-2.amazonaws.com/");
        assert_eq!(https.as_deref(), Some("http://secure.proxy:3128/"));
        let http = proxy_for(&m, "http://example.com/");
        assert_eq!(http.as_deref(), Some("http://plain.proxy:8080/"));
        assert_eq!(proxy_for(&m, "http://169.254.169.254/latest"), None);
        assert_eq!(proxy_for(&m, "https://api.internal/"), None);
        assert_eq!(proxy_for(&m, "http://localhost:8080/"), None);
    }

    #[test]
    fn no_variables_or_disabled_means_no_proxy() {
        assert!(ProxyConfig::from_env()
            .matcher_with(&env(&[]))
            .unwrap()
            .is_none());
        let set = env(&[("HTTPS_PROXY", "http://p:1")]);
        assert!(ProxyConfig::disabled()
            .matcher_with(&set)
            .unwrap()
            .is_none());
        assert!(ProxyConfig::disabled().is_disabled());
        let cgi = env(&[
            ("HTTP_PROXY", "http://attacker:1"),
            ("REQUEST_METHOD", "GET"),
        ]);
        assert!(ProxyConfig::from_env()
            .matcher_with(&cgi)
            .unwrap()
            .is_none());
    }

    #[test]
    fn bad_proxy_urls_are_named_without_their_password() {
        let err = ProxyConfig::from_env()
            .matcher_with(&env(&[("HTTPS_PROXY", "socks5://user:hunter2@p:1080")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "HTTPS_PROXY `socks5://***@p:1080`: proxy scheme `socks5` is not supported (only http://)"
        );
        let m = ProxyConfig::all("http://user:pw@proxy:3128")
            .with_no_proxy("10.0.0.0/8")
            .matcher_with(&env(&[]))
            .unwrap()
            .unwrap();
        let config = ProxyConfig::all("http://user:pw@proxy:3128");
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("pw") && shown.contains("***@proxy:3128"),
            "{shown}"
        );
        let intercept = m
            .intercept(&"https://example.com".parse().unwrap())
            .unwrap();
        assert!(intercept.basic_auth().is_some());
        assert_eq!(proxy_for(&m, "https://10.1.2.3/"), None);
    }

    #[test]
    fn bundles_must_hold_certificates() {
        let none = TlsSettings::default()
            .with_platform_roots(false)
            .with_webpki_roots(false);
        let err = none.client_config().unwrap_err().to_string();
        assert!(err.starts_with("no trusted certificate authority"), "{err}");
        let err = none
            .clone()
            .with_ca_bundle_pem("not a certificate")
            .client_config()
            .unwrap_err()
            .to_string();
        assert_eq!(err, "CA bundle (PEM text): no PEM certificate in it");
        let err = none
            .with_ca_bundle("/nonexistent/awsrt/ca.pem")
            .client_config()
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("CA bundle /nonexistent/awsrt/ca.pem: cannot open"),
            "{err}"
        );
        assert!(TlsSettings::default()
            .with_platform_roots(false)
            .client_config()
            .is_ok());
    }
}
