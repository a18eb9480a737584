//! restJson1 HTTP bindings: each operation's request (method, URI with
//! percent-encoded labels, query, headers, body) and the parsing of its
//! responses and errors.
//!
//! Adds `src/protocol/http.rs` with, per operation:
//! `serialize_<op>_request(&Input) -> Result<HttpRequest, SerializeError>`,
//! `deserialize_<op>_response(&HttpResponse) -> Result<Output, DeserializeError>`
//! (with a second argument, the body stream, when the output is an event
//! stream: see `events.rs`) and `deserialize_<op>_error(&HttpResponse, ErrorMetadata) -> <Op>Error`.
//! Body members go through `json.rs`.
//!
//! The body of a request is the JSON object of its body members when the
//! input has any (`{}` when none is set), and empty otherwise, as botocore
//! sends it. Default timestamp formats: `date-time` in labels and query,
//! `http-date` in headers. Idempotency tokens are serialized as set: the
//! client's `send` fills the unset ones from the config's provider first.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{add_protocol_module, OperationStructs, StructDef};
use super::runtime_api::{
    BODY_STREAM, DATE_TIME, DESERIALIZE_ERROR, ENCODE, ERROR_METADATA, EVENT_RECEIVER, FORMAT,
    HTTP_REQUEST, HTTP_RESPONSE, JSON, JSON_VALUE, METHOD, SERIALIZE_ERROR, UNHANDLED_ERROR,
};
use super::rust_type::{is_optional, value_type};
use super::{docs, Files};
use crate::ir::{Location, Member, Operation, Service, ShapeKind, TimestampFormat};
use crate::names;
use crate::resolve::{Method, Piece, Request, Resolved};

/// Emit the HTTP bindings.
pub fn emit(svc: &Resolved, operations: &[OperationStructs<'_>], files: &mut Files) {
    let mut items = Vec::new();
    for o in operations {
        // Resolve made a request for every operation, or stopped.
        if let Some(req) = svc.requests.get(&o.op.name) {
            items.push(request(svc, o.op, req, &o.input));
        }
        items.push(response(svc, o.op, &o.output));
        items.push(error(svc, o.op));
    }
    add_protocol_module(
        files,
        "http",
        "HTTP requests and responses of every operation (restJson1).",
        &[
            ENCODE,
            ERROR_METADATA,
            HTTP_REQUEST,
            HTTP_RESPONSE,
            METHOD,
            UNHANDLED_ERROR,
            SERIALIZE_ERROR,
            JSON,
            DESERIALIZE_ERROR,
            DATE_TIME,
            FORMAT,
        ],
        &items,
    );
}

/// Statements that set the request's host prefix, its `{label}`s filled
/// from the input's `@hostLabel` members (each checked to be one DNS label).
fn host_prefix(template: &[Piece], members: &[Member]) -> TokenStream {
    let mut parts = Vec::new();
    for piece in template {
        let m = match piece {
            Piece::Literal(literal) => {
                parts.push(push_literal(&quote!(prefix), literal));
                continue;
            }
            Piece::Label { member, .. } => &members[*member],
        };
        let field = names::field_ident(m);
        let name = m.name.as_str();
        parts.push(quote! {
            let value = input.#field.as_deref().ok_or_else(|| SerializeError::new(#name, "it is bound to the endpoint host and must be set"))?;
            prefix.push_str(encode::host_label(value).map_err(|e| SerializeError::new(#name, e))?);
        });
    }
    quote! {
        let mut prefix = String::new();
        #(#parts)*
        request.set_host_prefix(prefix);
    }
}

/// The path of `ty`, a type of operation `op`'s module.
fn io_type(op: &Operation, ty: proc_macro2::Ident) -> TokenStream {
    let module = names::operation_module(op);
    quote!(crate::operation::#module::#ty)
}

/// The text of a scalar in a label, query or header: an expression that is
/// either a `&str` borrowed from the input (strings and enums, no copy) or an
/// owned `String` (numbers, timestamps, base64).
struct Text {
    expr: TokenStream,
    borrowed: bool,
}

impl Text {
    /// The text as a `&str` argument.
    fn arg(&self) -> TokenStream {
        let e = &self.expr;
        if self.borrowed {
            quote!(#e)
        } else {
            quote!(&#e)
        }
    }
}

/// The text of a scalar `value: &T` (timestamps may fail: `?`-ed into a
/// `SerializeError`).
fn scalar_text(
    svc: &Service,
    m: &Member,
    target: &str,
    value: TokenStream,
    default: TimestampFormat,
) -> Text {
    let label = m.name.as_str();
    let owned = |expr| Text {
        expr,
        borrowed: false,
    };
    match &svc.shape(target).kind {
        ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
            if m.media_type.is_some() && matches!(m.location, Location::Header(_)) {
                owned(quote!(json::base64_encode(#value.as_bytes())))
            } else {
                Text {
                    expr: quote!(#value.as_str()),
                    borrowed: true,
                }
            }
        }
        ShapeKind::Enum(_) => Text {
            expr: quote!(#value.as_str()),
            borrowed: true,
        },
        ShapeKind::Timestamp(_) => {
            let f = super::rust_type::timestamp_format(svc, m, default);
            owned(quote!(#value.fmt(#f).map_err(|e| SerializeError::new(#label, e.to_string()))?))
        }
        ShapeKind::Blob { .. } => owned(quote!(json::base64_encode(#value.as_ref()))),
        ShapeKind::Double => owned(quote!(json::float_text(*#value))),
        ShapeKind::Float => owned(quote!(json::float_text(json::widen_f32(*#value)))),
        _ => owned(quote!(#value.to_string())),
    }
}

fn request(svc: &Service, op: &Operation, req: &Request, input: &StructDef<'_>) -> TokenStream {
    let f = names::serialize_request(op);
    let ty = io_type(op, names::input(op));
    let method = match req.method {
        Method::Get => quote!(Method::Get),
        Method::Post => quote!(Method::Post),
        Method::Put => quote!(Method::Put),
        Method::Delete => quote!(Method::Delete),
        Method::Patch => quote!(Method::Patch),
        Method::Head => quote!(Method::Head),
    };
    let members = input.members();
    let path = path_builder(svc, &req.uri, members);
    let mut steps = Vec::new();
    for m in members {
        let field = names::field_ident(m);
        match &m.location {
            Location::Query(name) => {
                let shape = svc.shape(&m.target);
                let put = match &shape.kind {
                    ShapeKind::List { member, .. } => {
                        let text = scalar_text(
                            svc,
                            m,
                            &member.target,
                            quote!(item),
                            TimestampFormat::DateTime,
                        );
                        let text = text.arg();
                        quote! { for item in value { request.query_param(#name, #text); } }
                    }
                    _ => {
                        let text = scalar_text(
                            svc,
                            m,
                            &m.target,
                            quote!(value),
                            TimestampFormat::DateTime,
                        );
                        let text = text.arg();
                        quote! { request.query_param(#name, #text); }
                    }
                };
                steps.push(when_set(&field, put));
            }
            Location::QueryParams => {
                let names_taken: Vec<&str> = members
                    .iter()
                    .filter_map(|m| {
                        if let Location::Query(n) = &m.location {
                            Some(n.as_str())
                        } else {
                            None
                        }
                    })
                    .collect();
                let put = match &svc.shape(&m.target).kind {
                    ShapeKind::Map { value, .. }
                        if matches!(svc.shape(&value.target).kind, ShapeKind::List { .. }) =>
                    {
                        quote! { for item in items { request.query_param(key, item); } }
                    }
                    _ => quote! { request.query_param(key, items); },
                };
                steps.push(quote! {
                    if let Some(value) = &input.#field {
                        let mut entries: Vec<_> = value.iter().collect();
                        entries.sort_by(|a, b| a.0.cmp(b.0));
                        for (key, items) in entries {
                            // A parameter bound to its own member takes precedence.
                            if [#(#names_taken),*].contains(&key.as_str()) {
                                continue;
                            }
                            #put
                        }
                    }
                });
            }
            Location::Header(name) => {
                let shape = svc.shape(&m.target);
                let text = match &shape.kind {
                    ShapeKind::List { member, .. } => {
                        let item = scalar_text(
                            svc,
                            m,
                            &member.target,
                            quote!(item),
                            TimestampFormat::HttpDate,
                        );
                        // HTTP dates hold a comma of their own, and are never quoted.
                        let quoted =
                            if matches!(svc.shape(&member.target).kind, ShapeKind::Timestamp(_)) {
                                item.expr
                            } else {
                                let item = item.arg();
                                quote!(json::header_list_item(#item))
                            };
                        quote! {
                            value.iter().map(|item| Ok::<_, SerializeError>(#quoted)).collect::<Result<Vec<_>, _>>()?.join(", ")
                        }
                    }
                    _ => {
                        scalar_text(svc, m, &m.target, quote!(value), TimestampFormat::HttpDate)
                            .expr
                    }
                };
                steps.push(when_set(
                    &field,
                    quote! { request.set_header(#name, #text); },
                ));
            }
            Location::PrefixHeaders(prefix) => {
                steps.push(quote! {
                    if let Some(value) = &input.#field {
                        let mut entries: Vec<_> = value.iter().collect();
                        entries.sort_by(|a, b| a.0.cmp(b.0));
                        for (key, item) in entries {
                            request.set_header(&format!("{}{}", #prefix, key), item.as_str());
                        }
                    }
                });
            }
            // The body goes first, so that a member bound to `Content-Type` wins.
            Location::Payload => steps.insert(0, payload(svc, m, &field)),
            // Event members live in event messages, not in the request; the
            // client's `send` hands an input's event stream to the request.
            Location::Label(_)
            | Location::Body
            | Location::StatusCode
            | Location::EventHeader
            | Location::EventPayload
            | Location::EventStream => {}
        }
    }
    let has_body_members = members.iter().any(|m| m.location == Location::Body);
    if has_body_members {
        let ser = names::serialize_input(op);
        steps.insert(
            0,
            quote! {
                request.set_body(crate::protocol::json::#ser(input), "application/json");
            },
        );
    }
    steps.extend(req.host_prefix.as_deref().map(|t| host_prefix(t, members)));
    let doc = docs::lines(&format!(
        "The HTTP request of {}: {}.",
        docs::code(&op.name),
        docs::code(&format!("{} {}", op.http.method, op.http.uri))
    ));
    let input_name = if members.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    let mut_request = if steps.is_empty() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    quote! {
        #doc
        pub fn #f(#input_name: &#ty) -> Result<HttpRequest, SerializeError> {
            #path
            let #mut_request = HttpRequest::new(#method, path);
            #(#steps)*
            Ok(request)
        }
    }
}

/// `body` run with `value` bound to the member's value when it is set.
fn when_set(field: &proc_macro2::Ident, body: TokenStream) -> TokenStream {
    quote! { if let Some(value) = &input.#field { #body } }
}

/// A statement appending `literal` to the `String` named `to`.
fn push_literal(to: &TokenStream, literal: &str) -> TokenStream {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => quote! { #to.push(#c); },
        _ => quote! { #to.push_str(#literal); },
    }
}

/// Statements that build `path` from the URI template and the label members.
fn path_builder(svc: &Service, uri: &[Piece], members: &[Member]) -> TokenStream {
    let mut parts = Vec::new();
    for piece in uri {
        let (m, greedy) = match piece {
            Piece::Literal(literal) => {
                parts.push(push_literal(&quote!(path), literal));
                continue;
            }
            Piece::Label { member, greedy } => (&members[*member], *greedy),
        };
        let field = names::field_ident(m);
        let name = m.name.as_str();
        let text = scalar_text(svc, m, &m.target, quote!(value), TimestampFormat::DateTime);
        let arg = if text.borrowed {
            quote!(text)
        } else {
            quote!(&text)
        };
        let text = text.expr;
        let encode = if greedy {
            quote!(encode::greedy_label)
        } else {
            quote!(encode::label)
        };
        parts.push(quote! {
            let value = input.#field.as_ref().ok_or_else(|| SerializeError::new(#name, "it is bound to the URI and must be set"))?;
            let text = #text;
            if text.is_empty() {
                return Err(SerializeError::new(#name, "it is bound to the URI and must not be empty"));
            }
            path.push_str(&#encode(#arg));
        });
    }
    quote! {
        let mut path = String::new();
        #(#parts)*
    }
}

fn payload(svc: &Service, m: &Member, field: &proc_macro2::Ident) -> TokenStream {
    let shape = svc.shape(&m.target);
    let media = m.media_type.clone();
    match &shape.kind {
        ShapeKind::Blob { .. } => {
            let ct = media.unwrap_or_else(|| "application/octet-stream".into());
            quote! { if let Some(value) = &input.#field { request.set_body(value.as_ref().to_vec(), #ct); } }
        }
        ShapeKind::String | ShapeKind::Enum(_) => {
            let ct = media.unwrap_or_else(|| "text/plain".into());
            quote! { if let Some(value) = &input.#field { request.set_body(value.as_str().as_bytes().to_vec(), #ct); } }
        }
        // A structure, union or document (what else resolve lets a payload
        // be). Unset, the payload is an empty JSON object, as botocore's
        // RestJSONSerializer sends it (`_serialize_empty_body`).
        _ => {
            let write = super::json::payload_writer(svc, m);
            quote! {
                match &input.#field {
                    Some(value) => request.set_body(#write, "application/json"),
                    None => request.set_body(&b"{}"[..], "application/json"),
                };
            }
        }
    }
}

/// A statement that reads member `m` of `target` (an output or an error)
/// from the response's headers or status, if it is bound to them.
fn bound_read(svc: &Service, m: &Member, target: &TokenStream) -> Option<TokenStream> {
    let field = names::field_ident(m);
    let name = m.name.as_str();
    let optional = is_optional(m, false);
    let wrap = |v: TokenStream| if optional { quote!(Some(#v)) } else { v };
    Some(match &m.location {
        Location::Header(header) => {
            let parse = header_parse(svc, m);
            let set = wrap(quote!(value));
            quote! {
                if let Some(text) = response.header(#header) {
                    let value = #parse.map_err(|e| e.at(#name))?;
                    #target.#field = #set;
                }
            }
        }
        Location::PrefixHeaders(prefix) => {
            let lower = prefix.to_ascii_lowercase();
            let set = wrap(quote!(map));
            quote! {
                let map: ::std::collections::HashMap<String, String> = response
                    .headers()
                    .iter()
                    .filter_map(|(k, v)| {
                        let lower = k.to_ascii_lowercase();
                        lower.strip_prefix(#lower).map(|rest| (k[k.len() - rest.len()..].to_string(), v.clone()))
                    })
                    .collect();
                if !map.is_empty() {
                    #target.#field = #set;
                }
            }
        }
        Location::StatusCode => {
            let set = wrap(quote!(i32::from(response.status())));
            quote! { #target.#field = #set; }
        }
        _ => return None,
    })
}

fn response(svc: &Service, op: &Operation, output: &StructDef<'_>) -> TokenStream {
    let f = names::deserialize_response(op);
    let body_fn = names::deserialize_output(op);
    let ty = io_type(op, names::output(op));
    let mut steps = Vec::new();
    for m in output.members() {
        let field = names::field_ident(m);
        let name = m.name.as_str();
        if let Some(read) = bound_read(svc, m, &quote!(output)) {
            steps.push(read);
        }
        if m.location == Location::Payload {
            let shape = svc.shape(&m.target);
            let read = match &shape.kind {
                // An empty payload is an absent one.
                ShapeKind::Blob { .. } => quote! {
                    (!response.body().is_empty()).then(|| crate::primitives::Blob::new(response.body().to_vec()))
                },
                ShapeKind::String => quote! {
                    if response.body().is_empty() {
                        None
                    } else {
                        Some(String::from_utf8(response.body().to_vec()).map_err(|e| DeserializeError::new(e.to_string()).at(#name))?)
                    }
                },
                ShapeKind::Enum(_) => {
                    let t = value_type(svc, &m.target);
                    quote! {
                        (!response.body().is_empty()).then(|| #t::from(String::from_utf8_lossy(response.body()).as_ref()))
                    }
                }
                _ => {
                    let read = super::json::payload_reader(svc, m);
                    quote! {
                        if response.body().is_empty() { None } else { Some(#read.map_err(|e| e.at(#name))?) }
                    }
                }
            };
            // A payload field is always an `Option` (see `rust_type::is_optional`).
            steps.push(quote! {
                output.#field = #read;
            });
        }
    }
    let doc = docs::lines(&format!(
        "Parse a successful response of {}.",
        docs::code(&op.name)
    ));
    let mut_output = if steps.is_empty() {
        quote!(output)
    } else {
        quote!(mut output)
    };
    if let Some(stream) = output.event_stream() {
        // The body is the stream; every other member is bound to a header or
        // the status (the loader checks it), so starts unset.
        let unmarshal = super::events::unmarshal_fn(svc.shape(&stream.target));
        let fields = output.members().iter().map(|m| {
            let field = names::field_ident(m);
            if m.location == Location::EventStream {
                quote!(#field: #EVENT_RECEIVER::new(body, #unmarshal),)
            } else {
                quote!(#field: None,)
            }
        });
        let response = if steps.is_empty() {
            quote!(_response)
        } else {
            quote!(response)
        };
        let doc = docs::lines(&format!(
            "Parse a successful response of {}: its headers, and its body as a stream of events.",
            docs::code(&op.name)
        ));
        return quote! {
            #doc
            pub fn #f(#response: &HttpResponse, body: Box<dyn #BODY_STREAM>) -> Result<#ty, DeserializeError> {
                let #mut_output = #ty { #(#fields)* };
                #(#steps)*
                Ok(output)
            }
        };
    }
    quote! {
        #doc
        pub fn #f(response: &HttpResponse) -> Result<#ty, DeserializeError> {
            let #mut_output = crate::protocol::json::#body_fn(response.body())?;
            #(#steps)*
            Ok(output)
        }
    }
}

/// An expression of type `Result<T, DeserializeError>` reading header `text: &str`.
fn header_parse(svc: &Service, m: &Member) -> TokenStream {
    let one = |target: &str, text: TokenStream| -> TokenStream {
        let shape = svc.shape(target);
        match &shape.kind {
            ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                if m.media_type.is_some() {
                    quote!(json::base64_decode_text(#text))
                } else {
                    quote!(Ok::<_, DeserializeError>(#text.to_string()))
                }
            }
            ShapeKind::Enum(_) => {
                let t = value_type(svc, target);
                quote!(Ok::<_, DeserializeError>(#t::from(#text)))
            }
            ShapeKind::Timestamp(_) => {
                let f = super::rust_type::timestamp_format(svc, m, TimestampFormat::HttpDate);
                quote!(DateTime::from_str(#text, #f).map_err(|e| DeserializeError::new(e.to_string())))
            }
            ShapeKind::Blob { .. } => {
                quote!(json::read_blob(&#JSON_VALUE::String(#text.to_string())))
            }
            ShapeKind::Boolean => quote!(json::parse_header_value::<bool>(#text)),
            ShapeKind::Float | ShapeKind::Double => {
                let t = value_type(svc, target);
                quote!(json::parse_header_float(#text).map(|v| v as #t))
            }
            _ => {
                let t = value_type(svc, target);
                quote!(json::parse_header_value::<#t>(#text))
            }
        }
    };
    match &svc.shape(&m.target).kind {
        ShapeKind::List { member, .. } => {
            let item = one(&member.target, quote!(item.as_str()));
            let format = m.timestamp_format.or(match svc.shape(&member.target).kind {
                ShapeKind::Timestamp(f) => f,
                _ => None,
            });
            let split = match svc.shape(&member.target).kind {
                ShapeKind::Timestamp(_)
                    if format.unwrap_or(TimestampFormat::HttpDate) == TimestampFormat::HttpDate =>
                {
                    quote!(json::split_http_date_list)
                }
                _ => quote!(json::split_header_list),
            };
            quote! {
                #split(text).iter().map(|item| #item).collect::<Result<Vec<_>, _>>()
            }
        }
        _ => one(&m.target, quote!(text)),
    }
}

fn error(svc: &Service, op: &Operation) -> TokenStream {
    let f = names::deserialize_error(op);
    let ty = io_type(op, names::error_enum(op));
    let arms = op.errors.iter().filter_map(|e| {
        let shape = svc.shape(e);
        // `load::validate`: every error an operation lists has the trait.
        let code = &shape.error.as_ref()?.code;
        let var = names::type_ident(shape);
        let read = names::error_parser(shape);
        let reads: Vec<TokenStream> = shape
            .members()
            .iter()
            .filter_map(|m| bound_read(svc, m, &quote!(error)))
            .collect();
        // The modeled error keeps the response's code, message and request
        // id (`meta()`), as aws-sdk's do.
        Some(if reads.is_empty() {
            quote! {
                Some(#code) => crate::protocol::json::#read(response.body())
                    .map(|mut error| {
                        error.meta = meta.clone();
                        #ty::#var(error)
                    }),
            }
        } else {
            quote! {
                Some(#code) => crate::protocol::json::#read(response.body())
                    .and_then(|mut error| {
                        #(#reads)*
                        error.meta = meta.clone();
                        Ok(error)
                    })
                    .map(#ty::#var),
            }
        })
    });
    let doc = docs::lines(&format!(
        "Parse an error response of {} into its typed error; codes the model does not list become `Unhandled`.",
        docs::code(&op.name)
    ));
    if op.errors.is_empty() {
        return quote! {
            #doc
            pub fn #f(response: &HttpResponse, meta: ErrorMetadata) -> #ty {
                #ty::Unhandled(UnhandledError::new(response.status(), meta))
            }
        };
    }
    quote! {
        #doc
        pub fn #f(response: &HttpResponse, meta: ErrorMetadata) -> #ty {
            let parsed = match meta.code() {
                #(#arms)*
                _ => return #ty::Unhandled(UnhandledError::new(response.status(), meta)),
            };
            parsed.unwrap_or_else(|e| #ty::Unhandled(UnhandledError::new(response.status(), meta).with_source(e)))
        }
    }
}
