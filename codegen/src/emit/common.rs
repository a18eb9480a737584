//! What several emitters share: the structures they emit (a shape's members
//! under a Rust name, an operation's input and output), the file each type
//! goes in, and member docs.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime_api::{self, RuntimeItem};
use super::{add_rust, docs, Files};
use crate::ir::{Location, Member, Operation, Service, Shape, ShapeModule};
use crate::names;

/// A structure to emit: a shape's members under a Rust name.
pub struct StructDef<'a> {
    /// The shape the members come from (`None` for an operation without input or output).
    pub shape: Option<&'a Shape>,
    /// The Rust type name.
    pub rust_name: String,
    /// Whether this is an operation input (every field optional).
    pub is_input: bool,
    /// Docs to use when the shape has none.
    pub fallback_doc: String,
}

impl StructDef<'_> {
    /// The members, in model order.
    pub fn members(&self) -> &[Member] {
        self.shape.map_or(&[], |s| s.members())
    }

    /// The member whose value is the whole body as a stream of events, if any.
    pub fn event_stream(&self) -> Option<&Member> {
        self.members()
            .iter()
            .find(|m| m.location == Location::EventStream)
    }

    /// The shape's model name (empty when there is no shape).
    pub fn model_name(&self) -> &str {
        self.shape.map(|s| s.name.as_str()).unwrap_or("")
    }
}

/// An operation with its input and output structs and the file they go in.
pub struct OperationStructs<'a> {
    /// The operation.
    pub op: &'a Operation,
    /// `src/operation/<op>.rs`.
    pub path: String,
    /// `<Op>Input`.
    pub input: StructDef<'a>,
    /// `<Op>Output`.
    pub output: StructDef<'a>,
}

/// The input and output structs of every operation, in operation order;
/// [`super::generate`] collects them once and hands them to every emitter
/// that writes them.
pub fn operation_structs(svc: &Service) -> Vec<OperationStructs<'_>> {
    svc.operations
        .iter()
        .map(|op| OperationStructs {
            op,
            path: operation_path(op),
            input: StructDef {
                shape: op.input.as_deref().map(|n| svc.shape(n)),
                rust_name: op.names.input.clone(),
                is_input: true,
                fallback_doc: format!("The input of {}.", docs::code(&op.name)),
            },
            output: StructDef {
                shape: op.output.as_deref().map(|n| svc.shape(n)),
                rust_name: op.names.output.clone(),
                is_input: false,
                fallback_doc: format!("The output of {}.", docs::code(&op.name)),
            },
        })
        .collect()
}

/// The file of an operation's module: `src/operation/<op>.rs`.
pub fn operation_path(op: &Operation) -> String {
    format!("src/operation/{}.rs", names::unraw(&op.names.module))
}

/// Add `src/protocol/<module>.rs` holding `items`, with a `use` of each of
/// `runtime` they name, and declare it in `src/protocol.rs` under `doc`.
/// Reading or writing a deprecated member is no use of it: the file allows
/// `deprecated`.
pub fn add_protocol_module(
    files: &mut Files,
    module: &str,
    doc: &str,
    runtime: &[RuntimeItem],
    items: &[TokenStream],
) {
    let name = names::ident(module);
    let doc = docs::lines(doc);
    add_rust(files, "src/protocol.rs", quote! { #doc pub mod #name; });
    let code = quote!(#(#items)*);
    let imports = runtime_api::imports(&code, runtime);
    add_rust(
        files,
        &format!("src/protocol/{module}.rs"),
        quote! {
            #![allow(deprecated)]

            #imports

            #code
        },
    );
}

/// The file of a named shape's type.
pub fn type_path(shape: &Shape) -> String {
    match shape.module {
        ShapeModule::Error => error_type_path(&shape.rust_name),
        _ => format!(
            "src/types/{}.rs",
            names::unraw(&names::module(&shape.rust_name))
        ),
    }
}

/// The file of error type `type_name` under `types::error`.
pub fn error_type_path(type_name: &str) -> String {
    format!(
        "src/types/error/{}.rs",
        names::unraw(&names::module(type_name))
    )
}

/// Whether `def` is a modeled error (it then carries an `ErrorMetadata`).
pub fn is_error(def: &StructDef<'_>) -> bool {
    def.shape.is_some_and(|s| s.error.is_some())
}

/// `Clone, PartialEq,` for a struct (or its builder), unless it holds an
/// event stream's receiver, which is neither.
pub fn derives_clone(def: &StructDef<'_>) -> TokenStream {
    if def.event_stream().is_some() {
        quote!()
    } else {
        quote!(Clone, PartialEq,)
    }
}

/// Docs for a member: its own, else its target's, else a sentence naming it.
pub fn member_doc(svc: &Service, m: &Member) -> TokenStream {
    let docs = m
        .documentation
        .as_deref()
        .or(svc.shape(&m.target).documentation.as_deref());
    docs::attrs(docs, &format!("The {} member.", docs::code(&m.name)))
}
