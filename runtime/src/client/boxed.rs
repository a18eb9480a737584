//! The boxed types every layer of the client shares: [`BoxError`] and
//! [`BoxFuture`].
//!
//! They sit at the bottom of the client's module graph: this file imports
//! nothing of the crate, so credentials, transports, signing and event
//! streams can all name them without importing one another.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;

/// A boxed, `Send` future: what the runtime's object-safe traits return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed error that can cross threads.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;
