//! Emitters: one per concern, each reading only the IR and adding files.
//!
//! Every emitter has the form `pub fn emit(svc: &Service, files: &mut Files) -> Result<()>`
//! and owns the files it adds (listed in its module docs). Paths are relative
//! to the generated crate's root (`src/types/room_summary.rs`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

pub mod rust_type;

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

pub mod builders;
pub mod client;
pub mod docs;
pub mod errors;
pub mod events;
pub mod http;
pub mod json;
pub mod krate;
pub mod renames;
pub mod runtime_api;
pub mod types;
pub mod validators;

use crate::error::Result;
use crate::ir::Service;

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

/// Run every emitter over `svc`, in a fixed order, and return the crate's files.
pub fn generate(svc: &Service, settings: &krate::Settings) -> Result<Files> {
    let mut files = Files::new();
    types::emit(svc, &mut files)?;
    json::emit(svc, &mut files)?;
    validators::emit(svc, &mut files)?;
    http::emit(svc, &mut files)?;
    events::emit(svc, &mut files)?;
    errors::emit(svc, &mut files)?;
    client::emit(svc, &settings.partitions, &mut files)?;
    // The crate emitter goes last: it declares the modules the others filled,
    // and the runtime features they need.
    let mut settings = settings.clone();
    settings
        .awsrt_features
        .extend(validators::awsrt_features(svc)?);
    krate::emit(svc, &settings, &mut files)?;
    Ok(files)
}
