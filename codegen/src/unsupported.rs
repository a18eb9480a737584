//! Model features no emitter supports, checked once after loading and
//! applying the overlay: a `@pattern` no matcher can read (rbin's
//! `...rule/[0-9a-zA-Z]{11}{0,1011}$`, a quantifier on a quantifier, which
//! ECMA-262 refuses and Java reads as `{11}`: no meaning is guessed).
//!
//! It compiles every pattern of the model once: the patterns that compile
//! form the set the resolved model owns ([`PatternSet`]). By default an
//! unreadable pattern stops generation with a diagnostic naming the shape,
//! the member, the pattern and why (all of them, in one run). Asked to skip unsupported features
//! (`--skip-unsupported`), the generator instead does not enforce the
//! pattern: it removes it from the constraints and records it in
//! [`Service::unenforced_patterns`], which the crate's documentation lists and
//! the command line prints.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Diagnostics, Error};
use crate::ir::{Constraints, Member, Service, ShapeKind, UnenforcedPattern};
use crate::patterns::{self, PatternError, PatternSet, Semantics};

/// Stop at, or leave unchecked (`skip`), every pattern no matcher reads, and
/// return the patterns left, each compiled once. Without `skip`, every
/// unreadable pattern is a diagnostic.
pub fn apply(svc: &mut Service, skip: bool) -> Result<PatternSet, Diagnostics> {
    let semantics = Semantics::of(svc.source);
    let mut compiled = PatternSet::new();
    let mut refused: BTreeMap<String, PatternError> = BTreeMap::new();
    let mut unenforced = Vec::new();
    let mut problems = Diagnostics::new();
    for (name, shape) in &mut svc.shapes {
        let mut check = |c: &mut Constraints, member: Option<&str>| {
            let Some(p) = &c.pattern else { return };
            if compiled.contains_key(p) {
                return;
            }
            let e = match refused.get(p) {
                Some(e) => e.clone(),
                None => match patterns::compile_for(p, semantics) {
                    Ok(c) => {
                        compiled.insert(p.clone(), Arc::new(c));
                        return;
                    }
                    Err(e) => {
                        refused.insert(p.clone(), e.clone());
                        e
                    }
                },
            };
            if !skip {
                let message = format!(
                    "unsupported @pattern `{p}`: {e}; generate with --skip-unsupported to leave \
                     it unchecked"
                );
                problems.push(match member {
                    Some(m) => Error::member(name, m, message),
                    None => Error::shape(name, message),
                });
                return;
            }
            unenforced.push(UnenforcedPattern {
                shape: name.clone(),
                member: member.map(str::to_string),
                pattern: p.clone(),
                reason: e.to_string(),
            });
            c.pattern = None;
        };
        check(&mut shape.constraints, None);
        for m in members_mut(&mut shape.kind) {
            check(&mut m.constraints, Some(&m.name));
        }
    }
    svc.unenforced_patterns = unenforced;
    problems.finish(compiled)
}

fn members_mut(kind: &mut ShapeKind) -> Vec<&mut Member> {
    match kind {
        ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms.iter_mut().collect(),
        ShapeKind::List { member, .. } => vec![member],
        ShapeKind::Map { key, value, .. } => vec![key, value],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::apply;
    use crate::ir::{Service, ShapeKind};
    use crate::load::load_model;

    /// A model with unreadable patterns on a shape and on a member, and a
    /// readable one.
    fn with_patterns(dir: &std::path::Path) -> Service {
        let path = dir.join("service-2.json");
        let doc = serde_json::json!({
            "version": "2.0",
            "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                         "serviceFullName": "Example", "serviceId": "Example"},
            "operations": {
                "Plain": {"name": "Plain", "http": {"method": "POST", "requestUri": "/p"},
                          "input": {"shape": "PlainRequest"}}
            },
            "shapes": {
                "PlainRequest": {"type": "structure", "members": {
                    "id": {"shape": "Id"}, "arn": {"shape": "Arn"}}},
                "Arn": {"type": "string", "pattern": "\\p{InGreek}"},
                "Id": {"type": "string", "pattern": "[a-z]+"}
            }
        });
        std::fs::write(&path, doc.to_string()).expect("write the model");
        let mut svc = load_model(&path).expect("loads");
        // botocore has no member constraints; Smithy does.
        let Some(ShapeKind::Structure(members)) =
            svc.shapes.get_mut("PlainRequest").map(|s| &mut s.kind)
        else {
            panic!("a structure")
        };
        let arn = members.iter_mut().find(|m| m.name == "arn").expect("arn");
        arn.constraints.pattern = Some("a{2}{3}".into());
        svc
    }

    #[test]
    fn every_unreadable_pattern_stops_generation_naming_shape_member_and_pattern() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut svc = with_patterns(dir.path());
        let e = apply(&mut svc, false).expect_err("must stop").to_string();
        assert_eq!(
            e,
            "shape `Arn`: unsupported @pattern `\\p{InGreek}`: unknown Unicode property `InGreek` \
             (at character 1); generate with --skip-unsupported to leave it unchecked\n\
             shape `PlainRequest`, member `arn`: unsupported @pattern `a{2}{3}`: nothing to repeat \
             (a quantifier follows a quantifier) (at character 5); generate with \
             --skip-unsupported to leave it unchecked"
        );
    }

    #[test]
    fn skipping_leaves_unreadable_patterns_unchecked_and_lists_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut svc = with_patterns(dir.path());
        apply(&mut svc, true).expect("skips");
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
                "shape `PlainRequest`, member `arn`: @pattern `a{2}{3}` is not enforced: nothing \
                 to repeat (a quantifier follows a quantifier) (at character 5)",
            ]
        );
        assert_eq!(svc.shape("Arn").constraints.pattern, None);
        let ShapeKind::Structure(members) = &svc.shape("PlainRequest").kind else {
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
}
