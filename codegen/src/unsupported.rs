//! Model features no emitter supports, checked once after loading: an
//! operation whose input or output has an event stream member.
//!
//! By default such an operation stops generation with an error naming the
//! operation, the member and the shape. Asked to skip unsupported features
//! (`--skip-unsupported`), the generator leaves the operation out instead,
//! records it in [`Service::omitted`] (the crate's documentation lists it), and
//! drops the shapes only it used, so that emitters never meet an event stream.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::ir::{OmittedOperation, Operation, Service, ShapeKind};

/// Stop at, or leave out (`skip`), every operation that uses an unsupported feature.
pub fn apply(svc: &mut Service, skip: bool) -> Result<()> {
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
                    "targets the event stream `{target}` (operation `{}`): event streams are not \
                     supported; generate with --skip-unsupported to leave the operation out",
                    op.name
                ),
            ));
        }
        omitted.push(OmittedOperation {
            name: op.name.clone(),
            reason: format!("its member `{owner}.{member}` is an event stream (`{target}`), which this generator does not support"),
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

/// The first member of `op`'s input or output that targets an event stream:
/// (structure, member, event stream shape).
fn event_stream_member(svc: &Service, op: &Operation) -> Option<(String, String, String)> {
    for structure in op.input.iter().chain(&op.output) {
        if let ShapeKind::Structure(members) = &svc.shape(structure).kind {
            for m in members {
                if svc.shape(&m.target).event_stream {
                    return Some((structure.clone(), m.name.clone(), m.target.clone()));
                }
            }
        }
    }
    None
}

/// Every shape the operations reach (inputs, outputs, errors, and what they contain).
fn reachable(svc: &Service) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = svc
        .operations
        .iter()
        .flat_map(|op| op.input.iter().chain(&op.output).chain(&op.errors))
        .cloned()
        .collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match &svc.shape(&name).kind {
            ShapeKind::Structure(ms) | ShapeKind::Union(ms) => {
                stack.extend(ms.iter().map(|m| m.target.clone()))
            }
            ShapeKind::List { member, .. } => stack.push(member.target.clone()),
            ShapeKind::Map { key, value, .. } => {
                stack.push(key.target.clone());
                stack.push(value.target.clone());
            }
            _ => {}
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::apply;
    use crate::load::load_model;

    fn model(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("service-2.json");
        let doc = serde_json::json!({
            "version": "2.0",
            "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                         "serviceFullName": "Example", "serviceId": "Example"},
            "operations": {
                "Stream": {"name": "Stream", "http": {"method": "POST", "requestUri": "/s"},
                           "input": {"shape": "StreamRequest"}, "output": {"shape": "StreamResponse"}},
                "Plain": {"name": "Plain", "http": {"method": "POST", "requestUri": "/p"},
                          "input": {"shape": "StreamRequest"}}
            },
            "shapes": {
                "StreamRequest": {"type": "structure", "members": {"id": {"shape": "String"}}},
                "StreamResponse": {"type": "structure", "members": {"events": {"shape": "Events"}},
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
            "shape `StreamResponse`, member `events`: targets the event stream `Events` (operation \
             `Stream`): event streams are not supported; generate with --skip-unsupported to leave \
             the operation out"
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
