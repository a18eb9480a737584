//! The generator: reads a restJson1 service model (botocore `service-2.json` or
//! Smithy JSON AST) and emits a Rust client crate.
//!
//! Data flows one way: [`load`] (file -> [`ir::Service`]) -> [`overlay`]
//! (our errata and documented limits) -> [`names`] (every Rust name) ->
//! [`emit`] (one emitter per concern, token streams) -> [`write`] (format,
//! then write to a temporary folder that is swapped in).

#![forbid(unsafe_code)]

pub mod emit;
pub mod error;
pub mod files;
pub mod ir;
pub mod load;
pub mod metadata;
pub mod names;
pub mod options;
pub mod overlay;
pub mod patterns;
pub mod pipeline;
pub mod resolve;
pub mod unsupported;
pub mod write;
