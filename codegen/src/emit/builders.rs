//! Builders, as in aws-sdk-ivschat: `Type::builder().member(..).build()`.
//!
//! Setters are named after the members; a list setter appends one element and
//! a map setter inserts one entry; `set_<member>` replaces the whole value and
//! `get_<member>` reads it back. `build()` returns the value itself when the
//! type has no required member, and `Result<_, BuildError>` naming every
//! missing required member otherwise; operation inputs always return a
//! `Result`. The tokens go into the file of the type (see `types.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{member_doc, StructDef};
use super::docs;
use super::runtime_api::ERROR_METADATA;
use super::rust_type::{is_optional, value_type};
use crate::ir::{Member, Service, ShapeKind};
use crate::names;

/// An expression making an empty builder of type `builder` for `members`:
/// `Builder::default()`, or, when a member named `default` has a setter that
/// would shadow it, `<Builder as Default>::default()`.
pub fn empty(builder: &proc_macro2::Ident, members: &[Member]) -> TokenStream {
    if members
        .iter()
        .any(|m| names::unraw(&m.rust_name) == "default")
    {
        quote!(<#builder as ::std::default::Default>::default())
    } else {
        quote!(#builder::default())
    }
}

/// The builder of `def`.
pub fn builder(svc: &Service, def: &StructDef<'_>) -> TokenStream {
    let name = names::builder_ident(&def.rust_name);
    let target = names::ident(&def.rust_name);
    let doc = format!("A builder for [`{}`].", def.rust_name);
    let doc = docs::lines(&doc);
    let members = def.members();
    let fields = members.iter().map(|m| {
        let f = names::field_ident(m);
        let t = stored_type(svc, def, m);
        quote! { pub(crate) #f: Option<#t>, }
    });
    let setters = members.iter().map(|m| setters(svc, def, m, false));
    // A modeled error's builder also sets its metadata (as aws-sdk's do).
    let error = super::common::is_error(def);
    let meta_field = error.then(|| quote!(meta: Option<#ERROR_METADATA>,));
    let meta_assign = error.then(|| quote!(meta: self.meta.unwrap_or_default(),));
    let meta_setters = error.then(|| {
        quote! {
            /// Sets the error's code, message and request id.
            pub fn meta(mut self, meta: #ERROR_METADATA) -> Self {
                self.meta = Some(meta);
                self
            }

            /// Sets the error's metadata, or clears it with `None`.
            pub fn set_meta(&mut self, meta: Option<#ERROR_METADATA>) -> &mut Self {
                self.meta = meta;
                self
            }
        }
    });
    let required: Vec<&Member> = members.iter().filter(|m| m.required).collect();
    let fallible = def.is_input || !required.is_empty();
    let allow = members
        .iter()
        .any(|m| m.deprecated)
        .then(|| quote!(#[allow(deprecated)]));

    let build = if fallible {
        let checks = required.iter().map(|m| {
            let f = names::field_ident(m);
            let model = m.name.as_str();
            quote! { if self.#f.is_none() { missing.push(#model); } }
        });
        // Required members of a non-input type are not optional in the type:
        // take them out of their options together.
        let unwrapped: Vec<&Member> = required
            .iter()
            .copied()
            .filter(|m| !is_optional(m, def.is_input))
            .collect();
        let taken = unwrapped.iter().map(|m| {
            let f = names::field_ident(m);
            quote!(self.#f,)
        });
        let some = unwrapped.iter().map(|m| {
            let f = names::field_ident(m);
            quote!(Some(#f),)
        });
        let assigns = members
            .iter()
            .map(|m| {
                let f = names::field_ident(m);
                if is_optional(m, def.is_input) {
                    quote! { #f: self.#f, }
                } else {
                    quote! { #f, }
                }
            })
            .chain(meta_assign.clone());
        let type_name = def.rust_name.as_str();
        let body = if required.is_empty() {
            quote! { Ok(#target { #(#assigns)* }) }
        } else if unwrapped.is_empty() {
            quote! {
                let mut missing: Vec<&'static str> = Vec::new();
                #(#checks)*
                if !missing.is_empty() {
                    return Err(crate::error::BuildError::missing(#type_name, missing));
                }
                Ok(#target { #(#assigns)* })
            }
        } else {
            quote! {
                let mut missing: Vec<&'static str> = Vec::new();
                #(#checks)*
                match (#(#taken)*) {
                    (#(#some)*) => Ok(#target { #(#assigns)* }),
                    _ => Err(crate::error::BuildError::missing(#type_name, missing)),
                }
            }
        };
        let build_doc = if required.is_empty() {
            format!("Build the [`{}`]. Never fails; the `Result` keeps the operation inputs' API uniform.", def.rust_name)
        } else {
            let list: Vec<String> = required.iter().map(|m| docs::code(&m.name)).collect();
            format!(
                "Build the [`{}`].\n\nFails with a [`BuildError`](crate::error::BuildError) naming every missing required member ({}).",
                def.rust_name,
                list.join(", ")
            )
        };
        let build_doc = docs::lines(&build_doc);
        quote! {
            #build_doc
            #allow
            pub fn build(self) -> Result<#target, crate::error::BuildError> {
                #body
            }
        }
    } else {
        let assigns = members
            .iter()
            .map(|m| {
                let f = names::field_ident(m);
                quote! { #f: self.#f, }
            })
            .chain(meta_assign);
        let build_doc = format!("Build the [`{}`].", def.rust_name);
        let build_doc = docs::lines(&build_doc);
        quote! {
            #build_doc
            #allow
            pub fn build(self) -> #target {
                #target { #(#assigns)* }
            }
        }
    };
    let derive_debug =
        if members.iter().any(|m| svc.is_sensitive(m)) || def.shape.is_some_and(|s| s.sensitive) {
            let label = names::builder(&def.rust_name);
            quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(#label).finish_non_exhaustive()
                    }
                }
            }
        } else {
            quote!()
        };
    let clone = super::common::derives_clone(def);
    let debug = if derive_debug.is_empty() {
        quote!(Debug,)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(#clone Default, #debug)]
        pub struct #name {
            #(#fields)*
            #meta_field
        }

        impl #name {
            #(#setters)*
            #meta_setters
            #build
        }

        #derive_debug
    }
}

/// The type a builder stores for `m` (boxed like the struct's field).
fn stored_type(svc: &Service, def: &StructDef<'_>, m: &Member) -> TokenStream {
    let t = super::rust_type::member_value_type(svc, m, def.is_input);
    if m.boxed {
        quote!(Box<#t>)
    } else {
        t
    }
}

/// The setters of member `m`: `<member>`, `set_<member>`, `get_<member>`.
/// With `fluent`, they delegate to an input builder in `self.inner` (the
/// client's fluent builders have the same setters as the input builders).
pub fn setters(svc: &Service, def: &StructDef<'_>, m: &Member, fluent: bool) -> TokenStream {
    let f = names::field_ident(m);
    let set = names::setter(m);
    let get = names::getter(m);
    let doc = member_doc(svc, m);
    let stored = stored_type(svc, def, m);
    let boxed = m.boxed;
    let required = m
        .required
        .then(|| quote!(#[doc = ""] #[doc = " Required."]));
    let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
    let first = match &svc.shape(&m.target).kind {
        ShapeKind::List { member, sparse } => {
            let elem = value_type(svc, &member.target);
            let (arg, push) = match (&svc.shape(&member.target).kind, sparse) {
                (_, true) => (quote!(Option<#elem>), quote!(input)),
                (ShapeKind::String, false) => (quote!(impl Into<String>), quote!(input.into())),
                _ => (elem.clone(), quote!(input)),
            };
            let append = if fluent {
                quote!(self.inner = self.inner.#f(input);)
            } else {
                quote!(self.#f.get_or_insert_with(Vec::new).push(#push);)
            };
            let doc_append = format!(
                "Appends one element to {}; use [`{}`](Self::{}) to set the whole list.",
                docs::code(&m.name),
                set,
                set
            );
            let doc_append = docs::lines(&doc_append);
            quote! {
                #doc
                #[doc = ""]
                #doc_append
                #required
                #deprecated
                pub fn #f(mut self, input: #arg) -> Self {
                    #append
                    self
                }
            }
        }
        ShapeKind::Map { value, sparse, .. } => {
            let v = value_type(svc, &value.target);
            let (arg, insert) = match (&svc.shape(&value.target).kind, sparse) {
                (_, true) => (quote!(Option<#v>), quote!(value)),
                (ShapeKind::String, false) => (quote!(impl Into<String>), quote!(value.into())),
                _ => (v.clone(), quote!(value)),
            };
            let insert_stmt = if fluent {
                quote!(self.inner = self.inner.#f(key, value);)
            } else {
                quote!(self.#f.get_or_insert_with(Default::default).insert(key.into(), #insert);)
            };
            let doc_insert = format!(
                "Inserts one entry into {}; use [`{}`](Self::{}) to set the whole map.",
                docs::code(&m.name),
                set,
                set
            );
            let doc_insert = docs::lines(&doc_insert);
            quote! {
                #doc
                #[doc = ""]
                #doc_insert
                #required
                #deprecated
                pub fn #f(mut self, key: impl Into<String>, value: #arg) -> Self {
                    #insert_stmt
                    self
                }
            }
        }
        kind => {
            let v = super::rust_type::member_value_type(svc, m, def.is_input);
            let (arg, conv) = match kind {
                ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                    (quote!(impl Into<String>), quote!(input.into()))
                }
                _ => (v, quote!(input)),
            };
            let conv = if boxed { quote!(Box::new(#conv)) } else { conv };
            let assign = if fluent {
                quote!(self.inner = self.inner.#f(input);)
            } else {
                quote!(self.#f = Some(#conv);)
            };
            quote! {
                #doc
                #required
                #deprecated
                pub fn #f(mut self, input: #arg) -> Self {
                    #assign
                    self
                }
            }
        }
    };
    let (set_stmt, get_expr) = if fluent {
        (
            quote!(self.inner = self.inner.#set(input);),
            quote!(self.inner.#get()),
        )
    } else {
        (quote!(self.#f = input;), quote!(&self.#f))
    };
    let set_doc = format!("Sets {}, or clears it with `None`.", docs::code(&m.name));
    let set_doc = docs::lines(&set_doc);
    let get_doc = format!("The {} set so far.", docs::code(&m.name));
    let get_doc = docs::lines(&get_doc);
    quote! {
        #first

        #set_doc
        #deprecated
        pub fn #set(mut self, input: Option<#stored>) -> Self {
            #set_stmt
            self
        }

        #get_doc
        #deprecated
        pub fn #get(&self) -> &Option<#stored> {
            #get_expr
        }
    }
}
