//! An `SdkConfig`'s identity cache in front of its credentials provider
//! (feature `aws-config`).
//!
//! aws-smithy-runtime's caches (`IdentityCache::lazy()`,
//! `IdentityCache::no_cache()`, or the user's own `ResolveCachedIdentity`)
//! are driven through one method, `resolve_cached_identity(resolver,
//! runtime_components, config_bag)`. Outside the smithy orchestrator we make
//! the two context values ourselves, once per config: a `RuntimeComponents`
//! holding the cache, the resolver, the `SdkConfig`'s time source and sleep
//! (what the lazy cache reads) and, because `RuntimeComponentsBuilder::build`
//! requires them, placeholders for the orchestrator's other parts (endpoint
//! resolver, auth scheme, retry strategy) that are never called; and an
//! empty `ConfigBag`. The resolver is made once, so its cache partition
//! stays the same for every call.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use aws_credential_types::provider::SharedCredentialsProvider as SdkProvider;
use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
use aws_smithy_async::time::SharedTimeSource;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::{
    AuthScheme, AuthSchemeEndpointConfig, AuthSchemeId, AuthSchemeOptionResolverParams,
    ResolveAuthSchemeOptions, Sign,
};
use aws_smithy_runtime_api::client::endpoint::{
    EndpointFuture, EndpointResolverParams, ResolveEndpoint,
};
use aws_smithy_runtime_api::client::identity::{
    Identity, ResolveCachedIdentity, SharedIdentityCache, SharedIdentityResolver,
};
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::retries::{RetryStrategy, ShouldAttempt};
use aws_smithy_runtime_api::client::runtime_components::GetIdentityResolver;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::config_bag::ConfigBag;

use crate::client::boxed::BoxFuture;
use crate::client::credentials::{Credentials, CredentialsError, ProvideCredentials};

/// The placeholder auth scheme's id (never chosen: nothing signs through it).
const SCHEME: AuthSchemeId = AuthSchemeId::new("awsrt-identity-cache");

/// Credentials from an `aws-config` provider through the `SdkConfig`'s
/// identity cache; see the module documentation.
pub(crate) struct SdkCachedCredentials {
    cache: SharedIdentityCache,
    resolver: SharedIdentityResolver,
    components: RuntimeComponents,
    bag: ConfigBag,
}

impl SdkCachedCredentials {
    /// `provider` behind `cache`, with the `SdkConfig`'s clock and sleep
    /// (when unset: the system clock and tokio's sleep).
    pub(crate) fn new(
        provider: SdkProvider,
        cache: SharedIdentityCache,
        time_source: Option<SharedTimeSource>,
        sleep: Option<SharedAsyncSleep>,
    ) -> Result<Self, BoxError> {
        let resolver = SharedIdentityResolver::new(provider);
        let components = RuntimeComponentsBuilder::new("awsrt identity cache")
            .with_identity_cache(Some(cache.clone()))
            .with_identity_resolver(SCHEME, resolver.clone())
            .with_time_source(Some(time_source.unwrap_or_default()))
            .with_sleep_impl(Some(
                sleep.unwrap_or_else(|| SharedAsyncSleep::new(TokioSleep)),
            ))
            .with_auth_scheme_option_resolver(Some(NeverCalled))
            .with_auth_scheme(NeverCalled)
            .with_endpoint_resolver(Some(NeverCalled))
            .with_retry_strategy(Some(NeverCalled))
            .build()?;
        let bag = ConfigBag::base();
        cache.validate_final_config(&components, &bag)?;
        Ok(SdkCachedCredentials {
            cache,
            resolver,
            components,
            bag,
        })
    }
}

impl fmt::Debug for SdkCachedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkCachedCredentials")
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for SdkCachedCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let identity = self
                .cache
                .resolve_cached_identity(self.resolver.clone(), &self.components, &self.bag)
                .await
                .map_err(|e| {
                    CredentialsError::with_source(
                        "the aws-config credentials provider (through the SdkConfig's identity cache) failed",
                        e,
                    )
                })?;
            Credentials::from_sdk_identity(identity)
                .ok_or_else(|| CredentialsError::new("the identity cache gave no AWS credentials"))
        })
    }

    /// The `SdkConfig`'s cache decides.
    fn wants_cache(&self) -> bool {
        false
    }
}

/// `tokio::time::sleep` as aws-smithy-async's sleep.
#[derive(Debug)]
struct TokioSleep;

impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        Sleep::new(tokio::time::sleep(duration))
    }
}

/// The orchestrator parts `RuntimeComponentsBuilder::build` requires and an
/// identity cache never calls; each refuses politely if it ever is.
#[derive(Debug)]
struct NeverCalled;

const NOT_AN_ORCHESTRATOR: &str = "awsrt drives only the identity cache of these components";

impl ResolveAuthSchemeOptions for NeverCalled {
    fn resolve_auth_scheme_options(
        &self,
        _: &AuthSchemeOptionResolverParams,
    ) -> Result<Cow<'_, [AuthSchemeId]>, BoxError> {
        Err(NOT_AN_ORCHESTRATOR.into())
    }
}

impl AuthScheme for NeverCalled {
    fn scheme_id(&self) -> AuthSchemeId {
        SCHEME
    }

    fn identity_resolver(
        &self,
        identity_resolvers: &dyn GetIdentityResolver,
    ) -> Option<SharedIdentityResolver> {
        identity_resolvers.identity_resolver(SCHEME)
    }

    fn signer(&self) -> &dyn Sign {
        self
    }
}

impl Sign for NeverCalled {
    fn sign_http_request(
        &self,
        _: &mut HttpRequest,
        _: &Identity,
        _: AuthSchemeEndpointConfig<'_>,
        _: &RuntimeComponents,
        _: &ConfigBag,
    ) -> Result<(), BoxError> {
        Err(NOT_AN_ORCHESTRATOR.into())
    }
}

impl ResolveEndpoint for NeverCalled {
    fn resolve_endpoint<'a>(&'a self, _: &'a EndpointResolverParams) -> EndpointFuture<'a> {
        EndpointFuture::ready(Err(NOT_AN_ORCHESTRATOR.into()))
    }
}

impl RetryStrategy for NeverCalled {
    fn should_attempt_initial_request(
        &self,
        _: &RuntimeComponents,
        _: &ConfigBag,
    ) -> Result<ShouldAttempt, BoxError> {
        Err(NOT_AN_ORCHESTRATOR.into())
    }

    fn should_attempt_retry(
        &self,
        _: &InterceptorContext,
        _: &RuntimeComponents,
        _: &ConfigBag,
    ) -> Result<ShouldAttempt, BoxError> {
        Err(NOT_AN_ORCHESTRATOR.into())
    }
}
