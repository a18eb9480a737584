//! Each operation's error type: one variant per error the model lists for
//! it, and `Unhandled` for everything else (an unlisted code, a body that
//! does not parse, a failure before any response).
//!
//! Adds `<Op>Error` to `src/operation/<op>.rs`, and `<Stream>Error` (the
//! exceptions an event stream may carry) to `src/types/error/`.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime_api::{BOX_ERROR, REQUEST_ID};
use super::{add_rust, docs, Files};
use crate::ir::Service;
use crate::names;
use crate::resolve::Resolved;

/// Emit every operation's error type, and the error type of every event
/// stream (its exceptions, in `src/types/error/<stream>_error.rs`).
pub fn emit(svc: &Resolved, files: &mut Files) {
    for op in &svc.operations {
        let doc = format!(
            "An error of {}: one of the errors the model lists for it, or `Unhandled`.",
            docs::code(&op.name)
        );
        let errors: Vec<&str> = op.errors.iter().map(String::as_str).collect();
        add_rust(
            files,
            &super::common::operation_path(op),
            error_enum(svc, &op.names.error, &doc, &errors),
        );
    }
    for stream in svc.shapes.values().filter(|s| s.event_stream) {
        let name = names::event_stream_error(&stream.rust_name);
        let doc = format!(
            "An error in the event stream {}: one of its modeled exceptions, or `Unhandled` \
             (an error message the model does not list).",
            docs::code(&stream.name)
        );
        let errors: Vec<&str> = svc
            .stream_exceptions(stream)
            .into_iter()
            .map(|m| m.target.as_str())
            .collect();
        add_rust(
            files,
            &super::common::error_type_path(&name),
            error_enum(svc, &name, &doc, &errors),
        );
    }
    if !svc.operations.is_empty() {
        add_rust(files, "src/error_meta.rs", service_error(svc));
    }
}

/// The service-wide `Error`: a variant per error any operation lists, and
/// `Unhandled`; `From` every operation's error and `SdkError`, so `?` works
/// in a function returning `Result<_, crate::Error>` (as in aws-sdk).
fn service_error(svc: &Service) -> TokenStream {
    let mut shapes: Vec<&crate::ir::Shape> = svc
        .operations
        .iter()
        .flat_map(|op| op.errors.iter().map(|e| svc.shape(e)))
        .collect();
    shapes.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    shapes.dedup_by(|a, b| a.rust_name == b.rust_name);
    let vars: Vec<_> = shapes.iter().map(|s| names::type_ident(s)).collect();
    let variants = shapes.iter().zip(&vars).map(|(shape, var)| {
        let ty = super::rust_type::named(shape);
        let doc = docs::lines(&format!("The {} error.", docs::code(&shape.name)));
        quote! { #doc #var(#ty), }
    });
    let froms = svc.operations.iter().map(|op| {
        let module = names::operation_module(op);
        let err = names::error_enum(op);
        let ty = quote!(crate::operation::#module::#err);
        let arms = op.errors.iter().map(|e| {
            let var = names::type_ident(svc.shape(e));
            quote! { #ty::#var(e) => Error::#var(e), }
        });
        quote! {
            impl From<#ty> for Error {
                fn from(err: #ty) -> Self {
                    match err {
                        #(#arms)*
                        #ty::Unhandled(e) => Error::Unhandled(e),
                    }
                }
            }

            impl<R> From<crate::error::SdkError<#ty, R>> for Error
            where
                R: ::std::fmt::Debug + Send + Sync + 'static,
            {
                fn from(err: crate::error::SdkError<#ty, R>) -> Self {
                    match err {
                        crate::error::SdkError::ServiceError(e) => Error::from(e.into_err()),
                        other => Error::Unhandled(crate::error::UnhandledError::from_source(other)),
                    }
                }
            }
        }
    });
    quote! {
        /// Every error of this service: a variant per modeled error, and
        /// `Unhandled` for the rest (failures before a response, unlisted
        /// codes). Every operation's error and `SdkError` converts into it with `?`.
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum Error {
            #(#variants)*
            /// An error no operation lists, or a failure without an error response
            /// (its `source()` is the `SdkError`).
            Unhandled(crate::error::UnhandledError),
        }

        impl Error {
            /// The error code, message and request id.
            pub fn meta(&self) -> &crate::error::ErrorMetadata {
                match self {
                    #(Error::#vars(e) => &e.meta,)*
                    Error::Unhandled(e) => e.meta(),
                }
            }
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(Error::#vars(e) => e.fmt(f),)*
                    Error::Unhandled(e) => e.fmt(f),
                }
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(Error::#vars(e) => e.source(),)*
                    Error::Unhandled(e) => e.source(),
                }
            }
        }

        impl crate::error::ProvideErrorMetadata for Error {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                Error::meta(self)
            }
        }

        impl #REQUEST_ID for Error {
            fn request_id(&self) -> Option<&str> {
                Error::meta(self).request_id()
            }
        }

        impl From<crate::error::BuildError> for Error {
            fn from(err: crate::error::BuildError) -> Self {
                Error::Unhandled(crate::error::UnhandledError::from_source(err))
            }
        }

        #(#froms)*
    }
}

/// An error enum named `name`: a variant per error shape in `errors`, and
/// `Unhandled`.
fn error_enum(svc: &Service, name: &str, doc: &str, errors: &[&str]) -> TokenStream {
    let name = names::ident(name);
    let mut variants = Vec::new();
    let mut checks = Vec::new();
    let mut codes = Vec::new();
    let mut messages = Vec::new();
    let mut displays = Vec::new();
    let mut sources = Vec::new();
    let mut metas = Vec::new();
    for e in errors {
        let shape = svc.shape(e);
        // `load::validate`: every error an operation or stream lists has the trait.
        let Some(error) = &shape.error else { continue };
        let var = names::type_ident(shape);
        let ty = super::rust_type::named(shape);
        let doc = docs::attrs(
            shape.documentation.as_deref(),
            &format!("The {} error.", docs::code(&shape.name)),
        );
        variants.push(quote! { #doc #var(#ty), });
        let is = names::is_error(shape);
        let is_doc = docs::lines(&format!("Whether this is a {}.", docs::code(&shape.name)));
        checks.push(quote! {
            #is_doc
            pub fn #is(&self) -> bool {
                matches!(self, #name::#var(_))
            }
        });
        let code = &error.code;
        codes.push(quote! { #name::#var(_) => Some(#code), });
        let message = svc.error_message(shape).map(|m| {
            let f = names::field_ident(m);
            if super::rust_type::is_optional(m, false) {
                quote!(e.#f.as_deref())
            } else {
                quote!(Some(e.#f.as_str()))
            }
        });
        match message {
            Some(m) => messages.push(quote! { #name::#var(e) => #m, }),
            None => messages.push(quote! { #name::#var(_) => None, }),
        }
        displays.push(quote! { #name::#var(e) => e.fmt(f), });
        // `Display` is the variant's own: its source is the variant's source.
        sources.push(quote! { #name::#var(e) => e.source(), });
        metas.push(quote! { #name::#var(e) => &e.meta, });
    }
    let doc = docs::lines(doc);
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not list for this operation, or one whose body could not be parsed;
            /// it keeps the status, code, message and request id.
            Unhandled(crate::error::UnhandledError),
        }

        impl #name {
            #(#checks)*

            /// Whether this is an error the model does not list.
            pub fn is_unhandled(&self) -> bool {
                matches!(self, #name::Unhandled(_))
            }

            /// The error code, e.g. `ValidationException`.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#codes)*
                    #name::Unhandled(e) => e.code(),
                }
            }

            /// The error message, if the service sent one.
            pub fn message(&self) -> Option<&str> {
                match self {
                    #(#messages)*
                    #name::Unhandled(e) => e.message(),
                }
            }

            /// The error code, message and request id of the response.
            pub fn meta(&self) -> &crate::error::ErrorMetadata {
                match self {
                    #(#metas)*
                    #name::Unhandled(e) => e.meta(),
                }
            }

            /// The `Unhandled` variant caused by `err` (as aws-sdk's `unhandled`).
            pub fn unhandled(err: impl Into<#BOX_ERROR>) -> Self {
                #name::Unhandled(crate::error::UnhandledError::from_source(err))
            }

            /// The `Unhandled` variant with metadata `meta` (as aws-sdk's `generic`).
            pub fn generic(meta: crate::error::ErrorMetadata) -> Self {
                #name::Unhandled(crate::error::UnhandledError::from_meta(meta))
            }
        }

        impl crate::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                #name::meta(self)
            }
        }

        impl #REQUEST_ID for #name {
            fn request_id(&self) -> Option<&str> {
                #name::meta(self).request_id()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#displays)*
                    #name::Unhandled(e) => e.fmt(f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#sources)*
                    #name::Unhandled(e) => e.source(),
                }
            }
        }

        impl From<crate::error::UnhandledError> for #name {
            fn from(e: crate::error::UnhandledError) -> Self {
                #name::Unhandled(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::testing;

    #[test]
    fn the_error_enum_the_parser_and_the_retries_use_one_wire_code() {
        // botocore's `error_code`: the modeled code (`error.code`, from
        // Smithy's `awsQueryError`), else the shape's name.
        let mut files = testing::generate(json!({
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"},
                      "errors": [{"target": "ex#Coded"}, {"target": "ex#Plain"}, {"target": "ex#Slow"}],
                      "traits": {"smithy.api#http": {"method": "POST", "uri": "/"}}},
            "ex#In": {"type": "structure", "members": {}},
            "ex#Coded": {"type": "structure", "members": {},
                         "traits": {"smithy.api#error": "server", "smithy.api#retryable": {},
                                    "aws.protocols#awsQueryError": {"code": "Coded.Old", "httpResponseCode": 500}}},
            "ex#Plain": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}},
            "ex#Slow": {"type": "structure", "members": {},
                        "traits": {"smithy.api#error": "client", "smithy.api#retryable": {"throttling": true}}},
        }));
        let op = files.remove("src/operation/op.rs").expect("the operation");
        let http = files
            .remove("src/protocol/http.rs")
            .expect("the HTTP bindings");
        assert!(
            op.contains("OpError::Coded(_) => Some(\"Coded.Old\")"),
            "{op}"
        );
        assert!(op.contains("OpError::Plain(_) => Some(\"Plain\")"), "{op}");
        assert!(
            op.contains("retryable_errors: &[\"Coded.Old\", \"Slow\"]"),
            "{op}"
        );
        assert!(op.contains("throttling_errors: &[\"Slow\"]"), "{op}");
        assert!(http.contains("Some(\"Coded.Old\") =>"), "{http}");
        assert!(http.contains("Some(\"Plain\") =>"), "{http}");
        for file in [&op, &http] {
            assert!(!file.contains("Some(\"Coded\")"), "{file}");
        }
    }
}
