//! The validation plan: which shapes an operation input can reach and whose
//! values can break a constraint (each gets a `validate_<shape>` function),
//! and which compiled pattern each `@pattern` uses, with the shapes and
//! members that carry it. The validators emitter names and writes them.
//! The one walk over what inputs reach also checks that each constraint
//! met applies to its value's kind (`checks::constraint`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::checks;
use crate::error::Diagnostics;
use crate::ir::{Constraints, Member, Service, Shape, ShapeKind};
use crate::patterns::{Compiled, PatternSet};

/// What the validators check.
#[derive(Debug, Default)]
pub struct Validation {
    /// Shapes reachable from inputs that need a `validate_<shape>`
    /// function, sorted.
    pub helpers: BTreeSet<String>,
    /// The patterns inputs can meet, keyed by the pattern's text.
    pub patterns: BTreeMap<String, PatternUse>,
}

/// A pattern an input can meet.
#[derive(Debug)]
pub struct PatternUse {
    /// The pattern, compiled.
    pub compiled: Arc<Compiled>,
    /// Shapes (or `Shape.member`s) that carry it, sorted.
    pub users: BTreeSet<String>,
}

impl Validation {
    /// The plan for `svc`, whose patterns are compiled in `patterns`; a
    /// constraint an input can meet that the validators cannot check is a
    /// problem added to `problems`.
    pub fn new(svc: &Service, patterns: &PatternSet, problems: &mut Diagnostics) -> Validation {
        let needs = needs_validation(svc);
        let reachable = reachable_from_inputs(svc);
        let helpers = reachable
            .iter()
            .filter(|name| needs.get(*name).copied().unwrap_or(false))
            .cloned()
            .collect();
        let mut used: BTreeMap<String, PatternUse> = BTreeMap::new();
        // Each constraint an input can meet: the shape or member it is on,
        // and the shape of the value it constrains.
        let mut visit = |c: &Constraints, value: &Shape, owner: &str, member: Option<&str>| {
            checks::constraint(svc, value, c, (owner, member), problems);
            let Some(p) = &c.pattern else { return };
            // `unsupported::apply` compiled every pattern the model kept.
            let Some(compiled) = patterns.get(p) else {
                return;
            };
            let user = match member {
                Some(m) => format!("{owner}.{m}"),
                None => owner.to_string(),
            };
            used.entry(p.clone())
                .or_insert_with(|| PatternUse {
                    compiled: compiled.clone(),
                    users: BTreeSet::new(),
                })
                .users
                .insert(user);
        };
        for input in inputs(svc) {
            for m in svc.shape(input).children() {
                visit(&m.constraints, svc.shape(&m.target), input, Some(&m.name));
            }
        }
        for name in &reachable {
            let shape = svc.shape(name);
            visit(&shape.constraints, shape, name, None);
            for m in shape.children() {
                visit(&m.constraints, svc.shape(&m.target), name, Some(&m.name));
            }
        }
        Validation {
            helpers,
            patterns: used,
        }
    }
}

/// The input shapes of the operations.
fn inputs(svc: &Service) -> impl Iterator<Item = &str> {
    svc.operations.iter().filter_map(|op| op.input.as_deref())
}

/// The shapes whose values an operation input can contain (not the input
/// structures themselves, unless a member targets one).
fn reachable_from_inputs(svc: &Service) -> BTreeSet<String> {
    svc.reachable(
        inputs(svc)
            .flat_map(|input| svc.shape(input).children())
            .map(|m| m.target.as_str()),
    )
}

/// Which shapes' values can break a constraint: a least fixpoint, so that
/// recursive shapes terminate. Structures other than inputs hold their
/// required members by type, so `@required` alone does not count here.
fn needs_validation(svc: &Service) -> BTreeMap<String, bool> {
    let mut needs: BTreeMap<String, bool> = svc.shapes.keys().map(|k| (k.clone(), false)).collect();
    loop {
        let mut changed = false;
        for (name, shape) in &svc.shapes {
            if needs[name] {
                continue;
            }
            let own = !shape.constraints.is_empty() || matches!(shape.kind, ShapeKind::Union(_));
            let child = shape.children().iter().any(|m| member_needs(&needs, m));
            if own || child {
                needs.insert(name.clone(), true);
                changed = true;
            }
        }
        if !changed {
            return needs;
        }
    }
}

fn member_needs(needs: &BTreeMap<String, bool>, m: &Member) -> bool {
    !m.constraints.is_empty() || needs.get(&m.target).copied().unwrap_or(false)
}
