//! What several of the runtime's integration tests share.

use awsrt::client::{OperationMeta, ServiceMeta};

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
};

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
