//! Model features no emitter supports, checked once after loading and
//! applying the overlay: an operation whose input has an event stream member
//! (event streams in outputs are supported), and a `@pattern` no matcher can
//! read.
//!
//! By default either stops generation with an error naming the shape and the
//! member (and the operation, or the pattern and why). Asked to skip
//! unsupported features (`--skip-unsupported`), the generator instead:
//!
//! - leaves the operation out, records it in [`Service::omitted`], and drops
//!   the shapes only it used, so that emitters never meet an event stream;
//! - does not enforce the pattern: removes it from the constraints and
//!   records it in [`Service::unenforced_patterns`] (rbin's
//!   `...rule/[0-9a-zA-Z]{11}{0,1011}$`, a quantifier on a quantifier, which
//!   ECMA-262 refuses and Java reads as `{11}`: no meaning is guessed).
//!
//! The crate's documentation lists both, and the command line prints them.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::ir::{
    Constraints, Location, Member, OmittedOperation, Operation, Service, ShapeKind,
    UnenforcedPattern,
};
use crate::patterns::{self, Semantics};

/// Stop at, or leave out (`skip`), every operation that uses an unsupported
/// feature; then stop at, or leave unchecked, every pattern no matcher reads.
pub fn apply(svc: &mut Service, skip: bool) -> Result<()> {
    leave_out_operations(svc, skip)?;
    unenforce_patterns(svc, skip)
}

fn leave_out_operations(svc: &mut Service, skip: bool) -> Result<()> {
    let mut omitted = Vec::new();
    for op in &svc.operations {
        let Some((owner, member, target)) = event_stream_member(svc, op) else {
            continue;
        };
        if !skip {
            return Err(Error::member(
                owner,
                member,
                format!(
                    "targets the event stream `{target}` (operation `{}`): event streams in \
                     requests are not supported; generate with --skip-unsupported to leave the \
                     operation out",
                    op.name
                ),
            ));
        }
        omitted.push(OmittedOperation {
            name: op.name.clone(),
            reason: format!("its input member `{owner}.{member}` is an event stream (`{target}`), which this generator does not support in requests"),
        });
    }
    if omitted.is_empty() {
        return Ok(());
    }
    let gone: BTreeSet<&str> = omitted.iter().map(|o| o.name.as_str()).collect();
    svc.operations.retain(|op| !gone.contains(op.name.as_str()));
    let keep = reachable(svc);
    svc.shapes.retain(|name, _| keep.contains(name));
    svc.omitted = omitted;
    Ok(())
}

/// Compile every pattern of the shapes left, as the validators will: one that
/// no matcher reads is an error naming shape, member, pattern and reason, or
/// with `skip` is removed and recorded.
fn unenforce_patterns(svc: &mut Service, skip: bool) -> Result<()> {
    let semantics = Semantics::of(svc.source);
    let mut unenforced = Vec::new();
    for (name, shape) in &mut svc.shapes {
        let mut check = |c: &mut Constraints, member: Option<&str>| -> Result<()> {
            let Some(p) = &c.pattern else { return Ok(()) };
            let Err(e) = patterns::compile_for(p, semantics) else {
                return Ok(());
            };
            if !skip {
                let message = format!(
                    "unsupported @pattern `{p}`: {e}; generate with --skip-unsupported to leave \
                     it unchecked"
                );
                return Err(match member {
                    Some(m) => Error::member(name, m, message),
                    None => Error::shape(name, message),
                });
            }
            unenforced.push(UnenforcedPattern {
                shape: name.clone(),
                member: member.map(str::to_string),
                pattern: p.clone(),
                reason: e.to_string(),
            });
            c.pattern = None;
            Ok(())
        };
        check(&mut shape.constraints, None)?;
        for m in members_mut(&mut shape.kind) {
            check(&mut m.constraints, Some(&m.name))?;
        }
    }
    svc.unenforced_patterns = unenforced;
    Ok(())
}

fn members_mut(kind: &mut ShapeKind) -> Vec<&mut Member> {
    match kind {
        ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms.iter_mut().collect(),
        ShapeKind::List { member, .. } => vec![member],
        ShapeKind::Map { key, value, .. } => vec![key, value],
        _ => Vec::new(),
    }
}

/// The member of `op`'s input that targets an event stream, if any:
/// (structure, member, event stream shape).
fn event_stream_member(svc: &Service, op: &Operation) -> Option<(String, String, String)> {
    let input = op.input.as_deref()?;
    svc.shape(input)
        .children()
        .into_iter()
        .find(|m| m.location == Location::EventStream)
        .map(|m| (input.to_string(), m.name.clone(), m.target.clone()))
}

/// Every shape the operations reach (inputs, outputs, errors, and what they contain).
fn reachable(svc: &Service) -> BTreeSet<String> {
    svc.reachable(
        svc.operations
            .iter()
            .flat_map(|op| op.input.iter().chain(&op.output).chain(&op.errors))
            .map(String::as_str),
    )
}

#[cfg(test)]
mod tests {
    use super::apply;
    use crate::ir::{Service, ShapeKind};
    use crate::load::load_model;

    fn model(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("service-2.json");
        let doc = serde_json::json!({
            "version": "2.0",
            "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                         "serviceFullName": "Example", "serviceId": "Example"},
            "operations": {
                "Stream": {"name": "Stream", "http": {"method": "POST", "requestUri": "/s"},
                           "input": {"shape": "StreamInput"}},
                "Plain": {"name": "Plain", "http": {"method": "POST", "requestUri": "/p"},
                          "input": {"shape": "StreamRequest"}}
            },
            "shapes": {
                "StreamRequest": {"type": "structure", "members": {"id": {"shape": "String"}}},
                "StreamInput": {"type": "structure", "members": {"events": {"shape": "Events"}},
                                "payload": "events"},
                "Events": {"type": "structure", "eventstream": true,
                           "members": {"chunk": {"shape": "Chunk"}}},
                "Chunk": {"type": "structure", "event": true,
                          "members": {"bytes": {"shape": "Bytes", "eventpayload": true}}},
                "Bytes": {"type": "blob"},
                "String": {"type": "string"}
            }
        });
        std::fs::write(&path, doc.to_string()).expect("write the model");
        path
    }

    #[test]
    fn an_event_stream_stops_generation_naming_operation_member_and_shape() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut svc = load_model(&model(dir.path())).expect("loads");
        let e = apply(&mut svc, false).expect_err("must stop").to_string();
        assert_eq!(
            e,
            "shape `StreamInput`, member `events`: targets the event stream `Events` (operation \
             `Stream`): event streams in requests are not supported; generate with \
             --skip-unsupported to leave the operation out"
        );
    }

    /// The example model with unreadable patterns: on a shape and on a member
    /// of `Plain`'s input, and on a member only `Stream` uses.
    fn with_patterns(dir: &std::path::Path) -> Service {
        let path = model(dir);
        let mut doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let shapes = &mut doc["shapes"];
        shapes["StreamRequest"]["members"]["arn"] = serde_json::json!({"shape": "Arn"});
        shapes["Arn"] = serde_json::json!({"type": "string", "pattern": "\\p{InGreek}"});
        shapes["Id"] = serde_json::json!({"type": "string", "pattern": "[a-z]+"});
        shapes["StreamRequest"]["members"]["id"]["shape"] = "Id".into();
        shapes["Chunk"]["members"]["note"] = serde_json::json!({"shape": "Note"});
        shapes["Note"] = serde_json::json!({"type": "string", "pattern": "(?x)only in the stream"});
        std::fs::write(&path, doc.to_string()).expect("write the model");
        let mut svc = load_model(&path).expect("loads");
        // botocore has no member constraints; Smithy does.
        let Some(ShapeKind::Structure(members)) =
            svc.shapes.get_mut("StreamRequest").map(|s| &mut s.kind)
        else {
            panic!("a structure")
        };
        let arn = members.iter_mut().find(|m| m.name == "arn").expect("arn");
        arn.constraints.pattern = Some("a{2}{3}".into());
        svc
    }

    #[test]
    fn an_unreadable_pattern_stops_generation_naming_shape_member_and_pattern() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut svc = with_patterns(dir.path());
        // Without the event stream, the patterns are next.
        let e = apply(&mut svc, false).expect_err("must stop");
        assert!(e.message.contains("event stream"), "{e}");
        svc.operations.retain(|op| op.name == "Plain");
        svc.shapes
            .retain(|name, _| ["StreamRequest", "String", "Arn", "Id"].contains(&name.as_str()));
        let e = apply(&mut svc, false).expect_err("must stop").to_string();
        assert_eq!(
            e,
            "shape `Arn`: unsupported @pattern `\\p{InGreek}`: unknown Unicode property `InGreek` \
             (at character 1); generate with --skip-unsupported to leave it unchecked"
        );
    }

    #[test]
    fn skipping_leaves_unreadable_patterns_unchecked_and_lists_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut svc = with_patterns(dir.path());
        apply(&mut svc, true).expect("skips");
        // The stream's own pattern went with its operation, unlisted.
        let listed: Vec<String> = svc
            .unenforced_patterns
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            listed,
            [
                "shape `Arn`: @pattern `\\p{InGreek}` is not enforced: unknown Unicode property \
                 `InGreek` (at character 1)",
                "shape `StreamRequest`, member `arn`: @pattern `a{2}{3}` is not enforced: nothing \
                 to repeat (a quantifier follows a quantifier) (at character 5)",
            ]
        );
        assert_eq!(svc.shape("Arn").constraints.pattern, None);
        let ShapeKind::Structure(members) = &svc.shape("StreamRequest").kind else {
            panic!("a structure")
        };
        let arn = members.iter().find(|m| m.name == "arn").expect("arn");
        assert_eq!(arn.constraints.pattern, None);
        assert_eq!(
            svc.shape("Id").constraints.pattern.as_deref(),
            Some("[a-z]+"),
            "readable: kept"
        );
    }

    #[test]
    fn skipping_leaves_the_operation_and_its_own_shapes_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut svc = load_model(&model(dir.path())).expect("loads");
        apply(&mut svc, true).expect("skips");
        let ops: Vec<&str> = svc.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(ops, ["Plain"]);
        assert_eq!(svc.omitted.len(), 1);
        assert_eq!(svc.omitted[0].name, "Stream");
        let shapes: Vec<&str> = svc.shapes.keys().map(String::as_str).collect();
        assert_eq!(shapes, ["StreamRequest", "String"]);
    }
}
