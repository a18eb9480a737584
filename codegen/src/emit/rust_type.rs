//! How shapes map to Rust types: the one place that decides the type of a
//! field, so that every emitter (types, builders, JSON, validators, client)
//! agrees.
//!
//! | shape | Rust type |
//! |---|---|
//! | string, bigInteger, bigDecimal | `String` |
//! | enum, structure, union | `crate::types::Name` (`crate::types::error::Name` for errors) |
//! | list | `Vec<T>` (`Vec<Option<T>>` when sparse) |
//! | map | `HashMap<String, T>` (`HashMap<String, Option<T>>` when sparse) |
//! | boolean, byte, short, integer, long, float, double | `bool`, `i8`, `i16`, `i32`, `i64`, `f32`, `f64` |
//! | intEnum | `i32` |
//! | timestamp | `crate::primitives::DateTime` |
//! | blob | `crate::primitives::Blob` |
//! | document | `crate::primitives::Document` |
//!
//! An output member bound to an event stream `U` is an
//! `EventReceiver<crate::types::U, crate::types::error::UError>`, never
//! optional, and an input's an `EventStreamSender<U, UError>` (as in aws-sdk).
//!
//! A structure field is `Option<T>` unless the member is required, bound to
//! the JSON body, and the structure is not an operation input (inputs are always all-optional, as in
//! aws-sdk-ivschat, so that a builder can be filled in any order and checked by
//! `validate`). A field whose target can reach its own structure again without
//! passing through a list or map is boxed.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Location, Member, Service, Shape, ShapeKind, ShapeModule, TimestampFormat};

/// The Rust type of a value of shape `target` (never wrapped in `Option`).
pub fn value_type(svc: &Service, target: &str) -> TokenStream {
    let shape = svc.shape(target);
    match &shape.kind {
        ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(String),
        ShapeKind::Enum(_) | ShapeKind::Structure(_) | ShapeKind::Union(_) => named(shape),
        ShapeKind::List { member, sparse } => {
            let t = value_type(svc, &member.target);
            if *sparse {
                quote!(Vec<Option<#t>>)
            } else {
                quote!(Vec<#t>)
            }
        }
        ShapeKind::Map { value, sparse, .. } => {
            let t = value_type(svc, &value.target);
            if *sparse {
                quote!(::std::collections::HashMap<String, Option<#t>>)
            } else {
                quote!(::std::collections::HashMap<String, #t>)
            }
        }
        ShapeKind::Boolean => quote!(bool),
        ShapeKind::Byte => quote!(i8),
        ShapeKind::Short => quote!(i16),
        ShapeKind::Integer | ShapeKind::IntEnum(_) => quote!(i32),
        ShapeKind::Long => quote!(i64),
        ShapeKind::Float => quote!(f32),
        ShapeKind::Double => quote!(f64),
        ShapeKind::Timestamp(_) => quote!(crate::primitives::DateTime),
        ShapeKind::Blob { .. } => quote!(crate::primitives::Blob),
        ShapeKind::Document => quote!(crate::primitives::Document),
    }
}

/// The path of a named type (`crate::types::RoomSummary`).
pub fn named(shape: &Shape) -> TokenStream {
    let ident = crate::names::type_ident(shape);
    match shape.module {
        ShapeModule::Error => quote!(crate::types::error::#ident),
        _ => quote!(crate::types::#ident),
    }
}

/// Whether a structure's field for `member` is an `Option`: every member of
/// an input, every optional member, and every member bound outside the JSON
/// body (headers, payload, status), which a response may leave out whatever
/// the model says and which need not have a default value. An event stream
/// is always there.
pub fn is_optional(member: &Member, owner_is_input: bool) -> bool {
    owner_is_input
        || !member.required
        || !matches!(member.location, Location::Body | Location::EventStream)
}

/// The Rust type of member `m`'s value (never wrapped in `Option`): its
/// target's [`value_type`], or for an event stream the sender of an input's
/// events or the receiver of an output's.
pub fn member_value_type(svc: &Service, m: &Member, owner_is_input: bool) -> TokenStream {
    if m.location != Location::EventStream {
        return value_type(svc, &m.target);
    }
    let events = value_type(svc, &m.target);
    let error = event_stream_error(svc.shape(&m.target));
    if owner_is_input {
        quote!(crate::primitives::event_stream::EventStreamSender<#events, #error>)
    } else {
        quote!(crate::primitives::event_stream::EventReceiver<#events, #error>)
    }
}

/// The error type of event stream `stream`'s exceptions
/// (`crate::types::error::ResponseStreamError`).
pub fn event_stream_error(stream: &Shape) -> TokenStream {
    let ident = crate::names::event_stream_error_ident(stream);
    quote!(crate::types::error::#ident)
}

/// The field type of `member` in structure `owner`, boxing and `Option` included.
pub fn field_type(svc: &Service, member: &Member, owner_is_input: bool) -> TokenStream {
    let mut t = member_value_type(svc, member, owner_is_input);
    if member.boxed {
        t = quote!(Box<#t>);
    }
    if is_optional(member, owner_is_input) {
        quote!(Option<#t>)
    } else {
        t
    }
}

/// The wire format of timestamp member `m` as a `Format` expression: the
/// member's `@timestampFormat`, else its target's, else `default` (which
/// depends on where the value travels: body, header, label or query).
pub fn timestamp_format(svc: &Service, m: &Member, default: TimestampFormat) -> TokenStream {
    let fmt = m.timestamp_format.or(match svc.shape(&m.target).kind {
        ShapeKind::Timestamp(f) => f,
        _ => None,
    });
    match fmt.unwrap_or(default) {
        TimestampFormat::DateTime => quote!(Format::DateTime),
        TimestampFormat::HttpDate => quote!(Format::HttpDate),
        TimestampFormat::EpochSeconds => quote!(Format::EpochSeconds),
    }
}

/// Whether values of `kind` are `Copy` numbers or booleans (getters return them by value).
pub fn is_copy_scalar(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Boolean
            | ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::IntEnum(_)
            | ShapeKind::Long
            | ShapeKind::Float
            | ShapeKind::Double
    )
}
