//! The generator: reads a restJson1 service model (botocore `service-2.json` or
//! Smithy JSON AST) and emits a Rust client crate.
//!
//! Data flows one way: [`load`] (file -> [`ir::Service`]) -> [`overlay`]
//! (our errata and documented limits) -> [`unsupported`] (every pattern
//! compiled once, or left unchecked) -> [`names`] (every Rust name) ->
//! [`resolve`] (what emitters need, worked out once, and every remaining
//! model check) -> [`emit`] (one emitter per concern, token streams; cannot
//! fail) -> [`mod@write`] (format, then write to a temporary folder that is
//! swapped in). [`pipeline`] runs the stages with one [`options::Options`];
//! each stage reports all its problems at once ([`error::Diagnostics`]).

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
#[cfg(test)]
mod testing;
pub mod unsupported;
pub mod write;
