//! What the runtime does to a serialized body before signing: gzip it when
//! the operation allows compression and the config agrees
//! (`@requestCompression`), add `Content-MD5` when the model requires a
//! checksum (`@httpChecksumRequired`), and set `Content-Length`. An
//! event-stream body (feature `event-stream`) is left as it is: it is
//! streamed, without a length.
//!
//! Compression and MD5 need the `gzip` and `md5` features; a generated crate
//! turns them on when its model uses them, so a client never meets an
//! operation its runtime cannot serve. If one is off all the same, the call
//! fails before sending and says which feature is missing.

use crate::client::config::Config;
use crate::client::http::{HttpRequest, Method};
use crate::client::runtime::OperationMeta;
use crate::client::transport::BoxError;

/// Compress, checksum and measure `request`'s body for `op`.
pub(crate) fn prepare(
    request: &mut HttpRequest,
    op: &OperationMeta,
    config: &Config,
) -> Result<(), BoxError> {
    #[cfg(feature = "event-stream")]
    if request.has_event_stream() {
        // Streamed: no length (chunked on HTTP/1.1), nothing to compress or
        // checksum up front.
        if op.checksum_required {
            return Err(
                "this operation requires a Content-MD5 header, which cannot be computed \
                 for an event-stream body"
                    .into(),
            );
        }
        return Ok(());
    }
    let compression = config.request_compression();
    if op.request_compression
        && compression.enabled
        && !request.body().is_empty()
        && request.body().len() >= compression.min_size_bytes as usize
    {
        let compressed = gzip(request.body())?;
        let encoding = match request.header("content-encoding") {
            Some(existing) => format!("{existing}, gzip"),
            None => "gzip".to_owned(),
        };
        request.replace_body(compressed);
        request.set_header("content-encoding", encoding);
    }
    if op.checksum_required && request.header("content-md5").is_none() {
        let sum = md5_base64(request.body())?;
        request.set_header("content-md5", sum);
    }
    let sends_body = matches!(request.method(), Method::Post | Method::Put | Method::Patch);
    if sends_body || !request.body().is_empty() {
        let len = request.body().len().to_string();
        request.set_header("content-length", len);
    }
    Ok(())
}

#[cfg(feature = "gzip")]
fn gzip(body: &[u8]) -> Result<Vec<u8>, BoxError> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body)?;
    Ok(encoder.finish()?)
}

#[cfg(not(feature = "gzip"))]
fn gzip(_body: &[u8]) -> Result<Vec<u8>, BoxError> {
    Err(
        "this operation compresses its requests, but awsrt was built without its `gzip` feature"
            .into(),
    )
}

#[cfg(feature = "md5")]
fn md5_base64(body: &[u8]) -> Result<String, BoxError> {
    use md5::Digest;
    Ok(crate::json::base64_encode(&md5::Md5::digest(body)))
}

#[cfg(not(feature = "md5"))]
fn md5_base64(_body: &[u8]) -> Result<String, BoxError> {
    Err("this operation requires a Content-MD5 header, but awsrt was built without its `md5` feature".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Credentials, TestTransport};

    fn config(min: u32) -> Config {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::from_keys("AKID", "SECRET", None))
            .transport(TestTransport::new())
            .request_min_compression_size_bytes(min)
            .build()
            .expect("config")
    }

    fn op(checksum_required: bool, request_compression: bool) -> OperationMeta {
        OperationMeta {
            name: "Op",
            retryable_errors: &[],
            errors: &[],
            checksum_required,
            request_compression,
        }
    }

    #[test]
    fn content_length_for_bodies_and_methods_that_carry_one() {
        let mut post = HttpRequest::new(Method::Post, "/");
        prepare(&mut post, &op(false, false), &config(10240)).expect("prepare");
        assert_eq!(post.header("content-length"), Some("0"));
        let mut get = HttpRequest::new(Method::Get, "/");
        prepare(&mut get, &op(false, false), &config(10240)).expect("prepare");
        assert_eq!(get.header("content-length"), None);
    }

    #[cfg(feature = "md5")]
    #[test]
    fn content_md5_is_the_base64_md5_of_the_body() {
        let mut r = HttpRequest::new(Method::Post, "/");
        r.set_body(
            r#"{"foo":"base64 encoded md5 checksum"}"#,
            "application/json",
        );
        prepare(&mut r, &op(true, false), &config(10240)).expect("prepare");
        assert_eq!(r.header("content-md5"), Some("iB0/3YSo7maijL0IGOgA9g=="));
    }

    #[cfg(feature = "gzip")]
    #[test]
    fn bodies_at_least_the_minimum_are_gzipped() {
        use std::io::Read;
        let body = "x".repeat(100);
        let mut small = HttpRequest::new(Method::Post, "/");
        small.set_body(body.clone(), "text/plain");
        prepare(&mut small, &op(false, true), &config(101)).expect("prepare");
        assert_eq!(small.header("content-encoding"), None);

        let mut big = HttpRequest::new(Method::Post, "/");
        big.set_body(body.clone(), "text/plain");
        big.set_header("content-encoding", "custom");
        prepare(&mut big, &op(false, true), &config(100)).expect("prepare");
        assert_eq!(big.header("content-encoding"), Some("custom, gzip"));
        let mut text = String::new();
        flate2::read::GzDecoder::new(&big.body()[..])
            .read_to_string(&mut text)
            .expect("gunzip");
        assert_eq!(text, body);
        assert_eq!(
            big.header("content-length"),
            Some(big.body().len().to_string().as_str())
        );
    }
}
