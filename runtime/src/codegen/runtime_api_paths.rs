//! Every path of the generator's runtime registry (codegen/src/emit/runtime_api.rs),
//! used once: awsrt's tests do not compile when one is renamed or removed.
//! Written by `cargo test -p codegen --lib runtime_api` with `UPDATE_RUNTIME_API=1`; do not edit.
#![cfg_attr(rustfmt, rustfmt_skip)]

#[allow(unused_imports)]
use crate::codegen::Runtime as _;
#[allow(unused_imports)]
use crate::codegen::IntoConfig as _;
#[cfg(feature = "aws-config")]
#[allow(unused_imports)]
use crate::codegen::SdkConfig as _;
#[allow(unused_imports)]
use crate::codegen::ServiceMeta as _;
#[allow(unused_imports)]
use crate::codegen::OperationMeta as _;
#[allow(unused_imports)]
use crate::codegen::Customization as _;
#[allow(unused_imports)]
use crate::codegen::CustomizableOperation as _;
#[allow(unused_imports)]
use crate::codegen::CustomizableSend as _;
#[allow(unused_imports)]
use crate::codegen::BoxFuture as _;
#[allow(unused_imports)]
use crate::codegen::ConstructionFailure as _;
#[allow(unused_imports)]
use crate::codegen::BoxError as _;
#[allow(unused_imports)]
use crate::codegen::Paginator as _;
#[allow(unused_imports)]
use crate::codegen::ItemPaginator as _;
#[allow(unused_imports)]
use crate::codegen::PaginationStream as _;
#[allow(unused_imports)]
use crate::codegen::ErrorMetadata as _;
#[allow(unused_imports)]
use crate::codegen::ProvideErrorMetadata as _;
#[allow(unused_imports)]
use crate::codegen::RequestId as _;
#[allow(unused_imports)]
use crate::codegen::UnhandledError as _;
#[allow(unused_imports)]
use crate::codegen::write_error as _;
#[allow(unused_imports)]
use crate::codegen::REDACTED as _;
#[allow(unused_imports)]
use crate::codegen::HttpRequest as _;
#[allow(unused_imports)]
use crate::codegen::HttpResponse as _;
#[allow(unused_imports)]
use crate::codegen::Method as _;
#[allow(unused_imports)]
use crate::codegen::BodyStream as _;
#[allow(unused_imports)]
use crate::codegen::SerializeError as _;
#[allow(unused_imports)]
use crate::codegen::DeserializeError as _;
#[allow(unused_imports)]
use crate::codegen::ValueWriter as _;
#[allow(unused_imports)]
use crate::codegen::DateTime as _;
#[allow(unused_imports)]
use crate::codegen::Format as _;
#[allow(unused_imports)]
use crate::codegen::Path as _;
#[allow(unused_imports)]
use crate::codegen::Violations as _;
#[cfg(feature = "runtime-patterns")]
#[allow(unused_imports)]
use crate::codegen::Pattern as _;
#[allow(unused_imports)]
use crate::codegen::json as _;
#[allow(unused_imports)]
use crate::codegen::encode as _;
#[cfg(feature = "event-stream")]
#[allow(unused_imports)]
use crate::codegen::event_stream as _;
#[cfg(feature = "event-stream")]
#[allow(unused_imports)]
use crate::codegen::event_stream::Message as _;
#[cfg(feature = "event-stream")]
#[allow(unused_imports)]
use crate::codegen::event_stream::HeaderValue as _;
#[cfg(feature = "event-stream")]
#[allow(unused_imports)]
use crate::codegen::event_stream::EventReceiver as _;
#[allow(unused_imports)]
use serde_json::Value as _;
#[allow(unused_imports)]
use crate::client::Config as _;
#[allow(unused_imports)]
use crate::client::ConfigBuilder as _;
#[allow(unused_imports)]
use crate::client::ConfigError as _;
#[allow(unused_imports)]
use crate::client::BehaviorVersion as _;
#[allow(unused_imports)]
use crate::client::Credentials as _;
#[allow(unused_imports)]
use crate::client::CredentialsError as _;
#[allow(unused_imports)]
use crate::client::FixedTime as _;
#[allow(unused_imports)]
use crate::client::HttpRequest as _;
#[allow(unused_imports)]
use crate::client::HttpResponse as _;
#[allow(unused_imports)]
use crate::client::HttpTransport as _;
#[allow(unused_imports)]
use crate::client::HyperTransport as _;
#[allow(unused_imports)]
use crate::client::ProvideCredentials as _;
#[allow(unused_imports)]
use crate::client::Region as _;
#[allow(unused_imports)]
use crate::client::RetryConfig as _;
#[allow(unused_imports)]
use crate::client::SharedCredentialsProvider as _;
#[allow(unused_imports)]
use crate::client::StalledStreamProtection as _;
#[allow(unused_imports)]
use crate::client::StalledStreamProtectionConfig as _;
#[allow(unused_imports)]
use crate::client::TestTransport as _;
#[allow(unused_imports)]
use crate::client::TimeSource as _;
#[allow(unused_imports)]
use crate::client::TransportError as _;
#[allow(unused_imports)]
use crate::client::AppName as _;
#[allow(unused_imports)]
use crate::client::ProxyConfig as _;
#[allow(unused_imports)]
use crate::client::RetryMode as _;
#[allow(unused_imports)]
use crate::client::TlsSettings as _;
#[allow(unused_imports)]
use crate::client::TimeoutConfig as _;
#[allow(unused_imports)]
use crate::client::TimeoutConfigBuilder as _;
#[allow(unused_imports)]
use crate::client::Paginator as _;
#[allow(unused_imports)]
use crate::client::ItemPaginator as _;
#[allow(unused_imports)]
use crate::client::PaginationError as _;
#[allow(unused_imports)]
use crate::client::PaginationStream as _;
#[allow(unused_imports)]
use crate::primitives::Blob as _;
#[allow(unused_imports)]
use crate::primitives::DateTime as _;
#[allow(unused_imports)]
use crate::primitives::Document as _;
#[allow(unused_imports)]
use crate::primitives::UnknownVariantValue as _;
#[allow(unused_imports)]
use crate::primitives::Format as _;
#[cfg(feature = "event-stream")]
#[allow(unused_imports)]
use crate::client::event_stream::EventReceiver as _;
#[cfg(feature = "event-stream")]
#[allow(unused_imports)]
use crate::client::event_stream::EventStreamError as _;
#[cfg(feature = "event-stream")]
#[allow(unused_imports)]
use crate::client::event_stream::EventStreamSender as _;
#[allow(unused_imports)]
use crate::validate::LengthUnit as _;
#[allow(unused_imports)]
use crate::validate::Number as _;
#[allow(unused_imports)]
use crate::validate::Rule as _;
#[allow(unused_imports)]
use crate::validate::ValidationError as _;
#[allow(unused_imports)]
use crate::validate::Violation as _;
#[allow(unused_imports)]
use crate::input::SerializeError as _;
#[allow(unused_imports)]
use crate::input::BuildError as _;
#[allow(unused_imports)]
use crate::json::DeserializeError as _;
#[allow(unused_imports)]
use crate::client::BoxError as _;
#[allow(unused_imports)]
use crate::client::DisplayErrorContext as _;
#[allow(unused_imports)]
use crate::client::ErrorMetadata as _;
#[allow(unused_imports)]
use crate::client::ProvideErrorMetadata as _;
#[allow(unused_imports)]
use crate::client::SdkError as _;
#[allow(unused_imports)]
use crate::client::UnhandledError as _;
#[allow(unused_imports)]
use crate::client::RequestId as _;
