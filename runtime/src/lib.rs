//! Runtime for the clients that `codegen` generates.
//!
//! Generated crates call into this crate instead of repeating the same helpers
//! in every service: it is ordinary, hand-written Rust, compiled and tested on
//! its own. Modules:
//!
//! - [`primitives`]: `DateTime`, `Blob`, `Document`, the value types of shapes.
//! - [`json`]: writing and reading JSON bodies for generated (de)serializers.
//! - [`input`] (also reachable as `build`, its former name): `BuildError`,
//!   returned by builders with missing required members, `SerializeError`,
//!   and idempotency tokens.
//! - [`validate`]: `ValidationError`, what generated `validate()` methods return.
//! - `pattern` (feature `runtime-patterns`): the patterns that generated
//!   validators match at run time.
//! - [`client`]: configuration, credentials, SigV4 signing, endpoints,
//!   retries, transport and pagination: everything a generated client needs
//!   at run time.
//! - [`codegen`]: the items generated code names, in one place; for
//!   generated code, not for users (it may change with the generator).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
pub mod codegen;
pub mod input;
pub mod json;
#[cfg(feature = "runtime-patterns")]
pub mod pattern;
pub mod primitives;
mod shown;
pub mod validate;
