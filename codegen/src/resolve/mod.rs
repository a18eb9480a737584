//! Resolve: everything the emitters need that is not a name, worked out once
//! from the named IR, and every model check the emitters used to make.
//!
//! Runs after `names` and `unsupported` (which compiled every pattern), and
//! before `emit`. It either returns a [`Resolved`] model, which emitters read
//! and cannot fail on, or the sorted list of every problem it found
//! ([`Diagnostics`]). What it holds:
//!
//! - the HTTP request of each operation: method, URI and host-prefix
//!   templates cut into pieces with each label bound to its input member
//!   ([`http`]);
//! - the event streams of inputs and outputs, and their events;
//! - the validation plan: which shapes need a `validate_<shape>` function and
//!   which compiled pattern each constraint uses ([`validation`]);
//! - the features of `awsrt` the crate needs;
//! - the endpoint rule set as the text the crate embeds.
//!
//! Boxing of recursive members is a load-time fact (`Member::boxed`, from
//! `load/graph.rs`); transitive sensitivity is [`Service::is_sensitive`].

use std::collections::BTreeMap;
use std::ops::Deref;

use crate::error::{Diagnostics, Error};
use crate::ir::{Location, Service, Shape};
use crate::patterns::{Matcher, PatternSet};

mod checks;
pub mod http;
pub mod validation;

pub use checks::{float_bound, int_bound};
pub use http::{Method, Piece, Request};
pub use validation::Validation;

/// A model ready to emit: the named IR and what was resolved from it.
///
/// It reads as its [`Service`] (`resolved.operations`, `resolved.shape(..)`),
/// so emitters that need only the IR take it as one.
#[derive(Debug)]
pub struct Resolved {
    service: Service,
    /// Every pattern of the model, compiled once.
    pub patterns: PatternSet,
    /// The request of each operation, by operation name.
    pub requests: BTreeMap<String, Request>,
    /// What the validators check.
    pub validation: Validation,
    /// Event streams of operation inputs, each once, in name order.
    input_streams: Vec<String>,
    /// Event streams of operation outputs, each once, in name order.
    output_streams: Vec<String>,
    /// Optional features of `awsrt` the crate needs, in the order `Cargo.toml`
    /// lists them.
    pub awsrt_features: Vec<&'static str>,
    /// The endpoint rule set the crate embeds, as JSON text.
    pub endpoint_rules: Option<String>,
}

impl Deref for Resolved {
    type Target = Service;

    fn deref(&self) -> &Service {
        &self.service
    }
}

/// Resolve `svc`, whose patterns `unsupported::apply` compiled into
/// `patterns`: every problem found is in the returned diagnostics.
pub fn resolve(svc: Service, patterns: PatternSet) -> Result<Resolved, Diagnostics> {
    let mut problems = Diagnostics::new();
    let requests = http::requests(&svc, &mut problems);
    checks::events(&svc, &mut problems);
    checks::media_types(&svc, &mut problems);
    checks::header_names(&svc, &mut problems);
    let validation = Validation::new(&svc, &patterns, &mut problems);
    let endpoint_rules = svc.endpoint_rules.as_ref().and_then(|rules| {
        serde_json::to_string_pretty(rules)
            .map_err(|e| {
                problems.push(Error::new(format!(
                    "cannot write the endpoint rule set: {e}"
                )))
            })
            .ok()
    });
    let input_streams = streams(&svc, true);
    let output_streams = streams(&svc, false);
    let mut resolved = Resolved {
        service: svc,
        patterns,
        requests,
        validation,
        input_streams,
        output_streams,
        awsrt_features: Vec::new(),
        endpoint_rules,
    };
    resolved.awsrt_features = awsrt_features(&resolved);
    problems.finish(resolved)
}

impl Resolved {
    /// The named IR, without what was resolved from it.
    pub fn into_service(self) -> Service {
        self.service
    }

    /// The event streams of operation inputs (`input`) or outputs, each
    /// once, in name order.
    pub fn streams(&self, input: bool) -> Vec<&Shape> {
        let names = if input {
            &self.input_streams
        } else {
            &self.output_streams
        };
        names.iter().map(|n| self.shape(n)).collect()
    }

    /// The event structures of the event streams of inputs (`input`) or
    /// outputs (their members that are not errors), each once, in name order.
    pub fn events(&self, input: bool) -> Vec<&Shape> {
        let mut out = BTreeMap::new();
        for stream in self.streams(input) {
            for m in self.stream_events(stream) {
                let target = self.shape(&m.target);
                out.insert(target.name.as_str(), target);
            }
        }
        out.into_values().collect()
    }

    /// Whether an operation's input or output is an event stream (an
    /// event-stream shape no operation reaches needs nothing).
    pub fn has_event_streams(&self) -> bool {
        !self.input_streams.is_empty() || !self.output_streams.is_empty()
    }

    /// Whether an operation pages.
    pub fn has_pagination(&self) -> bool {
        self.operations.iter().any(|op| op.pagination.is_some())
    }
}

/// The names of the event streams of operation inputs (`input`) or outputs.
fn streams(svc: &Service, input: bool) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for op in &svc.operations {
        let owner = if input { &op.input } else { &op.output };
        let Some(owner) = owner else { continue };
        for m in svc.shape(owner).children() {
            if m.location == Location::EventStream {
                out.insert(m.target.clone());
            }
        }
    }
    out.into_iter().collect()
}

/// The optional runtime features the model needs: `event-stream` for event
/// streams, `gzip` for `@requestCompression`, `md5` for
/// `@httpChecksumRequired`, `runtime-patterns` when a pattern an input can
/// meet is matched at run time.
fn awsrt_features(r: &Resolved) -> Vec<&'static str> {
    let mut features = Vec::new();
    if r.has_event_streams() {
        features.push("event-stream");
    }
    if r.operations.iter().any(|op| op.request_compression) {
        features.push("gzip");
    }
    if r.operations.iter().any(|op| op.checksum_required) {
        features.push("md5");
    }
    if r.validation
        .patterns
        .values()
        .any(|p| matches!(p.compiled.matcher, Matcher::Runtime { .. }))
    {
        features.push("runtime-patterns");
    }
    features
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::pipeline;

    /// A botocore model (whose loader keeps every shape, reached or not)
    /// with an event stream `Events`, the output's payload when `used`.
    fn model(used: bool) -> serde_json::Value {
        let output = if used { "Out" } else { "Plain" };
        json!({
            "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                         "serviceFullName": "Example", "serviceId": "Example", "signatureVersion": "v4"},
            "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                                  "output": {"shape": output}}},
            "shapes": {
                "Out": {"type": "structure", "payload": "events", "required": ["events"],
                        "members": {"events": {"shape": "Events"}}},
                "Plain": {"type": "structure", "members": {}},
                "Events": {"type": "structure", "eventstream": true, "members": {"chunk": {"shape": "Chunk"}}},
                "Chunk": {"type": "structure", "event": true, "members": {}},
            },
        })
    }

    fn resolved(used: bool) -> super::Resolved {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("service-2.json");
        std::fs::write(&path, model(used).to_string()).expect("write the model");
        pipeline::prepare(&path, None).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn only_event_streams_an_operation_reaches_need_the_runtime_feature() {
        let used = resolved(true);
        assert!(used.has_event_streams());
        assert_eq!(used.awsrt_features, ["event-stream"]);
        let unused = resolved(false);
        assert!(unused.shapes.contains_key("Events"), "the loader kept it");
        assert!(!unused.has_event_streams());
        assert!(
            unused.awsrt_features.is_empty(),
            "{:?}",
            unused.awsrt_features
        );
    }
}
