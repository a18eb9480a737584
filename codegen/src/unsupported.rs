//! Model features no emitter supports, checked once after loading and
//! applying the overlay: a `@pattern` no matcher can read (rbin's
//! `...rule/[0-9a-zA-Z]{11}{0,1011}$`, a quantifier on a quantifier, which
//! ECMA-262 refuses and Java reads as `{11}`: no meaning is guessed).
//!
//! By default it stops generation with an error naming the shape, the
//! member, the pattern and why. Asked to skip unsupported features
//! (`--skip-unsupported`), the generator instead does not enforce the
//! pattern: it removes it from the constraints and records it in
//! [`Service::unenforced_patterns`], which the crate's documentation lists and
//! the command line prints.

use crate::error::{Error, Result};
use crate::ir::{Constraints, Member, Service, ShapeKind, UnenforcedPattern};
use crate::patterns::{self, Semantics};

/// Stop at, or leave unchecked (`skip`), every pattern no matcher reads.
pub fn apply(svc: &mut Service, skip: bool) -> Result<()> {
    unenforce_patterns(svc, skip)
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
    fn an_unreadable_pattern_stops_generation_naming_shape_member_and_pattern() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut svc = with_patterns(dir.path());
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
