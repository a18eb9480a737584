//! JSON bodies: serializers for what requests carry and deserializers for what
//! responses carry, with the model's member names (`jsonName` where set).
//!
//! Adds `src/protocol.rs` and `src/protocol/json.rs`. Public entry points per
//! operation: `serialize_<op>_input(&Input) -> String` (the body members) and
//! `deserialize_<op>_output(&[u8])`, and `deserialize_<error>(&[u8])` per
//! error shape. Per-shape `write_*` and `read_*` functions are emitted only
//! for the shapes those entry points reach, so nothing is dead code.
//!
//! Timestamps in a body default to epoch seconds (restJson1), unless the
//! member or its target says otherwise. Nulls in a body read as absent.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{add_protocol_module, OperationStructs, StructDef};
use super::runtime_api::{DESERIALIZE_ERROR, FORMAT, JSON, JSON_VALUE, VALUE_WRITER};
use super::rust_type::{is_optional, value_type};
use super::{docs, Files};
use crate::ir::{Location, Member, Operation, Service, ShapeKind, TimestampFormat};
use crate::names;
use crate::resolve::Resolved;

/// Emit the JSON (de)serializers.
pub fn emit(svc: &Resolved, operations: &[OperationStructs<'_>], files: &mut Files) {
    let mut writes = BTreeSet::new();
    let mut reads = BTreeSet::new();
    let mut items = Vec::new();
    for o in operations {
        for m in json_members(&o.input) {
            reach(svc, &m.target, &mut writes);
        }
        items.push(serialize_input(svc, o.op, &o.input));
        for m in json_members(&o.output) {
            reach(svc, &m.target, &mut reads);
        }
        // An output with an event stream is read by `http.rs` alone: its
        // other members are all bound to headers.
        if o.output.event_stream().is_none() {
            items.push(deserialize_output(svc, o.op, &o.output));
        }
    }
    // What event messages carry as JSON (`events.rs` reads and writes the messages).
    for (input, set) in [(false, &mut reads), (true, &mut writes)] {
        for event in svc.events(input) {
            for m in event.children() {
                if matches!(m.location, Location::Body | Location::EventPayload) {
                    reach(svc, &m.target, set);
                }
            }
        }
    }
    for shape in svc.shapes.values().filter(|s| s.error.is_some()) {
        reach(svc, &shape.name, &mut reads);
        let f = names::error_parser(shape);
        let read = read_fn(svc, &shape.name);
        let t = super::rust_type::named(shape);
        let doc = format!("Parse a {} error body.", docs::code(&shape.name));
        let doc = docs::lines(&doc);
        items.push(quote! {
            #doc
            pub fn #f(body: &[u8]) -> Result<#t, DeserializeError> {
                #read(&json::parse(body)?)
            }
        });
    }
    for name in &writes {
        items.extend(write_shape(svc, name));
    }
    for name in &reads {
        items.extend(read_shape(svc, name));
    }
    add_protocol_module(
        files,
        "json",
        "JSON bodies: the request body of every operation, and response and error parsing.",
        &[JSON, DESERIALIZE_ERROR, VALUE_WRITER, FORMAT, JSON_VALUE],
        &items,
    );
}

fn body_members<'a>(def: &'a StructDef<'_>) -> impl Iterator<Item = &'a Member> {
    def.members()
        .iter()
        .filter(|m| m.location == Location::Body)
}

/// Members whose value travels as JSON: body members and payload members.
fn json_members<'a>(def: &'a StructDef<'_>) -> impl Iterator<Item = &'a Member> {
    def.members()
        .iter()
        .filter(|m| matches!(m.location, Location::Body | Location::Payload))
}

/// An expression of type `String`: the JSON text of a payload member `value: &T`.
pub fn payload_writer(svc: &Service, m: &Member) -> TokenStream {
    let write = write_value(svc, m, quote!(json::value(&mut out)), quote!(value));
    quote! {{
        let mut out = String::new();
        #write;
        out
    }}
}

/// An expression of type `Result<T, DeserializeError>` reading a JSON payload
/// member from `response.body()`.
pub fn payload_reader(svc: &Service, m: &Member) -> TokenStream {
    let read = read_value(svc, m, quote!(&value));
    quote!(json::parse(response.body()).and_then(|value| #read))
}

/// Add the structures, unions, lists and maps `target` reaches (with a
/// stack of its own: models may chain shapes deeper than the thread's stack).
fn reach(svc: &Service, target: &str, out: &mut BTreeSet<String>) {
    let mut todo = vec![target];
    while let Some(name) = todo.pop() {
        let shape = svc.shape(name);
        let children: Vec<&str> = match &shape.kind {
            ShapeKind::Structure(ms) | ShapeKind::Union(ms) => {
                ms.iter().map(|m| m.target.as_str()).collect()
            }
            ShapeKind::List { member, .. } => vec![member.target.as_str()],
            ShapeKind::Map { value, .. } => vec![value.target.as_str()],
            _ => continue,
        };
        if out.insert(name.to_string()) {
            todo.extend(children.into_iter().rev());
        }
    }
}

fn write_fn(svc: &Service, shape: &str) -> proc_macro2::Ident {
    names::json_writer(svc.shape(shape))
}

fn read_fn(svc: &Service, shape: &str) -> proc_macro2::Ident {
    names::json_reader(svc.shape(shape))
}

fn json_name(m: &Member) -> &str {
    m.json_name.as_deref().unwrap_or(&m.name)
}

fn format_of(svc: &Service, m: &Member) -> TokenStream {
    // restJson1 bodies default to epoch seconds.
    super::rust_type::timestamp_format(svc, m, TimestampFormat::EpochSeconds)
}

/// Code that writes `value` (an expression of type `&T`) to the `ValueWriter` `w`.
fn write_value(svc: &Service, m: &Member, w: TokenStream, value: TokenStream) -> TokenStream {
    let shape = svc.shape(&m.target);
    match &shape.kind {
        ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
            quote!(#w.string(#value))
        }
        ShapeKind::Enum(_) => quote!(#w.string(#value.as_str())),
        ShapeKind::Boolean => quote!(#w.boolean(*#value)),
        ShapeKind::Long => quote!(#w.integer(*#value)),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::IntEnum(_) => {
            quote!(#w.integer(i64::from(*#value)))
        }
        ShapeKind::Double => quote!(#w.float(*#value)),
        ShapeKind::Float => quote!(#w.float(json::widen_f32(*#value))),
        ShapeKind::Timestamp(_) => {
            let f = format_of(svc, m);
            quote!(#w.timestamp(#value, #f))
        }
        ShapeKind::Blob { .. } => quote!(#w.blob(#value)),
        ShapeKind::Document => quote!(#w.document(#value)),
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List { .. }
        | ShapeKind::Map { .. } => {
            // Also called from the other protocol files.
            let f = write_fn(svc, &shape.name);
            quote!(crate::protocol::json::#f(#w, #value))
        }
    }
}

/// Writes of the members of a structure `v` into the object writer `object`.
fn write_members<'a>(
    svc: &'a Service,
    members: impl Iterator<Item = &'a Member> + 'a,
    optional: impl Fn(&Member) -> bool + 'a,
) -> impl Iterator<Item = TokenStream> + 'a {
    members.map(move |m| {
        let f = names::field_ident(m);
        let key = json_name(m);
        let write = write_value(svc, m, quote!(object.key(#key)), quote!(value));
        if optional(m) {
            quote! { if let Some(value) = &v.#f { #write; } }
        } else {
            quote! { { let value = &v.#f; #write; } }
        }
    })
}

/// An expression of type `String`: the JSON object of `members` of the
/// structure `v` (fields optional as in a non-input structure).
pub(super) fn object_writer(svc: &Service, members: &[&Member]) -> TokenStream {
    let writes = write_members(svc, members.iter().copied(), |m| is_optional(m, false));
    let object = if members.is_empty() {
        quote!(object)
    } else {
        quote!(mut object)
    };
    quote! {{
        let mut out = String::new();
        let #object = json::object(&mut out);
        #(#writes)*
        object.finish();
        out
    }}
}

fn serialize_input(svc: &Service, op: &Operation, def: &StructDef<'_>) -> TokenStream {
    let f = names::serialize_input(op);
    let module = names::operation_module(op);
    let op = &op.names.module;
    let ty = names::ident(&def.rust_name);
    let doc = format!(
        "The JSON body of a [`{0}`](crate::operation::{1}::{0}): its body members that are set.",
        def.rust_name,
        names::unraw(op)
    );
    let doc = docs::lines(&doc);
    let members: Vec<&Member> = body_members(def).collect();
    let (v, object) = if members.is_empty() {
        (quote!(_v), quote!(object))
    } else {
        (quote!(v), quote!(mut object))
    };
    let writes = write_members(svc, members.into_iter(), |_| true);
    quote! {
        #doc
        pub fn #f(#v: &crate::operation::#module::#ty) -> String {
            let mut out = String::new();
            let #object = json::object(&mut out);
            #(#writes)*
            object.finish();
            out
        }
    }
}

fn write_shape(svc: &Service, name: &str) -> Option<TokenStream> {
    let shape = svc.shape(name);
    let f = write_fn(svc, name);
    let t = value_type(svc, name);
    Some(match &shape.kind {
        ShapeKind::Structure(ms) => {
            let v = if ms.is_empty() { quote!(_v) } else { quote!(v) };
            let writes = write_members(svc, ms.iter(), |m| is_optional(m, false));
            let object = if ms.is_empty() {
                quote!(object)
            } else {
                quote!(mut object)
            };
            quote! {
                pub(crate) fn #f(w: ValueWriter<'_>, #v: &#t) {
                    let #object = w.object();
                    #(#writes)*
                    object.finish();
                }
            }
        }
        ShapeKind::Union(ms) => {
            let arms = ms.iter().map(|m| {
                let var = names::variant(m);
                let key = json_name(m);
                let write = write_value(svc, m, quote!(object.key(#key)), quote!(value));
                quote! { #t::#var(value) => #write, }
            });
            quote! {
                pub(crate) fn #f(w: ValueWriter<'_>, v: &#t) {
                    let mut object = w.object();
                    match v {
                        #(#arms)*
                        #t::Unknown => {}
                    }
                    object.finish();
                }
            }
        }
        ShapeKind::List { member, sparse } => {
            let write = write_value(svc, member, quote!(array.value()), quote!(item));
            let body = if *sparse {
                quote! { match item { Some(item) => #write, None => array.value().null() } }
            } else {
                quote! { #write; }
            };
            let elem = value_type(svc, &member.target);
            let elem = if *sparse { quote!(Option<#elem>) } else { elem };
            quote! {
                pub(crate) fn #f(w: ValueWriter<'_>, v: &[#elem]) {
                    let mut array = w.array();
                    for item in v {
                        #body
                    }
                    array.finish();
                }
            }
        }
        ShapeKind::Map { value, sparse, .. } => {
            let write = write_value(svc, value, quote!(object.key(key)), quote!(item));
            let body = if *sparse {
                quote! { match item { Some(item) => #write, None => object.key(key).null() } }
            } else {
                quote! { #write; }
            };
            quote! {
                pub(crate) fn #f(w: ValueWriter<'_>, v: &#t) {
                    let mut object = w.object();
                    // Sorted keys: the same map always gives the same body.
                    let mut entries: Vec<_> = v.iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                    for (key, item) in entries {
                        #body
                    }
                    object.finish();
                }
            }
        }
        _ => return None,
    })
}

/// An expression of type `Result<F, DeserializeError>` reading member `m`
/// of a structure or union from `value: &Value`, where `F` is its field's
/// value: boxed when the field is.
fn read_field(svc: &Service, m: &Member) -> TokenStream {
    let read = read_value(svc, m, quote!(value));
    if m.boxed {
        quote!(#read.map(Box::new))
    } else {
        read
    }
}

/// An expression of type `Result<T, DeserializeError>` reading `v: &Value`.
pub(super) fn read_value(svc: &Service, m: &Member, v: TokenStream) -> TokenStream {
    let shape = svc.shape(&m.target);
    match &shape.kind {
        ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
            quote!(json::read_string(#v))
        }
        ShapeKind::Enum(_) => {
            let t = value_type(svc, &m.target);
            quote!(json::read_string(#v).map(|s| #t::from(s.as_str())))
        }
        ShapeKind::Boolean => quote!(json::read_bool(#v)),
        ShapeKind::Byte
        | ShapeKind::Short
        | ShapeKind::Integer
        | ShapeKind::IntEnum(_)
        | ShapeKind::Long => {
            let t = value_type(svc, &m.target);
            quote!(json::read_integer::<#t>(#v))
        }
        ShapeKind::Float => quote!(json::read_float(#v).map(|f| f as f32)),
        ShapeKind::Double => quote!(json::read_float(#v)),
        ShapeKind::Timestamp(_) => {
            let f = format_of(svc, m);
            quote!(json::read_timestamp(#v, #f))
        }
        ShapeKind::Blob { .. } => quote!(json::read_blob(#v)),
        ShapeKind::Document => quote!(Ok::<_, DeserializeError>(#JSON_VALUE::clone(#v))),
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List { .. }
        | ShapeKind::Map { .. } => {
            // Also called from the other protocol files.
            let f = read_fn(svc, &shape.name);
            quote!(crate::protocol::json::#f(#v))
        }
    }
}

/// What a required member the response left out becomes, as Smithy's client
/// error correction has it (and aws-sdk-rust's `*_correct_errors`
/// functions do it).
enum Correction {
    /// The zero value of its type (`Default`): numbers, booleans, strings,
    /// blobs, lists, maps, documents.
    Zero,
    /// A constant, for a union its `Unknown` variant (`unwrap_or`, where a
    /// closure would be needless).
    Constant(TokenStream),
    /// A value that cannot fail: for an enum the unknown value `no value was
    /// set`, for a timestamp the epoch.
    Value(TokenStream),
    /// For a structure: what reading `{}` gives, its own required members
    /// corrected in turn (`load::graph` refuses cycles of required
    /// structures, so this ends), with `?` on the way.
    Read(TokenStream),
    /// None for an event stream: a response without one fails.
    Fail,
}

fn correction(svc: &Service, m: &Member) -> Correction {
    let t = value_type(svc, &m.target);
    let boxed = |value: TokenStream| {
        if m.boxed {
            quote!(Box::new(#value))
        } else {
            value
        }
    };
    match &svc.shape(&m.target).kind {
        _ if m.location == Location::EventStream => Correction::Fail,
        ShapeKind::Enum(_) => Correction::Value(boxed(quote!(#t::from("no value was set")))),
        ShapeKind::Timestamp(_) => Correction::Value(boxed(quote!(#t::from_secs(0)))),
        ShapeKind::Union(_) if m.boxed => Correction::Value(boxed(quote!(#t::Unknown))),
        ShapeKind::Union(_) => Correction::Constant(quote!(#t::Unknown)),
        ShapeKind::Structure(_) => {
            let f = read_fn(svc, &m.target);
            let label = m.name.as_str();
            Correction::Read(boxed(quote! {
                crate::protocol::json::#f(&#JSON_VALUE::Object(::std::default::Default::default()))
                    .map_err(|e| e.at(#label))?
            }))
        }
        _ => Correction::Zero,
    }
}

/// A function body reading structure members from `object` into a struct
/// literal. Members outside the body are left unset, except those `bound`
/// gives an expression for (of type `Option<T>`; event headers and payloads).
pub(super) fn read_struct_body(
    svc: &Service,
    owner: &str,
    ty: TokenStream,
    members: &[Member],
    is_input: bool,
    bound: &[(&str, TokenStream)],
) -> TokenStream {
    let bound_expr = |m: &Member| {
        bound
            .iter()
            .find(|(name, _)| *name == m.name)
            .map(|(_, e)| e)
    };
    let body: Vec<&Member> = members
        .iter()
        .filter(|m| m.location == Location::Body)
        .collect();
    // Slots end in `_` so that no member name can shadow `key` or `value`.
    let slot = names::slot;
    let slots = body.iter().map(|m| {
        let s = slot(m);
        quote!(let mut #s = None;)
    });
    let bound_slots = members.iter().filter_map(|m| {
        let e = bound_expr(m)?;
        let s = slot(m);
        Some(quote!(let #s = #e;))
    });
    let arms: Vec<(&str, TokenStream)> = body
        .iter()
        .map(|m| {
            let s = slot(m);
            let label = m.name.as_str();
            let read = read_field(svc, m);
            (
                json_name(m),
                quote! { #s = Some(#read.map_err(|e| e.at(#label))?) },
            )
        })
        .collect();
    let dispatch = match arms.as_slice() {
        [] => quote!(),
        [(key, stmt)] => quote! { if key == #key { #stmt; } },
        _ => {
            let arms = arms.iter().map(|(key, stmt)| quote! { #key => #stmt, });
            quote! {
                match key.as_str() {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    let fields = members.iter().map(|m| {
        let f = names::field_ident(m);
        let s = slot(m);
        let in_body = m.location == Location::Body || bound_expr(m).is_some();
        if is_optional(m, is_input) {
            if in_body {
                quote!(#f: #s,)
            } else {
                quote!(#f: None,)
            }
        } else {
            // A required member is in the body or an event stream (see
            // `is_optional`), and only an event stream has no correction.
            match correction(svc, m) {
                Correction::Zero => quote!(#f: #s.unwrap_or_default(),),
                Correction::Constant(v) => quote!(#f: #s.unwrap_or(#v),),
                Correction::Value(v) => quote!(#f: #s.unwrap_or_else(|| #v),),
                Correction::Read(v) => quote!(#f: match #s { Some(v) => v, None => #v },),
                Correction::Fail => {
                    let msg = format!("missing required member `{}`", m.name);
                    if in_body {
                        quote!(#f: #s.ok_or_else(|| DeserializeError::new(#msg))?,)
                    } else {
                        quote!(#f: return Err(DeserializeError::new(#msg)),)
                    }
                }
            }
        }
    });
    let object = if body.is_empty() {
        quote!(_object)
    } else {
        quote!(object)
    };
    let lookup = if body.is_empty() {
        quote!()
    } else {
        quote! {
            for (key, value) in #object {
                if value.is_null() {
                    continue;
                }
                #dispatch
            }
        }
    };
    // A modeled error's metadata is set by the error parser (http.rs).
    let meta = svc
        .shapes
        .get(owner)
        .is_some_and(|s| s.error.is_some())
        .then(|| quote!(meta: ::std::default::Default::default(),));
    quote! {
        #(#slots)*
        #(#bound_slots)*
        #lookup
        Ok(#ty { #(#fields)* #meta })
    }
}

fn deserialize_output(svc: &Service, op: &Operation, def: &StructDef<'_>) -> TokenStream {
    let f = names::deserialize_output(op);
    let module = names::operation_module(op);
    let op = &op.names.module;
    let ty = names::ident(&def.rust_name);
    let doc = format!("Parse the JSON body of a [`{0}`](crate::operation::{1}::{0}); members bound to headers or the status are left unset.", def.rust_name, names::unraw(op));
    let doc = docs::lines(&doc);
    let body = read_struct_body(
        svc,
        def.model_name(),
        quote!(crate::operation::#module::#ty),
        def.members(),
        false,
        &[],
    );
    let uses_body = def.members().iter().any(|m| m.location == Location::Body);
    // An output without body members does not read the body: it is empty,
    // or it is the payload, which is not necessarily JSON.
    let (param, object) = if uses_body {
        (
            quote!(body),
            quote! {
                let value = json::parse(body)?;
                let object = json::read_object(&value)?;
            },
        )
    } else {
        (quote!(_body), quote!())
    };
    quote! {
        #doc
        pub fn #f(#param: &[u8]) -> Result<crate::operation::#module::#ty, DeserializeError> {
            #object
            #body
        }
    }
}

fn read_shape(svc: &Service, name: &str) -> Option<TokenStream> {
    let shape = svc.shape(name);
    let f = read_fn(svc, name);
    let t = value_type(svc, name);
    Some(match &shape.kind {
        ShapeKind::Structure(ms) => {
            let body = read_struct_body(svc, name, t.clone(), ms, false, &[]);
            let object = if ms.is_empty() {
                quote!(_object)
            } else {
                quote!(object)
            };
            quote! {
                pub(crate) fn #f(value: &Value) -> Result<#t, DeserializeError> {
                    let #object = json::read_object(value)?;
                    #body
                }
            }
        }
        ShapeKind::Union(ms) => {
            let arms = ms.iter().map(|m| {
                let var = names::variant(m);
                let key = json_name(m);
                let label = m.name.as_str();
                let read = read_field(svc, m);
                quote! { #key => #t::#var(#read.map_err(|e| e.at(#label))?), }
            });
            quote! {
                pub(crate) fn #f(value: &Value) -> Result<#t, DeserializeError> {
                    let object = json::read_object(value)?;
                    let mut set = object.iter().filter(|(key, value)| !value.is_null() && key.as_str() != "__type");
                    let Some((key, value)) = set.next() else {
                        return Err(DeserializeError::new("a union has no member set"));
                    };
                    if set.next().is_some() {
                        return Err(DeserializeError::new("a union has more than one member set"));
                    }
                    Ok(match key.as_str() {
                        #(#arms)*
                        _ => #t::Unknown,
                    })
                }
            }
        }
        ShapeKind::List { member, sparse } => {
            let read = read_value(svc, member, quote!(item));
            let push = if *sparse {
                quote! { out.push(if item.is_null() { None } else { Some(#read.map_err(|e| e.at(format!("[{i}]")))?) }); }
            } else {
                quote! { if !item.is_null() { out.push(#read.map_err(|e| e.at(format!("[{i}]")))?); } }
            };
            quote! {
                pub(crate) fn #f(value: &Value) -> Result<#t, DeserializeError> {
                    let items = json::read_array(value)?;
                    let mut out = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        #push
                    }
                    Ok(out)
                }
            }
        }
        ShapeKind::Map { value, sparse, .. } => {
            let read = read_value(svc, value, quote!(item));
            let insert = if *sparse {
                quote! { out.insert(key.clone(), if item.is_null() { None } else { Some(#read.map_err(|e| e.at(key.as_str()))?) }); }
            } else {
                quote! { if !item.is_null() { out.insert(key.clone(), #read.map_err(|e| e.at(key.as_str()))?); } }
            };
            quote! {
                pub(crate) fn #f(value: &Value) -> Result<#t, DeserializeError> {
                    let entries = json::read_object(value)?;
                    let mut out = ::std::collections::HashMap::with_capacity(entries.len());
                    for (key, item) in entries {
                        #insert
                    }
                    Ok(out)
                }
            }
        }
        _ => return None,
    })
}
