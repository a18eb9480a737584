//! Emitters: one per concern, each reading only the IR and adding files.
//!
//! Every emitter has the form `pub fn emit(svc: &Service, files: &mut Files) -> Result<()>`
//! and owns the files it adds (listed in its module docs). Paths are relative
//! to the generated crate's root (`src/types/room_summary.rs`).

pub use crate::files::{add_rust, Contents, Files};

pub mod rust_type;

pub mod builders;
pub mod client;
pub mod common;
pub mod docs;
pub mod errors;
pub mod events;
pub mod http;
pub mod json;
pub mod krate;
pub mod renames;
pub mod types;
pub mod validators;

use crate::error::Result;
use crate::ir::Service;

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
