//! The tests that span the generator and the generated crate, one binary
//! (one link instead of one per file): each module is one area, selected by
//! its name (`cargo test -p tests --test it client_e2e::`).

mod validation_support;

mod client_e2e;
mod client_endpoints;
mod client_golden_requests;
mod client_pagination;
mod client_signature;
mod conformance;
mod event_stream;
mod generated_is_fresh;
mod kinds_models;
mod sdk_api;
mod types_behaviour;
mod validation_boundaries;
mod validation_messages;
mod validation_patterns;
mod validation_property;
