//! Signing the messages of an event-stream input: SigV4 chained signatures,
//! computed by `aws-sigv4` (`sign-eventstream`).
//!
//! The request itself is signed by [`sign`](crate::client::sign) like any
//! other, with the streaming payload hash; the orchestrator then seeds an
//! [`EventStreamSigner`] with that signature and attaches it to the
//! request's event stream (see [`RequestEventStream`](super::input::RequestEventStream)),
//! which signs each message as a transport sends it.

use std::fmt;
use std::sync::Arc;

use aws_sigv4::event_stream::{sign_empty_message, sign_message};
use aws_sigv4::sign::v4;
use bytes::Bytes;

use super::message::Message;
use crate::client::boxed::BoxError;
use crate::client::credentials::Credentials;
use crate::client::sign::{SigningError, SigningScope};
use crate::client::time::TimeSource;

/// Signs the messages of a request's event stream, one after the other:
/// each one is wrapped in a message whose headers are `:date` and
/// `:chunk-signature` and whose payload is the encoded message, signed with
/// the previous signature in the chain (the request's own signature for the
/// first one). The signing itself is `aws-sigv4`'s.
#[derive(Clone)]
pub(crate) struct EventStreamSigner {
    identity: aws_smithy_runtime_api::client::identity::Identity,
    region: String,
    service: String,
    clock: Arc<dyn TimeSource>,
    /// The previous signature, hex.
    last_signature: String,
}

impl EventStreamSigner {
    /// A signer with the request's credentials and scope, stamping messages
    /// with `clock`'s time, whose chain starts at `request_signature`.
    pub(crate) fn new(
        credentials: &Credentials,
        scope: &SigningScope<'_>,
        clock: Arc<dyn TimeSource>,
        request_signature: String,
    ) -> Self {
        EventStreamSigner {
            identity: credentials.identity().clone(),
            region: scope.region.to_owned(),
            service: scope.service.to_owned(),
            clock,
            last_signature: request_signature,
        }
    }

    /// The signed frame wrapping `message`, or the final empty one for
    /// `None`.
    pub(crate) fn sign(&mut self, message: Option<&Message>) -> Result<Bytes, BoxError> {
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(&self.service)
            .time(self.clock.now())
            .settings(())
            .build()
            .map_err(SigningError::new)?;
        let signed = match message {
            Some(message) => sign_message(&message.to_wire(), &self.last_signature, &params),
            None => sign_empty_message(&self.last_signature, &params),
        }
        .map_err(SigningError::new)?;
        let (wrapper, signature) = signed.into_parts();
        let mut frame = Vec::new();
        aws_smithy_eventstream::frame::write_message_to(&wrapper, &mut frame)?;
        self.last_signature = signature;
        Ok(frame.into())
    }
}

impl fmt::Debug for EventStreamSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamSigner")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}
