//! Event streams: reading each message of an output's stream into its event
//! or one of the stream's exceptions, and writing each event of an input's
//! stream as a message.
//!
//! Adds `src/protocol/event_stream.rs` with, per output event stream `S`,
//! `unmarshal_<s>(&Message) -> Result<Result<S, SError>, BoxError>`, the
//! function an `EventReceiver` calls for every message, and a reader per
//! event structure; per input event stream `S`, `marshal_<s>(S) ->
//! Result<Message, BoxError>` (and `marshal_<s>_validated`, which first runs
//! `validate.rs`'s checks of the event), which the runtime's sender calls for
//! every event before it signs the message, and a writer per event
//! structure. A message is (AWS event-stream encoding, restJson1):
//!
//! - `:message-type: event`: `:event-type` names the union member; the
//!   event structure's `@eventHeader` members travel in message headers
//!   named like them, its `@eventPayload` member as the whole payload (raw
//!   bytes, UTF-8 text, or JSON; `:content-type` says which), and without one
//!   its other members as the payload's JSON object. Reading, an event type
//!   the model does not list reads as `S::Unknown`, as new events may be
//!   added to a stream; writing `S::Unknown` is an error.
//! - `:message-type: exception`: `:exception-type` names the member whose
//!   error structure the JSON payload holds; unlisted ones become `Unhandled`.
//! - `:message-type: error`: `:error-code` and `:error-message`, `Unhandled`.
//!
//! The JSON readers and writers come from `json.rs`, which also emits them
//! for the shapes event messages reach.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::add_protocol_module;
use super::runtime_api::{
    BOX_ERROR, DESERIALIZE_ERROR, EVENT_STREAM, FORMAT, HEADER_VALUE, JSON, JSON_VALUE, MESSAGE,
    UNHANDLED_ERROR,
};
use super::rust_type::{event_stream_error, value_type};
use super::{docs, Files};
use crate::ir::{Location, Member, Service, Shape, ShapeKind};
use crate::names;
use crate::resolve::Resolved;

/// The function that reads the messages of event stream `stream`.
pub fn unmarshal_fn(stream: &Shape) -> TokenStream {
    let f = names::unmarshal(stream);
    quote!(crate::protocol::event_stream::#f)
}

/// The functions that turn the events of input event stream `stream` into
/// messages: without, and with, checking each against the model first.
pub fn marshal_fns(stream: &Shape) -> (TokenStream, TokenStream) {
    let f = names::marshal(stream);
    let validated = names::marshal_validated(stream);
    (
        quote!(crate::protocol::event_stream::#f),
        quote!(crate::protocol::event_stream::#validated),
    )
}

/// Emit the message readers of every output event stream and the message
/// writers of every input one.
pub fn emit(svc: &Resolved, files: &mut Files) {
    let mut items = Vec::new();
    for stream in svc.streams(false) {
        items.push(unmarshal(svc, stream));
    }
    for event in svc.events(false) {
        items.push(read_event(svc, event));
    }
    for stream in svc.streams(true) {
        items.push(marshal(svc, stream));
    }
    for event in svc.events(true) {
        items.push(write_event(svc, event));
    }
    if items.is_empty() {
        return;
    }
    add_protocol_module(
        files,
        "event_stream",
        "Event-stream messages: reading each into an event or an exception.",
        &[
            EVENT_STREAM,
            HEADER_VALUE,
            MESSAGE,
            BOX_ERROR,
            UNHANDLED_ERROR,
            JSON,
            DESERIALIZE_ERROR,
            FORMAT,
            JSON_VALUE,
        ],
        &items,
    );
}

fn unmarshal(svc: &Service, stream: &Shape) -> TokenStream {
    let f = names::unmarshal(stream);
    let ty = value_type(svc, &stream.name);
    let error = event_stream_error(stream);
    let mut events = Vec::new();
    let mut exceptions = Vec::new();
    for m in stream.children() {
        let target = svc.shape(&m.target);
        let wire = m.name.as_str();
        if target.error.is_some() {
            let var = names::type_ident(target);
            let read = names::error_parser(target);
            exceptions.push(quote! {
                Some(#wire) => match crate::protocol::json::#read(payload) {
                    Ok(e) => #error::#var(e),
                    Err(e) => #error::Unhandled(UnhandledError::from_event(Some(#wire), None, payload).with_source(e)),
                },
            });
        } else {
            let var = names::variant(m);
            let read = names::read_event(target);
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
        "Read one message of the {} event stream: an event, one of its exceptions, or an error.",
        docs::code(&stream.name)
    ));
    quote! {
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
    }
}

/// The reader of one event structure from a message.
fn read_event(svc: &Service, event: &Shape) -> TokenStream {
    let f = names::read_event(event);
    let ty = value_type(svc, &event.name);
    let members = event.members();
    let mut bound = Vec::new();
    for m in members {
        match m.location {
            Location::EventHeader => bound.push((m.name.as_str(), header(svc, m))),
            Location::EventPayload => bound.push((m.name.as_str(), payload(svc, m))),
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
        "Read the {} event from its message.",
        docs::code(&event.name)
    ));
    quote! {
        #doc
        fn #f(#message: &Message) -> Result<#ty, DeserializeError> {
            #object
            #body
        }
    }
}

/// An expression of type `Option<T>` (`?` on failure) reading `@eventHeader`
/// member `m` from the header named like it.
fn header(svc: &Service, m: &Member) -> TokenStream {
    let name = m.name.as_str();
    let read = |t: TokenStream| {
        quote! {
            event_stream::header::<#t>(message, #name).map_err(|e| DeserializeError::new(e.to_string()).at(#name))?
        }
    };
    match &svc.shape(&m.target).kind {
        ShapeKind::String => read(quote!(String)),
        ShapeKind::Enum(_) => {
            let t = value_type(svc, &m.target);
            let text = read(quote!(String));
            quote!(#text.map(|s| #t::from(s.as_str())))
        }
        // Booleans, integers, blobs and timestamps: what else resolve lets
        // a header carry.
        _ => read(value_type(svc, &m.target)),
    }
}

/// An expression of type `Option<T>` (`?` on failure) reading
/// `@eventPayload` member `m` from the whole payload.
fn payload(svc: &Service, m: &Member) -> TokenStream {
    let name = m.name.as_str();
    match &svc.shape(&m.target).kind {
        ShapeKind::Blob { .. } => {
            quote!(Some(crate::primitives::Blob::new(
                message.payload().to_vec()
            )))
        }
        ShapeKind::String => quote! {
            Some(String::from_utf8(message.payload().to_vec()).map_err(|e| DeserializeError::new(e.to_string()).at(#name))?)
        },
        // A structure, union or document: what else resolve lets a payload be.
        _ => {
            let read = super::json::read_value(svc, m, quote!(&value));
            quote! {
                match message.payload() {
                    [] => None,
                    payload => Some(json::parse(payload).and_then(|value| #read).map_err(|e| e.at(#name))?),
                }
            }
        }
    }
}

fn marshal(svc: &Service, stream: &Shape) -> TokenStream {
    let f = names::marshal(stream);
    let ty = value_type(svc, &stream.name);
    let arms = svc.stream_events(stream).into_iter().map(|m| {
        let var = names::variant(m);
        let write = names::write_event(svc.shape(&m.target));
        let wire = m.name.as_str();
        quote! { #ty::#var(event) => #write(&event, #wire), }
    });
    let doc = docs::lines(&format!(
        "Write one event of the {} event stream as an (unsigned) message.",
        docs::code(&stream.name)
    ));
    let validated = names::marshal_validated(stream);
    let validate = names::event_validator(stream);
    let validated_doc = docs::lines(&format!(
        "Check one event of the {} event stream against the model's constraints, then write it.",
        docs::code(&stream.name)
    ));
    quote! {
        #doc
        pub fn #f(event: #ty) -> Result<Message, BoxError> {
            match event {
                #(#arms)*
                #ty::Unknown => Err("an `Unknown` event cannot be sent".into()),
            }
        }

        #validated_doc
        pub fn #validated(event: #ty) -> Result<Message, BoxError> {
            crate::validate::#validate(&event)?;
            #f(event)
        }
    }
}

/// The writer of one event structure as a message of `event_type`.
fn write_event(svc: &Service, event: &Shape) -> TokenStream {
    let f = names::write_event(event);
    let ty = value_type(svc, &event.name);
    let members = event.members();
    let payload_member = members
        .iter()
        .find(|m| m.location == Location::EventPayload);
    let (payload, content_type) = match payload_member {
        Some(m) => {
            let field = names::field_ident(m);
            match &svc.shape(&m.target).kind {
                ShapeKind::Blob { .. } => (
                    quote!(v.#field.as_ref().map(|b| b.as_ref().to_vec()).unwrap_or_default()),
                    "application/octet-stream",
                ),
                ShapeKind::String => (
                    quote!(v.#field.clone().unwrap_or_default().into_bytes()),
                    "text/plain",
                ),
                // A structure, union or document: what else resolve lets a
                // payload be.
                _ => {
                    let write = super::json::payload_writer(svc, m);
                    (
                        quote! {
                            match &v.#field {
                                Some(value) => #write.into_bytes(),
                                None => Vec::new(),
                            }
                        },
                        "application/json",
                    )
                }
            }
        }
        None => {
            let body: Vec<&Member> = members
                .iter()
                .filter(|m| m.location == Location::Body)
                .collect();
            let write = super::json::object_writer(svc, &body);
            (quote!(#write.into_bytes()), "application/json")
        }
    };
    let mut headers = Vec::new();
    for m in members
        .iter()
        .filter(|m| m.location == Location::EventHeader)
    {
        let field = names::field_ident(m);
        let name = m.name.as_str();
        let value = match &svc.shape(&m.target).kind {
            ShapeKind::String => quote!(HeaderValue::String(value.clone())),
            ShapeKind::Enum(_) => quote!(HeaderValue::String(value.as_str().to_owned())),
            ShapeKind::Boolean => quote!(HeaderValue::Bool(*value)),
            ShapeKind::Byte => quote!(HeaderValue::Byte(*value)),
            ShapeKind::Short => quote!(HeaderValue::Int16(*value)),
            ShapeKind::Integer => quote!(HeaderValue::Int32(*value)),
            ShapeKind::Long => quote!(HeaderValue::Int64(*value)),
            ShapeKind::Blob { .. } => {
                quote!(HeaderValue::ByteArray(value.as_ref().to_vec().into()))
            }
            // A timestamp: the last kind resolve lets a header carry.
            _ => quote!(HeaderValue::Timestamp(*value)),
        };
        // Header members are never required in the type (`rust_type::is_optional`).
        headers.push(quote! {
            if let Some(value) = &v.#field {
                message = message.with_header(#name, #value);
            }
        });
    }
    let uses_v = payload_member.is_some()
        || !headers.is_empty()
        || members.iter().any(|m| m.location == Location::Body);
    let v = if uses_v { quote!(v) } else { quote!(_v) };
    let mut_message = if headers.is_empty() {
        quote!(message)
    } else {
        quote!(mut message)
    };
    let doc = docs::lines(&format!(
        "Write the {} event as a message of type `event_type`.",
        docs::code(&event.name)
    ));
    quote! {
        #doc
        fn #f(#v: &#ty, event_type: &str) -> Result<Message, BoxError> {
            let #mut_message = Message::new(#payload)
                .with_header(":message-type", HeaderValue::String("event".to_owned()))
                .with_header(":event-type", HeaderValue::String(event_type.to_owned()))
                .with_header(":content-type", HeaderValue::String(#content_type.to_owned()));
            #(#headers)*
            Ok(message)
        }
    }
}
