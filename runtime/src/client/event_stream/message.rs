//! The event-stream frame codec both halves share: a [`Message`] (headers
//! and payload) and its [`HeaderValue`]s, encoded to and decoded from
//! `application/vnd.amazon.eventstream` frames by the
//! `aws-smithy-eventstream` crate (whose types stay in this file), and
//! typed reading of headers ([`header`]).

use std::fmt;

use aws_smithy_eventstream::frame::{write_message_to, DecodedFrame, MessageFrameDecoder};
use aws_smithy_types::event_stream::{
    Header as WireHeader, HeaderValue as WireValue, Message as WireMessage,
};
use aws_smithy_types::str_bytes::StrBytes;
use bytes::Bytes;

use crate::client::boxed::BoxError;
use crate::primitives::{Blob, DateTime};

/// The value of an event-stream message header, one variant per wire type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderValue {
    /// `bool` (the wire's `true` and `false` types).
    Bool(bool),
    /// `byte`: a signed 8-bit integer.
    Byte(i8),
    /// `short`: a signed 16-bit integer.
    Int16(i16),
    /// `integer`: a signed 32-bit integer.
    Int32(i32),
    /// `long`: a signed 64-bit integer.
    Int64(i64),
    /// `byte_array`.
    ByteArray(Bytes),
    /// `string` (UTF-8).
    String(String),
    /// `timestamp`: milliseconds since the epoch on the wire.
    Timestamp(DateTime),
    /// `uuid`.
    Uuid(u128),
}

impl HeaderValue {
    /// The wire type's name, e.g. `int32` or `string` (for messages).
    pub fn type_name(&self) -> &'static str {
        match self {
            HeaderValue::Bool(_) => "bool",
            HeaderValue::Byte(_) => "byte",
            HeaderValue::Int16(_) => "int16",
            HeaderValue::Int32(_) => "int32",
            HeaderValue::Int64(_) => "int64",
            HeaderValue::ByteArray(_) => "byte array",
            HeaderValue::String(_) => "string",
            HeaderValue::Timestamp(_) => "timestamp",
            HeaderValue::Uuid(_) => "uuid",
        }
    }

    fn from_wire(value: &WireValue) -> Result<Self, BoxError> {
        Ok(match value {
            WireValue::Bool(v) => HeaderValue::Bool(*v),
            WireValue::Byte(v) => HeaderValue::Byte(*v),
            WireValue::Int16(v) => HeaderValue::Int16(*v),
            WireValue::Int32(v) => HeaderValue::Int32(*v),
            WireValue::Int64(v) => HeaderValue::Int64(*v),
            WireValue::ByteArray(v) => HeaderValue::ByteArray(v.clone()),
            WireValue::String(v) => HeaderValue::String(v.as_str().to_owned()),
            WireValue::Timestamp(v) => {
                HeaderValue::Timestamp(DateTime::from_secs_and_nanos(v.secs(), v.subsec_nanos()))
            }
            WireValue::Uuid(v) => HeaderValue::Uuid(*v),
            other => return Err(format!("unsupported event header value {other:?}").into()),
        })
    }

    fn to_wire(&self) -> WireValue {
        match self {
            HeaderValue::Bool(v) => WireValue::Bool(*v),
            HeaderValue::Byte(v) => WireValue::Byte(*v),
            HeaderValue::Int16(v) => WireValue::Int16(*v),
            HeaderValue::Int32(v) => WireValue::Int32(*v),
            HeaderValue::Int64(v) => WireValue::Int64(*v),
            HeaderValue::ByteArray(v) => WireValue::ByteArray(v.clone()),
            HeaderValue::String(v) => WireValue::String(StrBytes::from(v.clone())),
            HeaderValue::Timestamp(v) => WireValue::Timestamp(
                aws_smithy_types::DateTime::from_secs_and_nanos(v.secs(), v.subsec_nanos()),
            ),
            HeaderValue::Uuid(v) => WireValue::Uuid(*v),
        }
    }
}

/// One decoded event-stream message: headers and payload.
///
/// The protocol headers say what the message is: `:message-type` (`event`,
/// `exception` or `error`), then `:event-type` for an event,
/// `:exception-type` for a modeled error, `:error-code` and
/// `:error-message` for any other error.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    headers: Vec<(String, HeaderValue)>,
    payload: Bytes,
}

impl Message {
    /// A message with `payload` and no headers (add them with
    /// [`with_header`](Message::with_header)); for tests, with
    /// [`encode`](Message::encode).
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// Adds header `name` with `value`.
    pub fn with_header(mut self, name: impl Into<String>, value: HeaderValue) -> Self {
        self.headers.push((name.into(), value));
        self
    }

    /// The payload.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload as [`Bytes`] (cloning it is cheap).
    pub fn payload_bytes(&self) -> &Bytes {
        &self.payload
    }

    /// All headers, in the order they were received.
    pub fn headers(&self) -> &[(String, HeaderValue)] {
        &self.headers
    }

    /// The value of header `name` (names are case-sensitive), of any type.
    pub fn header_value(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    /// The value of header `name` if it is a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        match self.header_value(name) {
            Some(HeaderValue::String(value)) => Some(value),
            _ => None,
        }
    }

    /// `:message-type`: `event`, `exception` (a modeled error) or `error`.
    pub fn message_type(&self) -> Option<&str> {
        self.header_str(":message-type")
    }

    /// `:event-type`: which member of the stream's union an event is.
    pub fn event_type(&self) -> Option<&str> {
        self.header_str(":event-type")
    }

    /// `:exception-type`: which modeled error an exception is.
    pub fn exception_type(&self) -> Option<&str> {
        self.header_str(":exception-type")
    }

    /// `:error-code` of an `error` message.
    pub fn error_code(&self) -> Option<&str> {
        self.header_str(":error-code")
    }

    /// `:error-message` of an `error` message.
    pub fn error_message(&self) -> Option<&str> {
        self.header_str(":error-message")
    }

    /// The message as one event-stream frame (prelude, headers, payload and
    /// checksums), e.g. to script a streamed response in a test. Fails if a
    /// header name or value, or the payload, is too long for a frame.
    pub fn encode(&self) -> Result<Bytes, BoxError> {
        let mut frame = Vec::new();
        write_message_to(&self.to_wire(), &mut frame)?;
        Ok(frame.into())
    }

    pub(super) fn to_wire(&self) -> WireMessage {
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| WireHeader::new(name.clone(), value.to_wire()))
            .collect();
        WireMessage::new_from_parts(headers, self.payload.clone())
    }

    pub(super) fn from_wire(message: &WireMessage) -> Result<Self, BoxError> {
        let headers = message
            .headers()
            .iter()
            .map(|h| {
                Ok((
                    h.name().as_str().to_owned(),
                    HeaderValue::from_wire(h.value())?,
                ))
            })
            .collect::<Result<_, BoxError>>()?;
        Ok(Message {
            headers,
            payload: message.payload().clone(),
        })
    }
}

impl fmt::Debug for Message {
    /// Shows the protocol (`:`) headers' values, only the names and types of
    /// the others, and only the payload's length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(String, HeaderValue)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (name, value) in self.0 {
                    match value {
                        HeaderValue::String(s) if name.starts_with(':') => map.entry(name, s),
                        other => map.entry(name, &format_args!("<{}>", other.type_name())),
                    };
                }
                map.finish()
            }
        }
        f.debug_struct("Message")
            .field("headers", &Headers(&self.headers))
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// A type an `@eventHeader` member can be read as, with [`header`].
pub trait FromEventHeader: Sized {
    /// The wire type this type is read from, as [`HeaderValue::type_name`]
    /// names it.
    const TYPE_NAME: &'static str;

    /// `value` as this type, or `None` if it has another wire type.
    fn from_header_value(value: &HeaderValue) -> Option<Self>;
}

macro_rules! from_event_header {
    ($($ty:ty => $variant:ident, $name:literal, |$v:ident| $convert:expr;)*) => {$(
        impl FromEventHeader for $ty {
            const TYPE_NAME: &'static str = $name;

            fn from_header_value(value: &HeaderValue) -> Option<Self> {
                match value {
                    HeaderValue::$variant($v) => Some($convert),
                    _ => None,
                }
            }
        }
    )*};
}

from_event_header! {
    bool => Bool, "bool", |v| *v;
    i8 => Byte, "byte", |v| *v;
    i16 => Int16, "int16", |v| *v;
    i32 => Int32, "int32", |v| *v;
    i64 => Int64, "int64", |v| *v;
    String => String, "string", |v| v.clone();
    Blob => ByteArray, "byte array", |v| Blob::new(v.to_vec());
    DateTime => Timestamp, "timestamp", |v| *v;
}

/// Reads header `name` of `message` as a `T` (a member bound with
/// `@eventHeader`): `None` if the message does not have it, an error naming
/// the header and both types if it has another wire type.
pub fn header<T: FromEventHeader>(message: &Message, name: &str) -> Result<Option<T>, BoxError> {
    let Some(value) = message.header_value(name) else {
        return Ok(None);
    };
    match T::from_header_value(value) {
        Some(v) => Ok(Some(v)),
        None => Err(format!(
            "event header `{name}` has type {}, expected {}",
            value.type_name(),
            T::TYPE_NAME
        )
        .into()),
    }
}

/// Decodes `bytes`, a whole number of frames (e.g. a request body an
/// [`TestTransport`](crate::client::TestTransport) recorded, or the payload
/// of a signed message), into their messages, checking each frame's
/// checksums. Fails on a corrupt frame or if `bytes` ends mid-frame.
pub fn decode_frames(bytes: &[u8]) -> Result<Vec<Message>, BoxError> {
    let mut buffer = bytes;
    let mut decoder = MessageFrameDecoder::new();
    let mut messages = Vec::new();
    while !buffer.is_empty() {
        match decoder.decode_frame(&mut buffer)? {
            DecodedFrame::Complete(frame) => messages.push(Message::from_wire(&frame)?),
            DecodedFrame::Incomplete => {
                return Err("the event-stream bytes end in the middle of a frame".into())
            }
        }
    }
    Ok(messages)
}
