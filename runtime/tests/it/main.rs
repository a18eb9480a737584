//! The runtime's integration tests, one binary (one link instead of one per
//! file): each module is one area, selected by its name
//! (`cargo test -p awsrt --test it client_retry::`). `client_env.rs` stays a
//! binary of its own: it changes the process environment; so does
//! `client_tracing.rs`: it sets a tracing subscriber.

mod common;
mod loopback;

mod client_endpoint_rules;
mod client_event_stream;
mod client_event_stream_input;
mod client_host;
mod client_hostile_server;
mod client_network;
mod client_paginator;
mod client_protocol_conformance;
mod client_retry;
mod client_retry_headers;
mod client_sigv4;
// `Runtime::dispatch_streaming` is there for event-stream outputs only.
#[cfg(feature = "event-stream")]
mod client_streaming;
mod client_transport;
mod credentials_cache;
mod credentials_profile_parser;
mod credentials_providers;
mod credentials_sts;
