//! Event streams in responses: reading each message of a stream into its
//! event, or into one of the stream's exceptions.
//!
//! Adds `src/protocol/event_stream.rs` with, per event stream `S`,
//! `unmarshal_<s>(&Message) -> Result<Result<S, SError>, BoxError>`, the
//! function an `EventReceiver` calls for every message, and a reader per
//! event structure. A message is (AWS event-stream encoding, restJson1):
//!
//! - `:message-type: event`: `:event-type` names the union member; the
//!   event structure's `@eventHeader` members come from the message headers
//!   named like them, its `@eventPayload` member from the whole payload (raw
//!   bytes, UTF-8 text, or JSON), and without one its other members from the
//!   payload as a JSON object. An event type the model does not list reads as
//!   `S::Unknown`, as new events may be added to a stream.
//! - `:message-type: exception`: `:exception-type` names the member whose
//!   error structure the JSON payload holds; unlisted ones become `Unhandled`.
//! - `:message-type: error`: `:error-code` and `:error-message`, `Unhandled`.
//!
//! The JSON readers come from `json.rs`, which also emits them for the
//! shapes event messages reach.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_type::{event_stream_error, value_type};
use super::{add_rust, docs, Files};
use crate::error::{Error, Result};
use crate::ir::{Location, Member, Service, Shape, ShapeKind};
use crate::names;

/// The event structures of every event stream (its non-error members'
/// targets), each once, in name order.
pub fn events(svc: &Service) -> Vec<&Shape> {
    let mut out = BTreeMap::new();
    for stream in svc.shapes.values().filter(|s| s.event_stream) {
        for m in stream.children() {
            let target = svc.shape(&m.target);
            if target.error.is_none() {
                out.insert(target.name.as_str(), target);
            }
        }
    }
    out.into_values().collect()
}

/// The function that reads the messages of event stream `stream`.
pub fn unmarshal_fn(stream: &Shape) -> TokenStream {
    let f = format_ident!(
        "unmarshal_{}",
        names::unraw(&names::module(&stream.rust_name))
    );
    quote!(crate::protocol::event_stream::#f)
}

/// Emit the message readers of every event stream.
pub fn emit(svc: &Service, files: &mut Files) -> Result<()> {
    let streams: Vec<&Shape> = svc.shapes.values().filter(|s| s.event_stream).collect();
    if streams.is_empty() {
        return Ok(());
    }
    let mut items = Vec::new();
    for stream in streams {
        items.push(unmarshal(svc, stream)?);
    }
    for event in events(svc) {
        items.push(read_event(svc, event)?);
    }
    add_rust(
        files,
        "src/protocol.rs",
        quote! {
            /// Event-stream messages: reading each into an event or an exception.
            pub mod event_stream;
        },
    );
    add_rust(
        files,
        "src/protocol/event_stream.rs",
        quote! {
            // Reading a deprecated member is no use of it.
            #![allow(deprecated)]

            use awsrt::client::event_stream::{self, Message};
            use awsrt::client::{BoxError, UnhandledError};
            #[allow(unused_imports)]
            use awsrt::json::{self, DeserializeError};
            #[allow(unused_imports)]
            use awsrt::primitives::Format;
            #[allow(unused_imports)]
            use serde_json::Value;
            #[allow(unused_imports)]
            use crate::protocol::json::*;

            #(#items)*
        },
    );
    Ok(())
}

fn read_event_fn(event: &Shape) -> proc_macro2::Ident {
    format_ident!(
        "read_event_{}",
        names::unraw(&names::module(&event.rust_name))
    )
}

fn unmarshal(svc: &Service, stream: &Shape) -> Result<TokenStream> {
    let f = format_ident!(
        "unmarshal_{}",
        names::unraw(&names::module(&stream.rust_name))
    );
    let ty = value_type(svc, &stream.name);
    let error = event_stream_error(stream);
    let mut events = Vec::new();
    let mut exceptions = Vec::new();
    for m in stream.children() {
        let target = svc.shape(&m.target);
        let wire = m.name.as_str();
        if target.error.is_some() {
            let var = format_ident!("{}", target.rust_name);
            let read = format_ident!(
                "deserialize_{}",
                names::unraw(&names::module(&target.rust_name))
            );
            exceptions.push(quote! {
                Some(#wire) => match crate::protocol::json::#read(payload) {
                    Ok(e) => #error::#var(e),
                    Err(e) => #error::Unhandled(UnhandledError::from_event(Some(#wire), None, payload).with_source(e)),
                },
            });
        } else {
            let var = format_ident!("{}", names::union_variant(&m.name));
            let read = read_event_fn(target);
            events.push(quote! {
                Some(#wire) => #ty::#var(#read(message).map_err(|e| e.at(#wire))?),
            });
        }
    }
    let exception = if exceptions.is_empty() {
        quote!(#error::Unhandled(UnhandledError::from_event(message.exception_type(), None, payload)))
    } else {
        quote! {
            match message.exception_type() {
                #(#exceptions)*
                other => #error::Unhandled(UnhandledError::from_event(other, None, payload)),
            }
        }
    };
    let doc = docs::lines(&format!(
        "Read one message of the `{}` event stream: an event, one of its exceptions, or an error.",
        stream.name
    ));
    Ok(quote! {
        #doc
        pub fn #f(message: &Message) -> Result<Result<#ty, #error>, BoxError> {
            match message.message_type() {
                Some("event") => Ok(Ok(match message.event_type() {
                    #(#events)*
                    _ => #ty::Unknown,
                })),
                Some("exception") => {
                    let payload = match message.payload() {
                        [] => b"{}".as_slice(),
                        payload => payload,
                    };
                    Ok(Err(#exception))
                }
                Some("error") => Ok(Err(#error::Unhandled(UnhandledError::from_event(
                    message.error_code(),
                    message.error_message(),
                    message.payload(),
                )))),
                other => Err(format!("an event-stream message of unknown `:message-type` {other:?}").into()),
            }
        }
    })
}

/// The reader of one event structure from a message.
fn read_event(svc: &Service, event: &Shape) -> Result<TokenStream> {
    let f = read_event_fn(event);
    let ty = value_type(svc, &event.name);
    let members: &[Member] = match &event.kind {
        ShapeKind::Structure(ms) => ms,
        _ => {
            return Err(Error::shape(
                &event.name,
                "is an event of an event stream but not a structure",
            ))
        }
    };
    let mut bound = Vec::new();
    for m in members {
        match m.location {
            Location::EventHeader => bound.push((m.name.as_str(), header(svc, event, m)?)),
            Location::EventPayload => bound.push((m.name.as_str(), payload(svc, event, m)?)),
            _ => {}
        }
    }
    let body = super::json::read_struct_body(svc, &event.name, ty.clone(), members, false, &bound);
    let object = members
        .iter()
        .any(|m| m.location == Location::Body)
        .then(|| {
            quote! {
                let value = match message.payload() {
                    [] => Value::Object(Default::default()),
                    payload => json::parse(payload)?,
                };
                let object = json::read_object(&value)?;
            }
        });
    let message = if object.is_none() && bound.is_empty() {
        quote!(_message)
    } else {
        quote!(message)
    };
    let doc = docs::lines(&format!(
        "Read the `{}` event from its message.",
        event.name
    ));
    Ok(quote! {
        #doc
        fn #f(#message: &Message) -> Result<#ty, DeserializeError> {
            #object
            #body
        }
    })
}

/// An expression of type `Option<T>` (`?` on failure) reading `@eventHeader`
/// member `m` from the header named like it.
fn header(svc: &Service, event: &Shape, m: &Member) -> Result<TokenStream> {
    let name = m.name.as_str();
    let read = |t: TokenStream| {
        quote! {
            event_stream::header::<#t>(message, #name).map_err(|e| DeserializeError::new(e.to_string()).at(#name))?
        }
    };
    Ok(match &svc.shape(&m.target).kind {
        ShapeKind::String => read(quote!(String)),
        ShapeKind::Enum(_) => {
            let t = value_type(svc, &m.target);
            let text = read(quote!(String));
            quote!(#text.map(|s| #t::from(s.as_str())))
        }
        ShapeKind::Boolean
        | ShapeKind::Byte
        | ShapeKind::Short
        | ShapeKind::Integer
        | ShapeKind::Long
        | ShapeKind::Blob { .. }
        | ShapeKind::Timestamp(_) => read(value_type(svc, &m.target)),
        other => {
            return Err(Error::member(
                &event.name,
                &m.name,
                format!(
                    "an event header cannot be {}",
                    crate::load::kind_name(other)
                ),
            ))
        }
    })
}

/// An expression of type `Option<T>` (`?` on failure) reading
/// `@eventPayload` member `m` from the whole payload.
fn payload(svc: &Service, event: &Shape, m: &Member) -> Result<TokenStream> {
    let name = m.name.as_str();
    Ok(match &svc.shape(&m.target).kind {
        ShapeKind::Blob { .. } => {
            quote!(Some(crate::primitives::Blob::new(
                message.payload().to_vec()
            )))
        }
        ShapeKind::String => quote! {
            Some(String::from_utf8(message.payload().to_vec()).map_err(|e| DeserializeError::new(e.to_string()).at(#name))?)
        },
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Document => {
            let read = super::json::read_value(svc, m, quote!(&value));
            quote! {
                match message.payload() {
                    [] => None,
                    payload => Some(json::parse(payload).and_then(|value| #read).map_err(|e| e.at(#name))?),
                }
            }
        }
        other => {
            return Err(Error::member(
                &event.name,
                &m.name,
                format!(
                    "an event payload cannot be {}",
                    crate::load::kind_name(other)
                ),
            ))
        }
    })
}
