//! Types: a Rust struct per structure, a Rust enum per string enum and per
//! union, with docs, getters and a `Debug` that redacts sensitive members.
//!
//! Adds `src/types/<type>.rs` for shared types, `src/types/error/<type>.rs`
//! for error structures, and the input and output types to
//! `src/operation/<op>.rs`. Builders come from `builders.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{derives_clone, is_error, member_doc, type_path, OperationStructs, StructDef};
use super::docs;
use super::runtime_api::{
    ERROR_METADATA, PROVIDE_ERROR_METADATA, REDACTED, REQUEST_ID, WRITE_ERROR,
};
use super::rust_type::{field_type, value_type};
use super::{add_rust, builders, Files};
use crate::ir::{EnumValue, Member, Service, Shape, ShapeKind, ShapeModule};
use crate::names;
use crate::resolve::Resolved;

/// Emit every type.
pub fn emit(svc: &Resolved, operations: &[OperationStructs<'_>], files: &mut Files) {
    for shape in svc.shapes.values() {
        if shape.module == ShapeModule::None {
            continue;
        }
        let tokens = match &shape.kind {
            ShapeKind::Structure(_) => {
                let def = StructDef {
                    shape: Some(shape),
                    rust_name: shape.rust_name.clone(),
                    is_input: false,
                    fallback_doc: format!("The {} structure.", docs::code(&shape.name)),
                };
                let mut t = structure(svc, &def);
                if shape.error.is_some() {
                    t.extend(error_impls(svc, &def));
                }
                t.extend(builders::builder(svc, &def));
                t
            }
            ShapeKind::Enum(values) => string_enum(shape, values),
            ShapeKind::Union(members) => union(svc, shape, members),
            _ => continue,
        };
        add_rust(files, &type_path(shape), tokens);
    }
    for o in operations {
        for def in [&o.input, &o.output] {
            let mut t = structure(svc, def);
            t.extend(builders::builder(svc, def));
            add_rust(files, &o.path, t);
        }
    }
}

fn structure(svc: &Service, def: &StructDef<'_>) -> TokenStream {
    let name = names::ident(&def.rust_name);
    let doc = docs::attrs(
        def.shape.and_then(|s| s.documentation.as_deref()),
        &def.fallback_doc,
    );
    let members = def.members();
    let fields = members.iter().map(|m| {
        let f = names::field_ident(m);
        let t = field_type(svc, m, def.is_input);
        let doc = member_doc(svc, m);
        let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
        quote! { #doc #deprecated pub #f: #t, }
    });
    // An error keeps the response's code, message and request id (errors.rs).
    let meta = is_error(def).then(|| quote!(pub(crate) meta: #ERROR_METADATA,));
    let getters = members.iter().map(|m| getter(svc, def, m));
    let builder = names::builder_ident(&def.rust_name);
    let empty = super::builders::empty(&builder, def.members());
    let builder_doc = format!("A builder for [`{}`].", def.rust_name);
    let builder_doc = docs::lines(&builder_doc);
    let sensitive_struct = def.shape.is_some_and(|s| s.sensitive);
    let any_sensitive = sensitive_struct || members.iter().any(|m| svc.is_sensitive(m));
    let derive_debug = (!any_sensitive).then(|| quote!(Debug,));
    let clone = derives_clone(def);
    let debug_impl =
        any_sensitive.then(|| debug_impl(svc, &def.rust_name, members, sensitive_struct));
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(#clone #derive_debug)]
        pub struct #name {
            #(#fields)*
            #meta
        }

        impl #name {
            #(#getters)*

            #builder_doc
            pub fn builder() -> #builder {
                #empty
            }
        }

        #debug_impl
    }
}

fn getter(svc: &Service, def: &StructDef<'_>, m: &Member) -> TokenStream {
    let f = names::field_ident(m);
    let doc = member_doc(svc, m);
    let optional = super::rust_type::is_optional(m, def.is_input);
    let boxed = m.boxed;
    let shape = svc.shape(&m.target);
    let value = super::rust_type::member_value_type(svc, m, def.is_input);
    let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
    let allow = m.deprecated.then(|| quote!(#[allow(deprecated)]));
    let (ret, body) = match (&shape.kind, optional) {
        (ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal, true) => {
            (quote!(Option<&str>), quote!(self.#f.as_deref()))
        }
        (ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal, false) => {
            (quote!(&str), quote!(&self.#f))
        }
        (ShapeKind::List { member, sparse }, opt) => {
            let elem = value_type(svc, &member.target);
            let elem = if *sparse { quote!(Option<#elem>) } else { elem };
            if opt {
                (
                    quote!(&[#elem]),
                    quote!(self.#f.as_deref().unwrap_or_default()),
                )
            } else {
                (quote!(&[#elem]), quote!(&self.#f))
            }
        }
        (kind, true) if super::rust_type::is_copy_scalar(kind) => {
            (quote!(Option<#value>), quote!(self.#f))
        }
        (kind, false) if super::rust_type::is_copy_scalar(kind) => {
            (quote!(#value), quote!(self.#f))
        }
        (_, true) if boxed => (quote!(Option<&#value>), quote!(self.#f.as_deref())),
        (_, true) => (quote!(Option<&#value>), quote!(self.#f.as_ref())),
        (_, false) => (quote!(&#value), quote!(&self.#f)),
    };
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #f(&self) -> #ret {
            #body
        }
    }
}

fn debug_impl(svc: &Service, rust_name: &str, members: &[Member], all: bool) -> TokenStream {
    let name = names::ident(rust_name);
    let fields = members.iter().map(|m| {
        let f = names::field_ident(m);
        let label = names::unraw(&m.rust_name);
        if all || svc.is_sensitive(m) {
            quote!(.field(#label, &#REDACTED))
        } else {
            quote!(.field(#label, &self.#f))
        }
    });
    let allow = members
        .iter()
        .any(|m| m.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl ::std::fmt::Debug for #name {
            #allow
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#rust_name)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

fn error_impls(svc: &Service, def: &StructDef<'_>) -> TokenStream {
    let name = names::ident(&def.rust_name);
    let model = def.model_name();
    let sensitive = def.shape.is_some_and(|s| s.sensitive);
    let display = match def.shape.and_then(|s| svc.error_message(s)) {
        Some(m) => {
            let f = names::field_ident(m);
            let value = if super::rust_type::is_optional(m, false) {
                quote!(self.#f.as_deref().unwrap_or_default())
            } else {
                quote!(self.#f.as_str())
            };
            // A sensitive message is not shown, only that there is one (as
            // smithy-rs's errors do).
            let sensitive = sensitive || svc.is_sensitive(m);
            // The model's name is written as a string, never as a format
            // string; the service's message escaped.
            quote!(#WRITE_ERROR(f, #model, #value, #sensitive))
        }
        None => quote!(f.write_str(#model)),
    };
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for #name {}

        impl #PROVIDE_ERROR_METADATA for #name {
            fn meta(&self) -> &#ERROR_METADATA {
                &self.meta
            }
        }

        impl #REQUEST_ID for #name {
            fn request_id(&self) -> Option<&str> {
                self.meta.request_id()
            }
        }
    }
}

fn string_enum(shape: &Shape, values: &[EnumValue]) -> TokenStream {
    let name = names::type_ident(shape);
    let doc = docs::attrs(
        shape.documentation.as_deref(),
        &format!("The {} enum.", docs::code(&shape.name)),
    );
    let variants = values.iter().map(|v| {
        let var = names::ident(&v.rust_name);
        let doc = docs::attrs(v.documentation.as_deref(), &docs::code(&v.value));
        quote! { #doc #var, }
    });
    let as_str = values.iter().map(|v| {
        let var = names::ident(&v.rust_name);
        let value = &v.value;
        quote! { #name::#var => #value, }
    });
    let from = values.iter().map(|v| {
        let var = names::ident(&v.rust_name);
        let value = &v.value;
        quote! { #value => #name::#var, }
    });
    let all: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    let sensitive = shape.sensitive;
    let debug = if sensitive {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#REDACTED)
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = (!sensitive).then(|| quote!(Debug,));
    quote! {
        #doc
        ///
        /// The service may send values this version does not know; they are kept in
        /// `Unknown` and returned unchanged by [`as_str`](Self::as_str).
        #[non_exhaustive]
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know.
            Unknown(crate::primitives::UnknownVariantValue),
        }

        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#all),*]
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #debug
    }
}

fn union(svc: &Service, shape: &Shape, members: &[Member]) -> TokenStream {
    let name = names::type_ident(shape);
    let doc = docs::attrs(
        shape.documentation.as_deref(),
        &format!("The {} union.", docs::code(&shape.name)),
    );
    let mut variants = Vec::new();
    let mut accessors = Vec::new();
    let mut debug_arms = Vec::new();
    // An event stream's exceptions are its error type's variants (`errors.rs`).
    let members = if shape.event_stream {
        svc.stream_events(shape)
    } else {
        members.iter().collect()
    };
    for m in members {
        let var = names::variant(m);
        let t = value_type(svc, &m.target);
        // A boxed variant's accessor lends the value, not the box.
        let (stored, lend) = if m.boxed {
            (quote!(Box<#t>), quote!(&**value))
        } else {
            (t.clone(), quote!(value))
        };
        let doc = member_doc(svc, m);
        variants.push(quote! { #doc #var(#stored), });
        let as_fn = names::union_as(m);
        let is_fn = names::union_is(m);
        let as_doc = format!(
            "The {} value, or `Err(self)` when another member is set.",
            docs::code(&m.name)
        );
        let as_doc = docs::lines(&as_doc);
        let is_doc = format!("Whether the {} member is set.", docs::code(&m.name));
        let is_doc = docs::lines(&is_doc);
        accessors.push(quote! {
            #as_doc
            pub fn #as_fn(&self) -> Result<&#t, &Self> {
                if let #name::#var(value) = self { Ok(#lend) } else { Err(self) }
            }

            #is_doc
            pub fn #is_fn(&self) -> bool {
                self.#as_fn().is_ok()
            }
        });
        let label = names::union_variant(&m.name);
        debug_arms.push(if shape.sensitive || svc.is_sensitive(m) {
            quote! { #name::#var(_) => f.debug_tuple(#label).field(&#REDACTED).finish(), }
        } else {
            quote! { #name::#var(value) => f.debug_tuple(#label).field(value).finish(), }
        });
    }
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know.
            #[non_exhaustive]
            Unknown,
        }

        impl #name {
            #(#accessors)*

            /// Whether the service sent a member this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown)
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::Unknown => f.write_str("Unknown"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::testing;

    /// The generated file of error `name` in a model whose operation has two
    /// errors with a `message`: `Leak`'s targets a `@sensitive` string.
    fn error_file(name: &str) -> String {
        testing::generate(json!({
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"},
                      "errors": [{"target": "ex#Leak"}, {"target": "ex#Plain"}],
                      "traits": {"smithy.api#http": {"method": "POST", "uri": "/"}}},
            "ex#In": {"type": "structure", "members": {}},
            "ex#Secret": {"type": "string", "traits": {"smithy.api#sensitive": {}}},
            "ex#Leak": {"type": "structure", "members": {"message": {"target": "ex#Secret"}},
                        "traits": {"smithy.api#error": "client"}},
            "ex#Plain": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}},
                         "traits": {"smithy.api#error": "client"}},
        }))
        .remove(&format!("src/types/error/{name}.rs"))
        .unwrap_or_else(|| panic!("no file for {name}"))
    }
    /// The body of the file's `Display::fmt`.
    fn display(file: &str) -> &str {
        let start = file
            .find("impl ::std::fmt::Display for")
            .expect("a Display");
        let end = start + file[start..].find("\n}\n").expect("its end");
        &file[start..end]
    }

    #[test]
    fn a_sensitive_error_message_is_redacted_in_display() {
        // smithy-rs's errors write `Name: *** Sensitive Data Redacted ***`
        // for a message member that is sensitive (ErrorImplGenerator);
        // `awsrt::codegen::write_error` does, when told the message is
        // sensitive (its own test checks the text).
        let flat = |file: &str| display(file).split_whitespace().collect::<String>();
        let shown = flat(&error_file("leak"));
        assert!(shown.contains("write_error(f,\"Leak\","), "{shown}");
        assert!(shown.contains(",true"), "{shown}");
        assert!(!shown.contains("false"), "{shown}");
        let shown = flat(&error_file("plain"));
        assert!(shown.contains("write_error(f,\"Plain\","), "{shown}");
        assert!(shown.contains(",false"), "{shown}");
        assert!(!shown.contains("true"), "{shown}");
    }
}
