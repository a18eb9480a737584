//! The shape graph, analysed once after loading, with loops instead of
//! recursion so that no model can exhaust the generator's stack.
//!
//! - A cycle made only of lists and maps (`L` is a list of `L`, or a map of a
//!   list of it) has no Rust type (`Vec<Vec<...>>` never ends): refused.
//! - Lists and maps nested more than [`MAX_NESTING`] deep (`Vec<Vec<...>>`
//!   more than that many times) are refused, so that every walk the emitters
//!   make through a type's lists and maps is bounded by that limit.
//! - Structures that require one another in a cycle (`A` requires a `B`,
//!   which requires an `A`) have no finite value, and a response that leaves
//!   one out could not be corrected to one: refused, as Smithy refuses them.
//! - A member whose target leads back to its own structure or union through
//!   structure and union members only would make an infinitely sized type:
//!   it is marked [`Member::boxed`]. That is the case exactly when owner and
//!   target are in the same strongly connected component of the graph of
//!   structures and unions (a list or map on the way is already a pointer).
//!
//! [`Member::boxed`]: crate::ir::Member::boxed

use std::collections::BTreeMap;

use crate::error::{quoted, Error, Result};
use crate::ir::{Member, Service, ShapeKind};

/// The deepest nesting of lists and maps one type may have (botocore models
/// have at most 3; serde_json reads at most 128 levels of a response).
pub const MAX_NESTING: usize = 32;

/// The most shapes a model may have (botocore's largest, EC2, has 4,414):
/// generation time and memory grow with it.
pub const MAX_SHAPES: usize = 20_000;

/// The most structure and union members a model may have in all (EC2 has
/// 10,415).
pub const MAX_MEMBERS: usize = 100_000;

/// Check sizes and collections and mark the members that must be boxed.
/// Every target must exist (run after `validate`).
pub(crate) fn analyze(svc: &mut Service) -> Result<()> {
    if svc.shapes.len() > MAX_SHAPES {
        return Err(Error::new(format!(
            "the model has {} shapes; at most {MAX_SHAPES} are supported",
            svc.shapes.len()
        )));
    }
    let members: usize = svc.shapes.values().map(|s| s.children().len()).sum();
    if members > MAX_MEMBERS {
        return Err(Error::new(format!(
            "the model has {members} members; at most {MAX_MEMBERS} are supported"
        )));
    }
    check_collections(svc)?;
    check_required_cycles(svc)?;
    mark_boxed(svc);
    Ok(())
}

/// The element a list or map holds (a list's member, a map's value), if the
/// shape is one.
fn element(svc: &Service, name: &str) -> Option<String> {
    match &svc.shapes.get(name)?.kind {
        ShapeKind::List { member, .. } => Some(member.target.clone()),
        ShapeKind::Map { value, .. } => Some(value.target.clone()),
        _ => None,
    }
}

/// Refuse list/map-only cycles and nesting deeper than [`MAX_NESTING`].
/// Each collection has one element (map keys are strings), so following
/// elements is a walk along a path: memoized, every shape is visited once.
fn check_collections(svc: &Service) -> Result<()> {
    // Nesting of each collection: 1 for `Vec<String>`, 2 for `Vec<Vec<String>>`.
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    for start in svc.shapes.keys() {
        if depth.contains_key(start.as_str()) || element(svc, start).is_none() {
            continue;
        }
        // Follow elements until a known depth, a non-collection, or a repeat.
        let mut path: Vec<&str> = Vec::new();
        let mut on_path: BTreeMap<&str, usize> = BTreeMap::new();
        let mut cur: &str = start;
        let base = loop {
            if let Some(&d) = depth.get(cur) {
                break d;
            }
            if let Some(&at) = on_path.get(cur) {
                let cycle = &path[at..];
                let shown = if cycle.len() > 8 {
                    format!(
                        "{} -> ... ({} shapes)",
                        cycle[..8].join(" -> "),
                        cycle.len()
                    )
                } else {
                    cycle.join(" -> ")
                };
                return Err(Error::shape(
                    cur,
                    format!(
                        "is recursive through lists and maps only ({shown} -> {cur}), which has \
                         no Rust type: a recursive shape must pass through a structure or union"
                    ),
                ));
            }
            let Some(next) = element(svc, cur) else {
                break 0;
            };
            on_path.insert(cur, path.len());
            path.push(cur);
            // `next` is a key of `svc.shapes` (validated), so borrow it from there.
            cur = match svc.shapes.get_key_value(&next) {
                Some((k, _)) => k.as_str(),
                None => break 0,
            };
        };
        for (i, name) in path.iter().rev().enumerate() {
            let d = base + i + 1;
            if d > MAX_NESTING {
                return Err(Error::shape(
                    *name,
                    format!(
                        "nests lists and maps {d} deep (through `{}`); at most {MAX_NESTING} \
                         are supported",
                        path[path.len() - 1 - i..].join("` -> `")
                    ),
                ));
            }
            depth.insert(name, d);
        }
    }
    Ok(())
}

/// Refuse a cycle of structures joined by required members: no value of
/// them is finite, and client error correction (a required structure the
/// response left out is read from `{}`) would never end. Unions, lists,
/// maps and optional members break a cycle.
fn check_required_cycles(svc: &Service) -> Result<()> {
    let (names, index_of, component) = components(
        svc,
        |k| matches!(k, ShapeKind::Structure(_)),
        |m| m.required,
    );
    for (i, name) in names.iter().enumerate() {
        let in_cycle = svc.shapes[*name].children().into_iter().find(|m| {
            m.required
                && index_of
                    .get(m.target.as_str())
                    .is_some_and(|&t| component[t] == component[i])
        });
        if let Some(m) = in_cycle {
            return Err(Error::member(
                *name,
                m.name.as_str(),
                format!(
                    "is required and targets the structure {}which requires this one again \
                     through required members: no value of these structures ends (Smithy \
                     refuses such cycles); make one of the members optional",
                    quoted(&m.target)
                ),
            ));
        }
    }
    Ok(())
}

/// The shapes `keep` selects (by name), where each stands in the name
/// list, and the strongly connected component of each in the graph whose
/// edges are their members that `follow` selects and that target a kept
/// shape.
fn components(
    svc: &Service,
    keep: impl Fn(&ShapeKind) -> bool,
    follow: impl Fn(&Member) -> bool,
) -> (Vec<&str>, BTreeMap<&str, usize>, Vec<usize>) {
    let names: Vec<&str> = svc
        .shapes
        .iter()
        .filter(|(_, s)| keep(&s.kind))
        .map(|(n, _)| n.as_str())
        .collect();
    let index_of: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            svc.shapes[*n]
                .children()
                .into_iter()
                .filter(|m| follow(m))
                .filter_map(|m| index_of.get(m.target.as_str()).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    (names, index_of, component)
}

/// Set `boxed` on every structure or union member whose target is in the
/// same strongly connected component as its owner (Tarjan's algorithm, with
/// an explicit stack).
fn mark_boxed(svc: &mut Service) {
    let (names, index_of, component) = components(
        svc,
        |k| matches!(k, ShapeKind::Structure(_) | ShapeKind::Union(_)),
        |_| true,
    );
    // Each structure's or union's members, in order: whether to box it.
    let boxed: Vec<(String, Vec<bool>)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let flags = svc.shapes[*name]
                .children()
                .into_iter()
                .map(|m| {
                    index_of
                        .get(m.target.as_str())
                        .is_some_and(|&t| component[t] == component[i])
                })
                .collect();
            (name.to_string(), flags)
        })
        .collect();
    for (name, flags) in boxed {
        if let Some(ShapeKind::Structure(ms) | ShapeKind::Union(ms)) =
            svc.shapes.get_mut(&name).map(|s| &mut s.kind)
        {
            for (m, boxed) in ms.iter_mut().zip(flags) {
                m.boxed = boxed;
            }
        }
    }
}

/// The component of each node (nodes in one cycle share one; a node on no
/// cycle is alone in its own), by Tarjan's algorithm without recursion.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position of the next edge to follow)
        let mut work = vec![(root, 0)];
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*pos) {
                *pos += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0, 5 alone
        let c = strongly_connected(&[vec![1], vec![2], vec![0], vec![3], vec![0], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[5], c[4]);
        assert_ne!(c[5], c[3]);
    }

    #[test]
    fn a_long_chain_needs_no_stack() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = strongly_connected(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let c = strongly_connected(&edges);
        assert_ne!(c[0], c[1]);
    }
}
