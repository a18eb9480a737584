//! The surface for generated code: every `awsrt` item that a crate made by
//! `codegen` names in its private code (serializers, parsers, validators,
//! the client's calls), and nothing else.
//!
//! **For generated code, not for users; it may change with the generator.**
//! Users name the public modules ([`client`](crate::client),
//! [`primitives`](crate::primitives), ...), and a generated crate re-exports
//! the user-facing types from there (`ivschat::config::Region` is
//! `awsrt::client::Region`), so that their documentation is the user's.
//!
//! The generator's registry of these paths is `codegen/src/emit/runtime_api.rs`;
//! a test there checks it against this module (`runtime_api_paths.rs`, in
//! this crate's tests), so renaming an item here without the registry fails.

#[cfg(feature = "aws-config")]
pub use crate::client::SdkConfig;
pub use crate::client::{
    BodyStream, BoxError, BoxFuture, ConstructionFailure, CustomizableOperation, CustomizableSend,
    Customization, ErrorMetadata, HttpRequest, HttpResponse, IntoConfig, ItemPaginator, Method,
    OperationMeta, PaginationStream, Paginator, ProvideErrorMetadata, RequestId, Runtime,
    ServiceMeta, UnhandledError,
};
pub use crate::input::SerializeError;
pub use crate::json::{DeserializeError, ValueWriter};
#[cfg(feature = "runtime-patterns")]
pub use crate::pattern::Pattern;
pub use crate::primitives::{DateTime, Format};
pub use crate::validate::{Path, Violations};

/// What `Debug` and `Display` show instead of a sensitive value, as aws-sdk's
/// types do (generated `Debug` impls name it).
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// What a modeled error's `Display` writes (generated code calls this rather
/// than repeating it for each error): the error's `name` as the model gives
/// it, then, when the service sent a `message`, `: ` and the message escaped
/// (control and bidirectional characters shown as `\u{..}`), or redacted
/// when the model marks it sensitive.
pub fn write_error(
    f: &mut std::fmt::Formatter<'_>,
    name: &str,
    message: &str,
    sensitive: bool,
) -> std::fmt::Result {
    f.write_str(name)?;
    if message.is_empty() {
        return Ok(());
    }
    f.write_str(": ")?;
    if sensitive {
        f.write_str(REDACTED)
    } else {
        std::fmt::Display::fmt(&crate::shown::Escaped(message), f)
    }
}

/// Writing and reading JSON bodies, headers and labels: what generated
/// serializers and parsers call as `json::...`.
pub mod json {
    pub use crate::json::{
        base64_decode_text, base64_encode, float_text, header_list_item, object, parse,
        parse_header_float, parse_header_value, read_array, read_blob, read_bool, read_float,
        read_integer, read_object, read_string, read_timestamp, split_header_list,
        split_http_date_list, value, widen_f32,
    };
}

/// Percent-encoding of URI labels and host labels (`encode::label`).
pub mod encode {
    pub use crate::client::encode::{greedy_label, host_label, label};
}

/// Event-stream messages: what generated marshallers build and unmarshallers
/// read (`event_stream::header`).
#[cfg(feature = "event-stream")]
pub mod event_stream {
    pub use crate::client::event_stream::{
        header, EventReceiver, EventStreamSender, HeaderValue, Message,
    };
}
#[cfg(test)]
mod runtime_api_paths;

#[cfg(test)]
mod tests {
    use std::fmt;

    struct Modeled(&'static str, bool);

    impl fmt::Display for Modeled {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            super::write_error(f, "ThrottlingException", self.0, self.1)
        }
    }

    #[test]
    fn modeled_errors_show_their_name_and_message_escaped_or_redacted() {
        assert_eq!(Modeled("", false).to_string(), "ThrottlingException");
        assert_eq!(Modeled("", true).to_string(), "ThrottlingException");
        assert_eq!(
            Modeled("slow \u{1b}[31mdown\u{202e}", false).to_string(),
            r"ThrottlingException: slow \u{1b}[31mdown\u{202e}"
        );
        assert_eq!(
            Modeled("key AKID", true).to_string(),
            "ThrottlingException: *** Sensitive Data Redacted ***"
        );
    }
}
