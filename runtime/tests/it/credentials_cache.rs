//! The identity cache every config puts in front of its credentials
//! provider: one fetch for many calls, one refresh shortly before expiry, a
//! failed refresh that keeps still-valid credentials, concurrent first calls
//! sharing one fetch. A settable clock drives expiry; a scripted provider
//! counts its calls.

use crate::common;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use awsrt::client::{
    BoxFuture, Config, Credentials, CredentialsCache, CredentialsError, ErrorMetadata, HttpRequest,
    HttpResponse, Method, OperationMeta, ProvideCredentials, Runtime, TestTransport, TimeSource,
    UnhandledError,
};
use common::IVSCHAT;

/// A clock the test moves.
#[derive(Debug, Clone)]
struct Clock(Arc<Mutex<SystemTime>>);

impl Clock {
    fn at(secs: u64) -> Self {
        Clock(Arc::new(Mutex::new(UNIX_EPOCH + Duration::from_secs(secs))))
    }
    fn set(&self, secs: u64) {
        *self.0.lock().unwrap() = UNIX_EPOCH + Duration::from_secs(secs);
    }
}

impl TimeSource for Clock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// Answers from a script (credentials valid until a given second, or an
/// error), after an optional delay; counts calls.
#[derive(Debug, Default)]
struct Scripted {
    answers: Mutex<VecDeque<Option<(&'static str, u64)>>>,
    calls: AtomicUsize,
    delay: Duration,
}

impl Scripted {
    fn new(answers: &[Option<(&'static str, u64)>]) -> Arc<Self> {
        Arc::new(Scripted {
            answers: Mutex::new(answers.iter().copied().collect()),
            ..Default::default()
        })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Scripted {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            match self.answers.lock().unwrap().pop_front().flatten() {
                Some((key, until)) => {
                    Ok(Credentials::from_keys(key, "secret", Some("token".into()))
                        .with_expiry(UNIX_EPOCH + Duration::from_secs(until)))
                }
                None => Err(CredentialsError::new("the provider failed")),
            }
        })
    }
}

async fn key(cache: &CredentialsCache) -> Result<String, String> {
    cache
        .get()
        .await
        .map(|c| c.access_key_id().to_owned())
        .map_err(|e| e.to_string())
}

static OP: OperationMeta = common::op("ListRooms");

#[tokio::test]
async fn one_fetch_for_many_calls_through_the_runtime() {
    let clock = Clock::at(1_000_000);
    let provider = Scripted::new(&[Some(("AKID1", 1_000_000 + 3600))]);
    let transport = TestTransport::with_handler(|_| Ok(HttpResponse::json(200, "{}")));
    let config = Config::builder()
        .region("us-west-2")
        .shared_credentials_provider(provider.clone())
        .transport(transport.clone())
        .time_source(clock.clone())
        .build()
        .unwrap();
    let rt = Runtime::new(config, &IVSCHAT);
    for _ in 0..25 {
        common::call(
            &rt,
            HttpRequest::new(Method::Post, "/ListRooms"),
            &OP,
            |_: &HttpResponse| Ok::<_, std::convert::Infallible>(()),
            |resp: &HttpResponse, meta: ErrorMetadata| UnhandledError::new(resp.status(), meta),
        )
        .await
        .unwrap();
    }
    assert_eq!(transport.request_count(), 25);
    assert_eq!(provider.calls(), 1);
    let auth = transport.requests()[24]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(auth.contains("Credential=AKID1/"), "{auth}");
}

#[tokio::test]
async fn one_refresh_shortly_before_expiry() {
    let clock = Clock::at(0);
    let provider = Scripted::new(&[Some(("AKID1", 3600)), Some(("AKID2", 7200))]);
    let cache = CredentialsCache::new(provider.clone(), Arc::new(clock.clone()));
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    // Reused until 5 minutes before expiry ...
    clock.set(3600 - 301);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    assert_eq!(provider.calls(), 1);
    // ... then refreshed once.
    clock.set(3600 - 300);
    for _ in 0..10 {
        assert_eq!(key(&cache).await.unwrap(), "AKID2");
    }
    assert_eq!(provider.calls(), 2);
    assert_eq!(CredentialsCache::DEFAULT_BUFFER, Duration::from_secs(300));
}

#[tokio::test]
async fn a_failed_refresh_keeps_valid_credentials() {
    let clock = Clock::at(0);
    let provider = Scripted::new(&[Some(("AKID1", 3600)), None, Some(("AKID2", 7200)), None]);
    let cache = CredentialsCache::new(provider.clone(), Arc::new(clock.clone()));
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    // In the refresh window the refresh fails: the old credentials are
    // still valid, so they are served.
    clock.set(3500);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    assert_eq!(provider.calls(), 2);
    // Not asked again at once ...
    clock.set(3505);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    assert_eq!(provider.calls(), 2);
    // ... but after the retry delay, and that refresh succeeds.
    clock.set(3511);
    assert_eq!(key(&cache).await.unwrap(), "AKID2");
    assert_eq!(provider.calls(), 3);
    // Once expired, a failure is the caller's error.
    clock.set(7201);
    assert_eq!(key(&cache).await.unwrap_err(), "the provider failed");
}

#[tokio::test]
async fn concurrent_first_calls_share_one_fetch() {
    let provider = Arc::new(Scripted {
        answers: Mutex::new(
            [Some(("AKID1", 3600)), Some(("AKID2", 3600))]
                .into_iter()
                .collect(),
        ),
        calls: AtomicUsize::new(0),
        delay: Duration::from_millis(50),
    });
    let cache = Arc::new(CredentialsCache::new(
        provider.clone(),
        Arc::new(Clock::at(0)),
    ));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { key(&cache).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "AKID1");
    }
    assert_eq!(provider.calls(), 1);
}

#[tokio::test]
async fn credentials_without_expiry_are_asked_for_again_after_15_minutes() {
    #[derive(Debug, Default)]
    struct NoExpiry(AtomicUsize);
    impl ProvideCredentials for NoExpiry {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { Ok(Credentials::from_keys(format!("AKID{n}"), "s", None)) })
        }
    }
    let clock = Clock::at(0);
    let provider = Arc::new(NoExpiry::default());
    let cache = CredentialsCache::new(provider.clone(), Arc::new(clock.clone()));
    assert_eq!(key(&cache).await.unwrap(), "AKID0");
    clock.set(899);
    assert_eq!(key(&cache).await.unwrap(), "AKID0");
    clock.set(900);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
}

#[test]
fn fixed_credentials_are_not_wrapped_and_providers_are_wrapped_once() {
    let config = Config::builder()
        .region("r")
        .credentials(Credentials::from_keys("AKID", "s", None))
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert!(format!("{:?}", config.credentials_provider()).starts_with("Credentials"));
    let config = Config::builder()
        .region("r")
        .shared_credentials_provider(Scripted::new(&[]))
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert!(format!("{:?}", config.credentials_provider()).starts_with("CredentialsCache"));
    let rebuilt = config.to_builder().build().unwrap();
    let shown = format!("{:?}", rebuilt.credentials_provider());
    assert_eq!(shown.matches("CredentialsCache").count(), 1, "{shown}");
}
