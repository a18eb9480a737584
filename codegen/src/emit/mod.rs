//! Emitters: one per concern, each reading only the resolved model and
//! adding files.
//!
//! Every emitter has the form `pub fn emit(svc: &Resolved, files: &mut Files)`
//! (it cannot fail: `resolve` checked the model) and owns the files it adds
//! (listed in its module docs). Those that write operations' inputs and
//! outputs also take the [`common::OperationStructs`] that [`generate`] collects
//! once for all of them. Paths are relative to the generated crate's
//! root (`src/types/room_summary.rs`).

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
pub mod partitions;
pub mod renames;
pub mod runtime_api;
pub mod types;
pub mod validators;

use crate::options::Options;
use crate::resolve::Resolved;

/// Run every emitter over the resolved model, in a fixed order, and return
/// the crate's files. Emitters cannot fail: the resolve stage checked the
/// model.
pub fn generate(svc: &Resolved, options: &Options) -> Files {
    let mut files = Files::new();
    let operations = common::operation_structs(svc);
    types::emit(svc, &operations, &mut files);
    json::emit(svc, &operations, &mut files);
    validators::emit(svc, &mut files);
    http::emit(svc, &operations, &mut files);
    events::emit(svc, &mut files);
    errors::emit(svc, &mut files);
    client::emit(svc, &operations, &mut files);
    partitions::emit(&options.partitions, &mut files);
    // The crate emitter goes last: it declares the modules the others filled.
    krate::emit(svc, options, &mut files);
    files
}
