//! The runtime contract: every `awsrt` item the generated code names, and the
//! one place that writes `awsrt::` (smithy-rs's `RuntimeType`).
//!
//! Two kinds of entries:
//! - the generated crate's own code (serializers, parsers, validators, the
//!   client's calls) names items of `awsrt::codegen`, the runtime's surface
//!   for generated code, which may change with the generator;
//! - the types the generated crate re-exports for its users
//!   (`config::Region`, `primitives::DateTime`, `error::SdkError` ...) keep
//!   their user paths (`awsrt::client::Region`), so that their
//!   documentation and identity are the ones users see in `awsrt`.
//!
//! An emitter interpolates an entry (`quote!(#RUNTIME)` writes its full path)
//! or names it by its last segment after importing it with [`imports`],
//! which writes a `use` only for the entries a file's code uses.
//! `runtime/src/codegen/runtime_api_paths.rs` uses every entry; a test here
//! keeps it in step with [`ALL`] and compiling awsrt's tests checks that
//! every path exists.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{quote, ToTokens, TokenStreamExt};

/// One item of the runtime that generated code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeItem {
    /// The full path (`awsrt::codegen::Runtime`).
    pub path: &'static str,
    /// The awsrt feature the item needs, if any.
    pub feature: Option<&'static str>,
}

impl RuntimeItem {
    /// The name code uses after importing the item (`Runtime`).
    pub fn name(&self) -> &'static str {
        self.path.rsplit("::").next().unwrap_or(self.path)
    }
}

impl ToTokens for RuntimeItem {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let mut segments = self.path.split("::");
        if let Some(first) = segments.next() {
            tokens.append(Ident::new(first, Span::call_site()));
        }
        for segment in segments {
            let segment = Ident::new(segment, Span::call_site());
            tokens.extend(quote!(::#segment));
        }
    }
}

/// Declare the registry's entries as constants, and [`ALL`] listing them.
macro_rules! registry {
    ($($(#[doc = $doc:literal])+ $name:ident = $path:literal $(if $feature:literal)?;)+) => {
        $(
            $(#[doc = $doc])+
            pub const $name: RuntimeItem = RuntimeItem {
                path: $path,
                feature: registry!(@feature $($feature)?),
            };
        )+
        /// Every entry of the registry, in declaration order.
        pub const ALL: &[RuntimeItem] = &[$($name),+];
    };
    (@feature $feature:literal) => { Some($feature) };
    (@feature) => { None };
}

registry! {
    // The surface for generated code.

    /// The request pipeline behind a client.
    RUNTIME = "awsrt::codegen::Runtime";
    /// A `Config` or the result of building one (`Client::from_conf`).
    INTO_CONFIG = "awsrt::codegen::IntoConfig";
    /// aws-types' `SdkConfig` (`Client::new`).
    SDK_CONFIG = "awsrt::codegen::SdkConfig" if "aws-config";
    /// What the runtime needs to know about a service.
    SERVICE_META = "awsrt::codegen::ServiceMeta";
    /// What the runtime needs to know about an operation.
    OPERATION_META = "awsrt::codegen::OperationMeta";
    /// A call's `customize()` settings.
    CUSTOMIZATION = "awsrt::codegen::Customization";
    /// What `customize()` returns.
    CUSTOMIZABLE_OPERATION = "awsrt::codegen::CustomizableOperation";
    /// A fluent builder that `customize()` can send.
    CUSTOMIZABLE_SEND = "awsrt::codegen::CustomizableSend";
    /// A boxed `Send` future.
    BOX_FUTURE = "awsrt::codegen::BoxFuture";
    /// A request that could not be built (an operation's `prepare`).
    CONSTRUCTION_FAILURE = "awsrt::codegen::ConstructionFailure";
    /// Any error, boxed.
    BOX_ERROR = "awsrt::codegen::BoxError";
    /// The pages of a paginated operation.
    PAGINATOR = "awsrt::codegen::Paginator";
    /// The items of a paginated operation.
    ITEM_PAGINATOR = "awsrt::codegen::ItemPaginator";
    /// aws-sdk's page stream (`into_paginator().send()`).
    PAGINATION_STREAM = "awsrt::codegen::PaginationStream";
    /// An error response's code, message and request id.
    ERROR_METADATA = "awsrt::codegen::ErrorMetadata";
    /// `meta()` of errors.
    PROVIDE_ERROR_METADATA = "awsrt::codegen::ProvideErrorMetadata";
    /// `request_id()` of errors.
    REQUEST_ID = "awsrt::codegen::RequestId";
    /// An error response no variant models.
    UNHANDLED_ERROR = "awsrt::codegen::UnhandledError";
    /// A modeled error's `Display`: its name and message.
    WRITE_ERROR = "awsrt::codegen::write_error";
    /// What `Debug` and `Display` show instead of a sensitive value.
    REDACTED = "awsrt::codegen::REDACTED";
    /// A request being built by a serializer.
    HTTP_REQUEST = "awsrt::codegen::HttpRequest";
    /// A response read by a parser.
    HTTP_RESPONSE = "awsrt::codegen::HttpResponse";
    /// A request's method.
    METHOD = "awsrt::codegen::Method";
    /// A response body read as a stream (event-stream outputs).
    BODY_STREAM = "awsrt::codegen::BodyStream";
    /// An input that cannot be serialized.
    SERIALIZE_ERROR = "awsrt::codegen::SerializeError";
    /// A body, header or event that cannot be parsed.
    DESERIALIZE_ERROR = "awsrt::codegen::DeserializeError";
    /// Writes one JSON value.
    VALUE_WRITER = "awsrt::codegen::ValueWriter";
    /// A timestamp.
    DATE_TIME = "awsrt::codegen::DateTime";
    /// A timestamp's wire format.
    FORMAT = "awsrt::codegen::Format";
    /// The path of a value being validated.
    PATH = "awsrt::codegen::Path";
    /// The violations found so far.
    VIOLATIONS = "awsrt::codegen::Violations";
    /// A pattern matched at run time.
    PATTERN = "awsrt::codegen::Pattern" if "runtime-patterns";
    /// JSON bodies, headers and labels (`json::read_string` ...).
    JSON = "awsrt::codegen::json";
    /// Percent-encoding of labels (`encode::label`).
    ENCODE = "awsrt::codegen::encode";
    /// Event-stream messages (`event_stream::header`).
    EVENT_STREAM = "awsrt::codegen::event_stream" if "event-stream";
    /// One event-stream message.
    MESSAGE = "awsrt::codegen::event_stream::Message" if "event-stream";
    /// The value of an event-stream header.
    HEADER_VALUE = "awsrt::codegen::event_stream::HeaderValue" if "event-stream";
    /// The events of an output's event stream.
    EVENT_RECEIVER = "awsrt::codegen::event_stream::EventReceiver" if "event-stream";
    /// A JSON value (the generated crate depends on serde_json).
    JSON_VALUE = "serde_json::Value";

    // The user API the generated crate re-exports.

    /// `config::Config`.
    USER_CONFIG = "awsrt::client::Config";
    /// `config::ConfigBuilder` (and `config::Builder`).
    USER_CONFIG_BUILDER = "awsrt::client::ConfigBuilder";
    /// `config::ConfigError`.
    USER_CONFIG_ERROR = "awsrt::client::ConfigError";
    /// `config::BehaviorVersion`.
    USER_BEHAVIOR_VERSION = "awsrt::client::BehaviorVersion";
    /// `config::Credentials`.
    USER_CREDENTIALS = "awsrt::client::Credentials";
    /// `config::CredentialsError`.
    USER_CREDENTIALS_ERROR = "awsrt::client::CredentialsError";
    /// `config::FixedTime`.
    USER_FIXED_TIME = "awsrt::client::FixedTime";
    /// `config::HttpRequest`.
    USER_HTTP_REQUEST = "awsrt::client::HttpRequest";
    /// `config::HttpResponse`.
    USER_HTTP_RESPONSE = "awsrt::client::HttpResponse";
    /// `config::HttpTransport`.
    USER_HTTP_TRANSPORT = "awsrt::client::HttpTransport";
    /// `config::HyperTransport`.
    USER_HYPER_TRANSPORT = "awsrt::client::HyperTransport";
    /// `config::ProvideCredentials`.
    USER_PROVIDE_CREDENTIALS = "awsrt::client::ProvideCredentials";
    /// `config::Region`.
    USER_REGION = "awsrt::client::Region";
    /// `config::RetryConfig` (and `config::retry::RetryConfig`).
    USER_RETRY_CONFIG = "awsrt::client::RetryConfig";
    /// `config::SharedCredentialsProvider`.
    USER_SHARED_CREDENTIALS_PROVIDER = "awsrt::client::SharedCredentialsProvider";
    /// `config::StalledStreamProtection`.
    USER_STALLED_STREAM_PROTECTION = "awsrt::client::StalledStreamProtection";
    /// `config::StalledStreamProtectionConfig` (aws-sdk's setting).
    USER_STALLED_STREAM_PROTECTION_CONFIG = "awsrt::client::StalledStreamProtectionConfig";
    /// `config::TestTransport`.
    USER_TEST_TRANSPORT = "awsrt::client::TestTransport";
    /// `config::TimeSource`.
    USER_TIME_SOURCE = "awsrt::client::TimeSource";
    /// `config::TransportError`.
    USER_TRANSPORT_ERROR = "awsrt::client::TransportError";
    /// `config::AppName`.
    USER_APP_NAME = "awsrt::client::AppName";
    /// `config::ProxyConfig`.
    USER_PROXY_CONFIG = "awsrt::client::ProxyConfig";
    /// `config::RetryMode` (and `config::retry::RetryMode`).
    USER_RETRY_MODE = "awsrt::client::RetryMode";
    /// `config::TlsSettings`.
    USER_TLS_SETTINGS = "awsrt::client::TlsSettings";
    /// `config::timeout::TimeoutConfig`.
    USER_TIMEOUT_CONFIG = "awsrt::client::TimeoutConfig";
    /// `config::timeout::TimeoutConfigBuilder`.
    USER_TIMEOUT_CONFIG_BUILDER = "awsrt::client::TimeoutConfigBuilder";
    /// `pagination::Paginator`.
    USER_PAGINATOR = "awsrt::client::Paginator";
    /// `pagination::ItemPaginator`.
    USER_ITEM_PAGINATOR = "awsrt::client::ItemPaginator";
    /// `pagination::PaginationError`.
    USER_PAGINATION_ERROR = "awsrt::client::PaginationError";
    /// `pagination::PaginationStream`.
    USER_PAGINATION_STREAM = "awsrt::client::PaginationStream";
    /// `primitives::Blob`.
    USER_BLOB = "awsrt::primitives::Blob";
    /// `primitives::DateTime`.
    USER_DATE_TIME = "awsrt::primitives::DateTime";
    /// `primitives::Document`.
    USER_DOCUMENT = "awsrt::primitives::Document";
    /// `primitives::UnknownVariantValue`.
    USER_UNKNOWN_VARIANT_VALUE = "awsrt::primitives::UnknownVariantValue";
    /// `primitives::DateTimeFormat`.
    USER_FORMAT = "awsrt::primitives::Format";
    /// `primitives::event_stream::EventReceiver`.
    USER_EVENT_RECEIVER = "awsrt::client::event_stream::EventReceiver" if "event-stream";
    /// `primitives::event_stream::EventStreamError`.
    USER_EVENT_STREAM_ERROR = "awsrt::client::event_stream::EventStreamError" if "event-stream";
    /// `primitives::event_stream::EventStreamSender`.
    USER_EVENT_STREAM_SENDER = "awsrt::client::event_stream::EventStreamSender" if "event-stream";
    /// `error::LengthUnit`.
    USER_LENGTH_UNIT = "awsrt::validate::LengthUnit";
    /// `error::Number`.
    USER_NUMBER = "awsrt::validate::Number";
    /// `error::Rule`.
    USER_RULE = "awsrt::validate::Rule";
    /// `error::ValidationError`.
    USER_VALIDATION_ERROR = "awsrt::validate::ValidationError";
    /// `error::Violation`.
    USER_VIOLATION = "awsrt::validate::Violation";
    /// `error::SerializeError`.
    USER_SERIALIZE_ERROR = "awsrt::input::SerializeError";
    /// `error::BuildError`.
    USER_BUILD_ERROR = "awsrt::input::BuildError";
    /// `error::DeserializeError`.
    USER_DESERIALIZE_ERROR = "awsrt::json::DeserializeError";
    /// `error::BoxError`.
    USER_BOX_ERROR = "awsrt::client::BoxError";
    /// `error::DisplayErrorContext`.
    USER_DISPLAY_ERROR_CONTEXT = "awsrt::client::DisplayErrorContext";
    /// `error::ErrorMetadata`.
    USER_ERROR_METADATA = "awsrt::client::ErrorMetadata";
    /// `error::ProvideErrorMetadata`.
    USER_PROVIDE_ERROR_METADATA = "awsrt::client::ProvideErrorMetadata";
    /// `error::SdkError`.
    USER_SDK_ERROR = "awsrt::client::SdkError";
    /// `error::UnhandledError`.
    USER_UNHANDLED_ERROR = "awsrt::client::UnhandledError";
    /// `operation::RequestId`.
    USER_REQUEST_ID = "awsrt::client::RequestId";
}

/// `pub use` of `items` (the user API a generated module re-exports),
/// grouped by module in the order given: `pub use awsrt::client::{A, B};`.
pub fn reexport(items: &[RuntimeItem]) -> TokenStream {
    use_grouped(quote!(pub), items)
}

/// `use` items for `items`, one per module in the order given.
fn use_grouped(visibility: TokenStream, items: &[RuntimeItem]) -> TokenStream {
    let mut groups: Vec<(&str, Vec<Ident>)> = Vec::new();
    for item in items {
        let module = item.path.rsplit_once("::").map_or("", |(m, _)| m);
        let name = Ident::new(item.name(), Span::call_site());
        match groups.iter_mut().find(|(m, _)| *m == module) {
            Some((_, names)) => names.push(name),
            None => groups.push((module, vec![name])),
        }
    }
    groups
        .into_iter()
        .map(|(module, names)| {
            let module = RuntimeItem {
                path: module,
                feature: None,
            };
            match names.as_slice() {
                [one] => quote!(#visibility use #module::#one;),
                _ => quote!(#visibility use #module::{#(#names),*};),
            }
        })
        .collect()
}

/// `pub use <item> as <alias>;`, for a re-export under aws-sdk's name.
pub fn reexport_as(item: RuntimeItem, alias: &str) -> TokenStream {
    let alias = Ident::new(alias, Span::call_site());
    quote!(pub use #item as #alias;)
}

/// The `use` items for those of `items` that `code` names by their last
/// segment (`json::parse(..)`, `Result<_, DeserializeError>`), in the order
/// given: a file imports exactly what it uses, with no `unused_imports`
/// to allow. A name counts where it starts a path: not after `::` or `.`,
/// and a lowercase name (a module) only when `::` follows.
pub fn imports(code: &TokenStream, items: &[RuntimeItem]) -> TokenStream {
    let mut used = std::collections::BTreeSet::new();
    names_used(code.clone(), &mut used);
    let used: Vec<RuntimeItem> = items
        .iter()
        .filter(|item| used.contains(item.name()))
        .copied()
        .collect();
    use_grouped(TokenStream::new(), &used)
}

/// Every identifier of `code` in a position where it starts a path.
fn names_used(code: TokenStream, used: &mut std::collections::BTreeSet<String>) {
    let tokens: Vec<TokenTree> = code.into_iter().collect();
    let is_punct =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(g) => names_used(g.stream(), used),
            TokenTree::Ident(ident) => {
                let back = |n: usize| i.checked_sub(n).and_then(|j| tokens.get(j));
                let after_path = is_punct(back(1), ':') && is_punct(back(2), ':');
                if after_path || is_punct(back(1), '.') {
                    continue;
                }
                let name = ident.to_string();
                let is_module = name.starts_with(|c: char| c.is_ascii_lowercase());
                if is_module
                    && !(is_punct(tokens.get(i + 1), ':') && is_punct(tokens.get(i + 2), ':'))
                {
                    continue;
                }
                used.insert(name);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file in awsrt that uses every entry; compiling awsrt's tests
    /// (with its features) checks that every path exists.
    const CHECK_FILE: &str = "../runtime/src/codegen/runtime_api_paths.rs";

    /// What [`CHECK_FILE`] holds for the registry as it is.
    fn check_file() -> String {
        let mut text = String::from(
            "//! Every path of the generator's runtime registry (codegen/src/emit/runtime_api.rs),\n\
             //! used once: awsrt's tests do not compile when one is renamed or removed.\n\
             //! Written by `cargo test -p codegen --lib runtime_api` with `UPDATE_RUNTIME_API=1`; do not edit.\n\
             #![cfg_attr(rustfmt, rustfmt_skip)]\n\n",
        );
        for item in ALL {
            if let Some(feature) = item.feature {
                text.push_str(&format!("#[cfg(feature = \"{feature}\")]\n"));
            }
            let path = item
                .path
                .strip_prefix("awsrt::")
                .map_or(item.path.to_string(), |rest| format!("crate::{rest}"));
            text.push_str(&format!("#[allow(unused_imports)]\nuse {path} as _;\n"));
        }
        text
    }

    #[test]
    fn awsrt_checks_every_registry_path() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CHECK_FILE);
        let want = check_file();
        if std::env::var_os("UPDATE_RUNTIME_API").is_some() {
            std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} does not list the registry's paths; rerun with UPDATE_RUNTIME_API=1",
            path.display()
        );
    }

    #[test]
    fn entries_are_paths_named_once() {
        let mut seen = std::collections::BTreeSet::new();
        for item in ALL {
            assert!(seen.insert(item.path), "{} twice", item.path);
            assert!(
                syn::parse_str::<syn::Path>(item.path).is_ok(),
                "{} is not a path",
                item.path
            );
            assert_eq!(
                item.to_token_stream().to_string().replace(' ', ""),
                item.path
            );
        }
    }

    #[test]
    fn imports_only_what_code_names() {
        let code = quote! {
            fn f(v: &Value, json: u8, meta: ErrorMetadata) -> Result<crate::x::Format, DeserializeError> {
                let _ = v.event_stream;
                json::parse(b"{}")
            }
        };
        let got = imports(
            &code,
            &[
                JSON,
                DESERIALIZE_ERROR,
                FORMAT,
                JSON_VALUE,
                EVENT_STREAM,
                PATH,
                ERROR_METADATA,
            ],
        );
        assert_eq!(
            got.to_string(),
            quote! {
                use awsrt::codegen::{json, DeserializeError, ErrorMetadata};
                use serde_json::Value;
            }
            .to_string()
        );
    }

    #[test]
    fn reexports_group_by_module() {
        let got = reexport(&[USER_REGION, USER_BLOB, USER_CONFIG]);
        assert_eq!(
            got.to_string(),
            quote! {
                pub use awsrt::client::{Region, Config};
                pub use awsrt::primitives::Blob;
            }
            .to_string()
        );
    }
}
