//! The generated crate as data: every file the emitters add, and the marker
//! file a folder the generator wrote carries. Emitters fill [`Files`];
//! `write` formats and writes them.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

/// The contents of one generated file.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Rust source, formatted by `write::format` with prettyplease.
    Rust(TokenStream),
    /// Any other text (Cargo.toml, JSON data), written as is.
    Text(String),
}

/// Every file of the generated crate, keyed by relative path (sorted, so output
/// order is deterministic).
pub type Files = BTreeMap<String, Contents>;

/// Append Rust items to the file at `path`, creating it if needed. Several
/// emitters may add to one file (an operation's module holds its input and
/// output types, its errors and its client call); each adds only its own items.
pub fn add_rust(files: &mut Files, path: &str, tokens: TokenStream) {
    match files.get_mut(path) {
        Some(Contents::Rust(existing)) => existing.extend(tokens),
        _ => {
            files.insert(path.to_string(), Contents::Rust(tokens));
        }
    }
}

/// The file the generator writes into every output folder: a folder holding
/// it is the generator's to replace.
pub const MARKER: &str = ".codegen-output";

/// The marker's text.
pub const MARKER_TEXT: &str =
    "codegen wrote this folder and replaces it whole when it runs again: keep nothing else here.\n";
