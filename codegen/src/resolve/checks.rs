//! Model checks that produce no resolved data: what event messages can
//! carry, and which constraints the validators can check on a value's kind
//! (asked by the validation plan's walk, `validation.rs`, for each
//! constraint it meets). Each problem becomes a diagnostic; the emitters rely
//! on these checks having passed. Pagination is checked where it is read
//! (`load::check_pagination`).

use crate::error::{Diagnostics, Error};
use crate::ir::{Constraints, Location, Service, Shape, ShapeKind};

/// Every event of an event stream (a member that is not an error) is a
/// structure, whose `@eventHeader` members are scalars a header can carry and
/// whose `@eventPayload` member is a blob, a string, a structure, a union or
/// a document.
pub(super) fn events(svc: &Service, problems: &mut Diagnostics) {
    for stream in svc.shapes.values().filter(|s| s.event_stream) {
        for m in svc.stream_events(stream) {
            let event = svc.shape(&m.target);
            let ShapeKind::Structure(members) = &event.kind else {
                problems.push(Error::shape(
                    &event.name,
                    "is an event of an event stream but not a structure",
                ));
                continue;
            };
            for m in members {
                let kind = &svc.shape(&m.target).kind;
                let (place, fits) = match m.location {
                    Location::EventHeader => ("header", header_fits(kind)),
                    Location::EventPayload => ("payload", payload_fits(kind)),
                    _ => continue,
                };
                if !fits {
                    problems.push(Error::member(
                        &event.name,
                        &m.name,
                        format!("an event {place} cannot be {}", kind.a_name()),
                    ));
                }
            }
        }
    }
}

/// Whether an event header can carry a value of `kind`.
fn header_fits(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::String
            | ShapeKind::Enum(_)
            | ShapeKind::Boolean
            | ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Blob { .. }
            | ShapeKind::Timestamp(_)
    )
}

/// Whether an event payload can be a value of `kind`.
fn payload_fits(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Blob { .. }
            | ShapeKind::String
            | ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::Document
    )
}

/// The constraints `c` on a value of `shape` apply to its kind, and every
/// `@range` bound is a number the check can hold. The constraints are those
/// of shape `owner`, or of its member `member`.
pub(super) fn constraint(
    svc: &Service,
    shape: &Shape,
    c: &Constraints,
    (owner, member): (&str, Option<&str>),
    problems: &mut Diagnostics,
) {
    let problem = |message: String| match member {
        Some(member) => Error::member(owner, member, message),
        None => Error::shape(owner, message),
    };
    let unsupported = |what: &str| {
        problem(format!(
            "{what} is not supported on {} shapes",
            shape.kind.name()
        ))
    };
    if c.length.is_some() && !shape.kind.has_length() {
        problems.push(unsupported("@length"));
    }
    if let Some(r) = &c.range {
        let float = matches!(shape.kind, ShapeKind::Float | ShapeKind::Double);
        let int = matches!(
            shape.kind,
            ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::IntEnum(_)
                | ShapeKind::Long
        );
        if !float && !int {
            problems.push(unsupported("@range"));
        }
        for text in [&r.min, &r.max].into_iter().flatten() {
            let ok = if float {
                float_bound(text).is_some()
            } else {
                int_bound(text, true).is_some()
            };
            if (float || int) && !ok {
                let why = if text.parse::<f64>().is_ok() {
                    "is not finite"
                } else {
                    "is not a number"
                };
                problems.push(problem(format!("@range bound `{text}` {why}")));
            }
        }
    }
    if c.pattern.is_some() && !matches!(shape.kind, ShapeKind::String | ShapeKind::Enum(_)) {
        problems.push(unsupported("@pattern"));
    }
    if c.max_total_bytes.is_some() {
        match &shape.kind {
            ShapeKind::Map { key, value, .. } => {
                let stringy =
                    |t: &str| matches!(svc.shape(t).kind, ShapeKind::String | ShapeKind::Enum(_));
                if !stringy(&key.target) || !stringy(&value.target) {
                    problems.push(problem(
                        "a total size limit applies only to maps of strings".into(),
                    ));
                }
            }
            _ => problems.push(unsupported("a total size limit")),
        }
    }
}

/// An integer `@range` bound from its decimal text: a fractional minimum
/// (`up`) rounds up, a fractional maximum rounds down; `None` for text that
/// is no number.
pub fn int_bound(text: &str, up: bool) -> Option<i64> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    let f: f64 = text.parse().ok()?;
    let f = if up { f.ceil() } else { f.floor() };
    // `as` saturates: a bound beyond i64 bounds nothing an i64 can hold.
    Some(f as i64)
}

/// A float `@range` bound from its decimal text; `None` for text that is no
/// finite number.
pub fn float_bound(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}
