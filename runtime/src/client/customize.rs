//! A call changed before it is sent, as aws-sdk's `customize()`:
//! `client.get_room().identifier(arn).customize().mutate_request(|req| ..).send()`.
//!
//! Generated fluent builders hold a [`Customization`] and implement
//! [`CustomizableSend`]; [`CustomizableOperation`] is what `customize()` returns.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::client::boxed::BoxFuture;
use crate::client::config::ConfigBuilder;
use crate::client::credentials::SharedCredentialsProvider;
use crate::client::error::{ConstructionFailure, SdkError};
use crate::client::http::HttpRequest;
use crate::client::orchestrator::Runtime;

type Mutator = Arc<dyn Fn(&mut HttpRequest) + Send + Sync>;

/// What a call changes: its configuration, and its request before signing.
#[derive(Clone, Default)]
pub struct Customization {
    config_override: Option<ConfigBuilder>,
    /// The credentials a `from_env` override's default chain gives, made
    /// at the first call and shared by the calls (and pages) after it.
    settled: Arc<OnceLock<SharedCredentialsProvider>>,
    mutators: Vec<Mutator>,
}

impl Customization {
    /// The runtime the call uses: `base`, or with the config override laid
    /// over its config (a configuration error fails the call). A `base`
    /// whose own config failed to build stays as it is, so the call fails
    /// with that error, whatever the override sets.
    pub fn runtime(&self, base: &Runtime) -> Result<Runtime, ConstructionFailure> {
        match &self.config_override {
            None => Ok(base.clone()),
            Some(_) if base.config_failed() => Ok(base.clone()),
            Some(layer) => {
                let config = layer
                    .clone()
                    .layered_over(base.config())
                    .settle_credentials(&self.settled)
                    .build()
                    .map_err(ConstructionFailure::new)?;
                Ok(Runtime::new(config, base.service()))
            }
        }
    }

    /// Applies the `mutate_request` closures to `request`, in order.
    pub fn mutate(&self, request: &mut HttpRequest) {
        for m in &self.mutators {
            m(request);
        }
    }

    /// Whether nothing is customized.
    pub fn is_empty(&self) -> bool {
        self.config_override.is_none() && self.mutators.is_empty()
    }
}

impl fmt::Debug for Customization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customization")
            .field("config_override", &self.config_override.is_some())
            .field("mutators", &self.mutators.len())
            .finish()
    }
}

/// A fluent builder that can be sent with a [`Customization`] (generated).
pub trait CustomizableSend: Sized {
    /// The operation's output.
    type Output;
    /// The operation's error.
    type Error;
    /// Sends the call with `customization`.
    fn send_customized(
        self,
        customization: Customization,
    ) -> BoxFuture<'static, Result<Self::Output, SdkError<Self::Error>>>;
}

/// A call to change before sending; as aws-sdk's `CustomizableOperation`.
#[derive(Debug)]
pub struct CustomizableOperation<B> {
    builder: B,
    customization: Customization,
}

impl<B: CustomizableSend> CustomizableOperation<B> {
    /// Customizes `builder`'s call (generated `customize()` calls this).
    pub fn new(builder: B, customization: Customization) -> Self {
        CustomizableOperation {
            builder,
            customization,
        }
    }

    /// Changes the request before it is signed (every attempt sends the changed request).
    pub fn mutate_request<F>(mut self, f: F) -> Self
    where
        F: Fn(&mut HttpRequest) + Send + Sync + 'static,
    {
        self.customization.mutators.push(Arc::new(f));
        self
    }

    /// Settings for this call only, laid over the client's (see
    /// [`ConfigBuilder::layered_over`]). Timeouts of the client's transport
    /// (connect, read) stay those it was made with.
    pub fn config_override(mut self, config: impl Into<ConfigBuilder>) -> Self {
        self.customization.config_override = Some(config.into());
        self.customization.settled = Arc::default();
        self
    }

    /// Sends the call.
    pub async fn send(self) -> Result<B::Output, SdkError<B::Error>> {
        self.builder.send_customized(self.customization).await
    }
}
