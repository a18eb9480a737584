//! What `Runtime` sends across retries: waits within botocore 1.44.5's
//! bounds, `x-amz-retry-after`, the retry quota, adaptive mode's rate
//! limiter, clock-skew correction, `amz-sdk-invocation-id` /
//! `amz-sdk-request` and the user agent.
//!
//! Waits are measured on tokio's paused clock (`start_paused`): virtual
//! time that advances only when every task sleeps, so the gaps between
//! requests are exactly the runtime's sleeps, not wall-clock time.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use awsrt::client::{
    AppName, Config, ConfigBuilder, Credentials, FixedTime, HttpRequest, HttpResponse, Method,
    OperationMeta, RetryConfig, Runtime, TestTransport,
};
use common::IVSCHAT;

static OP: OperationMeta = common::op("CreateRoom");

/// 2024-03-05T17:04:09Z, and the same instant as an HTTP date.
const T: u64 = 1_709_658_249;

fn http_date(unix: u64) -> String {
    awsrt::primitives::DateTime::from_secs(unix as i64)
        .fmt(awsrt::primitives::Format::HttpDate)
        .unwrap()
}

fn builder(transport: &TestTransport, retry: RetryConfig) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .retry_config(retry)
        .time_source(FixedTime::from_unix_secs(T))
        .transport(transport.clone())
}

fn request() -> HttpRequest {
    let mut req = HttpRequest::new(Method::Post, "/CreateRoom");
    req.set_body(&b"{}"[..], "application/json");
    req
}

fn error(status: u16, code: &str) -> HttpResponse {
    HttpResponse::json(status, r#"{"message":"no"}"#).with_header("x-amzn-errortype", code)
}

/// A transport answering from `replies` in order (then 200), recording the
/// (paused) tokio time of each request.
fn timed(replies: Vec<HttpResponse>) -> (TestTransport, Arc<Mutex<Vec<tokio::time::Instant>>>) {
    let times = Arc::new(Mutex::new(Vec::new()));
    let seen = times.clone();
    let replies = Mutex::new(replies.into_iter());
    let t = TestTransport::with_handler(move |_req| {
        seen.lock().unwrap().push(tokio::time::Instant::now());
        Ok(replies
            .lock()
            .unwrap()
            .next()
            .unwrap_or_else(|| HttpResponse::json(200, "{}")))
    });
    (t, times)
}

fn gaps(times: &Mutex<Vec<tokio::time::Instant>>) -> Vec<Duration> {
    let times = times.lock().unwrap();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(start_paused = true)]
async fn waits_stay_within_botocores_bounds() {
    // Transient failures: base 50 ms, so at most 50 ms then 100 ms.
    // Throttling: base 1 s, so at most 1 s then 2 s.
    let mut waited = Duration::ZERO;
    for (reply, bounds) in [
        (error(503, "InternalServerException"), [0.05, 0.1]),
        (error(429, "ThrottlingException"), [1.0, 2.0]),
        (error(400, "ThrottlingException"), [1.0, 2.0]),
    ] {
        for _ in 0..10 {
            let (t, times) = timed(vec![reply.clone(), reply.clone()]);
            let rt = Runtime::new(
                builder(&t, RetryConfig::standard()).build().unwrap(),
                &IVSCHAT,
            );
            let response = rt.send(request(), &OP).await.unwrap();
            assert_eq!(response.status(), 200);
            let gaps = gaps(&times);
            assert_eq!(gaps.len(), 2);
            for (gap, bound) in gaps.iter().zip(bounds) {
                assert!(
                    gap.as_secs_f64() <= bound + 1e-6,
                    "{gap:?} > {bound} s after {}",
                    reply.status()
                );
                waited += *gap;
            }
        }
    }
    // Jittered, not zero: 60 waits drawn from [0, bound] sum to more than
    // nothing (with overwhelming probability).
    assert!(waited > Duration::from_millis(100), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_modeled_throttling_error_waits_as_throttling() {
    // botocore 1.44.5's ThrottlingErrorDetector: an error the model marks
    // `@retryable(throttling: true)` is throttling (base 1 s), one marked
    // `@retryable` alone is transient (base 50 ms).
    static MODELED: OperationMeta = OperationMeta {
        retryable_errors: &["SlowDownException", "BusyException"],
        throttling_errors: &["SlowDownException"],
        errors: &["SlowDownException", "BusyException"],
        ..common::op("CreateRoom")
    };
    let mut longest = [Duration::ZERO; 2];
    for (i, code) in ["BusyException", "SlowDownException"]
        .into_iter()
        .enumerate()
    {
        let bounds = if i == 0 { [0.05, 0.1] } else { [1.0, 2.0] };
        for _ in 0..10 {
            let reply = error(400, code);
            let (t, times) = timed(vec![reply.clone(), reply]);
            let rt = Runtime::new(
                builder(&t, RetryConfig::standard()).build().unwrap(),
                &IVSCHAT,
            );
            assert_eq!(rt.send(request(), &MODELED).await.unwrap().status(), 200);
            for (gap, bound) in gaps(&times).into_iter().zip(bounds) {
                assert!(
                    gap.as_secs_f64() <= bound + 1e-6,
                    "{code}: {gap:?} > {bound} s"
                );
                longest[i] = longest[i].max(gap);
            }
        }
    }
    // 20 throttling waits drawn from [0, 1 s] and [0, 2 s] all within the
    // transient bounds would have a probability of about 0.05^20.
    assert!(longest[1] > Duration::from_millis(100), "{longest:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_within_its_bounds() {
    let slow =
        |ms: &str| error(503, "InternalServerException").with_header("x-amz-retry-after", ms);
    // 3 s: above the backoff (<= 50 ms) and below backoff + 5 s: wait 3 s.
    let (t, times) = timed(vec![slow("3000")]);
    let rt = Runtime::new(
        builder(&t, RetryConfig::standard()).build().unwrap(),
        &IVSCHAT,
    );
    rt.send(request(), &OP).await.unwrap();
    let gap = gaps(&times)[0];
    assert_eq!(gap, Duration::from_secs(3));
    // 60 s: capped at backoff + 5 s.
    let (t, times) = timed(vec![slow("60000")]);
    let rt = Runtime::new(
        builder(&t, RetryConfig::standard()).build().unwrap(),
        &IVSCHAT,
    );
    rt.send(request(), &OP).await.unwrap();
    let gap = gaps(&times)[0].as_secs_f64();
    assert!((5.0..=5.05 + 1e-6).contains(&gap), "{gap}");
    // Garbage is ignored: the plain backoff.
    let (t, times) = timed(vec![slow("soon")]);
    let rt = Runtime::new(
        builder(&t, RetryConfig::standard()).build().unwrap(),
        &IVSCHAT,
    );
    rt.send(request(), &OP).await.unwrap();
    assert!(gaps(&times)[0] <= Duration::from_millis(50));
}

#[tokio::test]
async fn the_quota_stops_retries_and_successes_refill_it() {
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let state = healthy.clone();
    let t = TestTransport::with_handler(move |_| {
        Ok(if state.load(std::sync::atomic::Ordering::SeqCst) {
            HttpResponse::json(200, "{}")
        } else {
            error(503, "InternalServerException")
        })
    });
    let rt = Runtime::new(
        builder(
            &t,
            RetryConfig::standard().with_initial_backoff(Duration::ZERO),
        )
        .build()
        .unwrap(),
        &IVSCHAT,
    );
    let attempts = |n: usize| {
        let rt = rt.clone();
        let t = t.clone();
        async move {
            let mut attempts = Vec::new();
            for _ in 0..n {
                let before = t.request_count();
                rt.send(request(), &OP).await.unwrap();
                attempts.push(t.request_count() - before);
            }
            attempts
        }
    };
    // 500 tokens, 14 a retry: 17 calls retry twice (476), the 18th once
    // (14 more, 10 left), then no call can retry.
    let mut expected = vec![3; 17];
    expected.extend([2, 1, 1]);
    assert_eq!(attempts(20).await, expected);
    // Four first-try successes give back a token each: 14, one retry.
    healthy.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(attempts(4).await, [1; 4]);
    healthy.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(attempts(2).await, [2, 1]);
}

#[tokio::test(start_paused = true)]
async fn adaptive_mode_slows_down_after_throttling() {
    let no_backoff = |r: RetryConfig| r.with_initial_backoff(Duration::ZERO);
    let throttled = || vec![error(429, "ThrottlingException"); 2];
    // Standard mode, no backoff: retries go out at once.
    let (t, times) = timed(throttled());
    let rt = Runtime::new(
        builder(&t, no_backoff(RetryConfig::standard()))
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    rt.send(request(), &OP).await.unwrap();
    assert_eq!(gaps(&times), [Duration::ZERO; 2]);
    // Adaptive: the first throttle turns the limiter on with the minimum
    // fill rate (0.5 tokens/s, as nothing was measured yet): the next
    // attempt waits 2 s for a token.
    let (t, times) = timed(throttled());
    let rt = Runtime::new(
        builder(&t, no_backoff(RetryConfig::adaptive()))
            .build()
            .unwrap(),
        &IVSCHAT,
    );
    rt.send(request(), &OP).await.unwrap();
    let gaps = gaps(&times);
    assert_eq!(gaps[0], Duration::from_secs(2), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_secs(1), "{gaps:?}");
}

#[tokio::test]
async fn invocation_headers_are_stable_across_retries() {
    let t = TestTransport::new();
    // The service's clock is 10 minutes ahead: the retry's ttl says so.
    let date = http_date(T + 600);
    t.push_response(error(503, "InternalServerException").with_header("date", &date))
        .push_response(error(500, "InternalServerException"))
        .push_response(HttpResponse::json(200, "{}"))
        .push_response(HttpResponse::json(200, "{}"));
    let config = builder(
        &t,
        RetryConfig::standard().with_initial_backoff(Duration::ZERO),
    )
    .app_name(AppName::new("shop-frontend").unwrap())
    .build()
    .unwrap();
    let rt = Runtime::new(config, &IVSCHAT);
    rt.send(request(), &OP).await.unwrap();
    rt.send(request(), &OP).await.unwrap();
    let sent = t.requests();
    assert_eq!(sent.len(), 4);
    let id = sent[0].header("amz-sdk-invocation-id").unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4", "a UUID v4: {id}");
    for r in &sent[..3] {
        assert_eq!(r.header("amz-sdk-invocation-id"), Some(id.as_str()));
    }
    assert_ne!(sent[3].header("amz-sdk-invocation-id"), Some(id.as_str()));
    // ttl = our clock + the learned skew + the read timeout (60 s).
    let ttl = "20240305T171509Z";
    assert_eq!(
        sent.iter()
            .map(|r| r.header("amz-sdk-request").unwrap())
            .collect::<Vec<_>>(),
        [
            "attempt=1; max=3".to_owned(),
            format!("ttl={ttl}; attempt=2; max=3"),
            format!("ttl={ttl}; attempt=3; max=3"),
            "attempt=1; max=3".to_owned(),
        ]
    );
    let ua = sent[0].header("user-agent").unwrap();
    assert_eq!(sent[0].header("x-amz-user-agent"), Some(ua));
    assert!(
        ua.starts_with("awsrt/0.1.0 ua/2.1 api/ivschat/2020-07-14 os/"),
        "{ua}"
    );
    assert!(
        ua.contains(" lang/rust/") && ua.ends_with(" app/shop-frontend"),
        "{ua}"
    );
    // None of them is signed (botocore signs none of them either).
    let auth = sent[0].header("authorization").unwrap();
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-amz-date, "),
        "{auth}"
    );
}

fn amz_date(unix: u64) -> String {
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(unix);
    let d = awsrt::primitives::DateTime::from_secs(
        t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64,
    )
    .fmt(awsrt::primitives::Format::DateTime)
    .unwrap();
    d.replace(['-', ':'], "")
}

#[tokio::test]
async fn clock_skew_is_corrected_once_and_learned() {
    let t = TestTransport::new();
    let ahead = http_date(T + 900);
    let skewed = || error(400, "InvalidSignatureException").with_header("date", &ahead);
    t.push_response(skewed())
        .push_response(HttpResponse::json(200, "{}").with_header("date", &ahead))
        .push_response(HttpResponse::json(200, "{}"));
    let rt = Runtime::new(
        builder(
            &t,
            RetryConfig::standard().with_initial_backoff(Duration::ZERO),
        )
        .build()
        .unwrap(),
        &IVSCHAT,
    );
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 200);
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 200);
    let dates: Vec<String> = t
        .requests()
        .iter()
        .map(|r| r.header("x-amz-date").unwrap().to_owned())
        .collect();
    // Signed at our time, then at the service's, and the next call too.
    assert_eq!(dates, [amz_date(T), amz_date(T + 900), amz_date(T + 900)]);
    assert_eq!(amz_date(T), "20240305T170409Z");

    // Retried once only: a second rejection is returned.
    let t = TestTransport::new();
    t.push_response(skewed())
        .push_response(skewed())
        .push_response(HttpResponse::json(200, "{}"));
    let rt = Runtime::new(
        builder(
            &t,
            RetryConfig::standard().with_initial_backoff(Duration::ZERO),
        )
        .build()
        .unwrap(),
        &IVSCHAT,
    );
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 400);
    assert_eq!(t.request_count(), 2);

    // A rejected signature with a clock within 4 minutes is not a skew error.
    let t = TestTransport::new();
    t.push_response(
        error(400, "InvalidSignatureException").with_header("date", &http_date(T + 60)),
    )
    .push_response(HttpResponse::json(200, "{}"));
    let rt = Runtime::new(
        builder(&t, RetryConfig::standard()).build().unwrap(),
        &IVSCHAT,
    );
    assert_eq!(rt.send(request(), &OP).await.unwrap().status(), 400);
    assert_eq!(t.request_count(), 1);
}
