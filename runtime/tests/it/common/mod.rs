//! What several of the runtime's integration tests share.

use awsrt::client::{
    BoxError, ErrorMetadata, HttpRequest, HttpResponse, OperationMeta, Runtime, SdkError,
    ServiceMeta,
};

/// A service to run the runtime against: ivschat's metadata, endpoint rules
/// and partitions, as vendored in `model/`.
pub static IVSCHAT: ServiceMeta = ServiceMeta {
    sdk_id: "ivschat",
    signing_name: "ivschat",
    api_version: "2020-07-14",
    endpoint_rule_set: include_str!(
        "../../../../model/data/ivschat/2020-07-14/endpoint-rule-set-1.json"
    ),
    partitions: include_str!("../../../../model/data/partitions.json"),
    region_matcher: regex_lite,
};

/// The partitions' region regexes matched by the engine the official SDK
/// uses (regex-lite), where a generated crate runs the DFAs the generator
/// compiled.
pub fn regex_lite(regex: &str, region: &str) -> Option<bool> {
    Some(regex_lite::Regex::new(regex).ok()?.is_match(region))
}

/// Operation `name` as generated code describes one with no modelled
/// errors, checksum or compression: what most tests send. Tests that need
/// more set it over this one (`OperationMeta { errors: &[..], ..op("X") }`).
pub const fn op(name: &'static str) -> OperationMeta {
    OperationMeta {
        name,
        retryable_errors: &[],
        throttling_errors: &[],
        errors: &[],
        checksum_required: false,
        request_compression: false,
    }
}

/// Sends `request` for `op` through `rt` and parses the outcome, as a
/// generated operation does ([`Runtime::dispatch`], then `Reply::parse`).
pub async fn call<O, E, PE>(
    rt: &Runtime,
    request: HttpRequest,
    op: &OperationMeta,
    parse_ok: impl FnOnce(&HttpResponse) -> Result<O, PE>,
    parse_err: impl FnOnce(&HttpResponse, ErrorMetadata) -> E,
) -> Result<O, SdkError<E>>
where
    PE: Into<BoxError>,
{
    rt.dispatch(request, op).await?.parse(parse_ok, parse_err)
}

/// [`call`] for an operation whose output body is read as a stream
/// ([`Runtime::dispatch_streaming`], then `Reply::parse`), as a generated
/// event-stream operation does.
#[cfg(feature = "event-stream")]
pub async fn call_streaming<O, E, PE>(
    rt: &Runtime,
    request: HttpRequest,
    op: &OperationMeta,
    parse_ok: impl FnOnce(&HttpResponse, Box<dyn awsrt::client::BodyStream>) -> Result<O, PE>,
    parse_err: impl FnOnce(&HttpResponse, ErrorMetadata) -> E,
) -> Result<O, SdkError<E>>
where
    PE: Into<BoxError>,
{
    rt.dispatch_streaming(request, op)
        .await?
        .parse(parse_ok, parse_err)
}
