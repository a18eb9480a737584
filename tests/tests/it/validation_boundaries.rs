//! Boundary tests built from the IR: for every constrained shape an operation
//! input can hold, the generated `validate()` is tried at min-1, min, max and
//! max+1 (with one-, three- and four-byte characters for strings), at the
//! total-size limits, on every corpus string for patterns, and with every
//! required member missing. A shape the tests cannot reach fails the test.

use crate::validation_support;

use std::collections::BTreeMap;

use awsrt::validate::{LengthUnit, Rule, Violation};
use codegen::ir::{Constraints, Service, ShapeKind};
use validation_support::{
    corpus, ir, members_of, pattern_matches, valid_input, valid_value, violations, Val,
};

/// One step from a value to a value inside it.
#[derive(Debug, Clone)]
enum Step {
    /// A structure or union member (model name).
    Member(String),
    /// The first element of a list.
    Elem,
    /// The value of the entry `"k"` of a map.
    Value,
    /// The key of a map entry (the value placed is the key).
    Key,
}

/// Where values of a shape can be put: an operation and the steps from its input.
#[derive(Debug, Clone)]
struct Site {
    op: String,
    steps: Vec<Step>,
    /// The constraints to test there (the shape's, or a member's own).
    constraints: Constraints,
    /// The shape whose kind the constraints apply to.
    shape: String,
    /// Below a sensitive member.
    sensitive: bool,
}

/// The first site of every constrained shape (and of every member with
/// constraints of its own) reachable from an operation input.
fn sites(svc: &Service) -> BTreeMap<String, Site> {
    fn walk(
        svc: &Service,
        op: &str,
        shape: &str,
        steps: Vec<Step>,
        sensitive: bool,
        out: &mut BTreeMap<String, Site>,
        depth: usize,
    ) {
        let s = svc.shape(shape);
        if !s.constraints.is_empty() && !out.contains_key(shape) {
            out.insert(
                shape.to_string(),
                Site {
                    op: op.into(),
                    steps: steps.clone(),
                    constraints: s.constraints.clone(),
                    shape: shape.into(),
                    sensitive,
                },
            );
        }
        if depth > 8 {
            return;
        }
        let child = |m: &codegen::ir::Member, step: Step, out: &mut BTreeMap<String, Site>| {
            let mut next = steps.clone();
            next.push(step);
            let sens = sensitive || m.sensitive || svc.shape(&m.target).sensitive;
            if !m.constraints.is_empty() {
                let key = format!("{shape}.{}", m.name);
                out.entry(key).or_insert_with(|| Site {
                    op: op.into(),
                    steps: next.clone(),
                    constraints: m.constraints.clone(),
                    shape: m.target.clone(),
                    sensitive: sens,
                });
            }
            walk(svc, op, &m.target, next, sens, out, depth + 1);
        };
        match &s.kind {
            ShapeKind::Structure(ms) | ShapeKind::Union(ms) => {
                for m in ms {
                    child(m, Step::Member(m.name.clone()), out);
                }
            }
            ShapeKind::List { member, .. } => child(member, Step::Elem, out),
            ShapeKind::Map { key, value, .. } => {
                child(key, Step::Key, out);
                child(value, Step::Value, out);
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for op in &svc.operations {
        if let Some(input) = &op.input {
            for m in members_of(svc.shape(input)) {
                let sens = m.sensitive || svc.shape(&m.target).sensitive;
                let steps = vec![Step::Member(m.name.clone())];
                if !m.constraints.is_empty() {
                    out.entry(format!("{input}.{}", m.name))
                        .or_insert_with(|| Site {
                            op: op.name.clone(),
                            steps: steps.clone(),
                            constraints: m.constraints.clone(),
                            shape: m.target.clone(),
                            sensitive: sens,
                        });
                }
                walk(svc, &op.name, &m.target, steps, sens, &mut out, 0);
            }
        }
    }
    out
}

/// The input of `site.op` with `value` at the site (everything else valid),
/// and the path the violations there carry.
fn place(
    svc: &Service,
    corpus: &[String],
    site: &Site,
    value: Val,
) -> (BTreeMap<String, Val>, String) {
    let op = svc.operation(&site.op).expect("operation");
    let input_shape = op.input.clone().expect("input");
    let input = Val::Struct(valid_input(svc, corpus, &site.op));
    let mut path = String::new();
    let placed = put(
        svc,
        corpus,
        &input_shape,
        input,
        &site.steps,
        value,
        &mut path,
        site.sensitive,
    );
    match placed {
        Val::Struct(m) => (m, path),
        other => panic!("{other:?}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn put(
    svc: &Service,
    corpus: &[String],
    shape: &str,
    current: Val,
    steps: &[Step],
    value: Val,
    path: &mut String,
    sensitive: bool,
) -> Val {
    let Some((step, rest)) = steps.split_first() else {
        return value;
    };
    let kind = &svc.shape(shape).kind;
    match (step, kind) {
        (Step::Member(name), ShapeKind::Structure(ms)) => {
            let m = ms.iter().find(|m| &m.name == name).expect("member");
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            let Val::Struct(mut fields) = current else {
                panic!("expected a structure")
            };
            let inner = fields
                .remove(name)
                .unwrap_or_else(|| valid_value(svc, corpus, &m.target));
            fields.insert(
                name.clone(),
                put(svc, corpus, &m.target, inner, rest, value, path, sensitive),
            );
            Val::Struct(fields)
        }
        (Step::Member(name), ShapeKind::Union(ms)) => {
            let m = ms.iter().find(|m| &m.name == name).expect("member");
            path.push('.');
            path.push_str(name);
            let inner = valid_value(svc, corpus, &m.target);
            Val::Union(
                name.clone(),
                Box::new(put(
                    svc, corpus, &m.target, inner, rest, value, path, sensitive,
                )),
            )
        }
        (Step::Elem, ShapeKind::List { member, .. }) => {
            path.push_str("[0]");
            let inner = valid_value(svc, corpus, &member.target);
            Val::List(vec![put(
                svc,
                corpus,
                &member.target,
                inner,
                rest,
                value,
                path,
                sensitive,
            )])
        }
        (Step::Value, ShapeKind::Map { value: v, .. }) => {
            path.push_str(if sensitive {
                "[*** redacted ***]"
            } else {
                "[\"k\"]"
            });
            let inner = valid_value(svc, corpus, &v.target);
            Val::Map(BTreeMap::from([(
                "k".to_string(),
                put(svc, corpus, &v.target, inner, rest, value, path, sensitive),
            )]))
        }
        (Step::Key, ShapeKind::Map { value: v, .. }) => {
            let Val::Str(key) = value else {
                panic!("a key is a string")
            };
            if sensitive {
                path.push_str("[*** redacted ***] (key)");
            } else {
                path.push_str(&format!("[{key:?}] (key)"));
            }
            Val::Map(BTreeMap::from([(key, valid_value(svc, corpus, &v.target))]))
        }
        (step, kind) => panic!("cannot take {step:?} into {kind:?}"),
    }
}

fn at<'a>(vs: &'a [Violation], path: &str) -> Vec<&'a Violation> {
    vs.iter().filter(|v| v.path() == path).collect()
}

fn length_at(vs: &[Violation], path: &str) -> Option<u64> {
    at(vs, path).into_iter().find_map(|v| match v.rule() {
        Rule::Length { actual, .. } => Some(*actual),
        _ => None,
    })
}

#[test]
fn every_constrained_shape_has_a_site() {
    let svc = ir();
    let sites = sites(&svc);
    // Every constrained shape an input reaches in ivschat.
    let expected = [
        "BucketName",
        "ChatTokenAttributes",
        "DeliveryStreamName",
        "EventAttributes",
        "EventName",
        "LambdaArn",
        "LogGroupName",
        "LoggingConfigurationIdentifier",
        "LoggingConfigurationIdentifierList",
        "LoggingConfigurationName",
        "MaxLoggingConfigurationResults",
        "MaxRoomResults",
        "MessageID",
        "PaginationToken",
        "Reason",
        "ResourceArn",
        "RoomIdentifier",
        "RoomMaxMessageLength",
        "RoomMaxMessageRatePerSecond",
        "RoomName",
        "SessionDurationInMinutes",
        "TagKey",
        "TagKeyList",
        "TagValue",
        "Tags",
        "UserID",
    ];
    assert_eq!(
        sites.keys().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn every_length_limit_at_its_boundaries() {
    let svc = ir();
    let corpus = corpus();
    let mut cases = 0;
    for (name, site) in sites(&svc) {
        let Some(b) = site.constraints.length else {
            continue;
        };
        let min = b.min.unwrap_or(0);
        let mut sizes = vec![min, min + 1];
        if min > 0 {
            sizes.push(min - 1);
        }
        if let Some(max) = b.max {
            sizes.extend([max.saturating_sub(1), max, max + 1]);
        }
        let kind = &svc.shape(&site.shape).kind;
        for n in sizes {
            let values: Vec<(Val, &str)> = match kind {
                ShapeKind::String => ["a", "€", "😀"]
                    .iter()
                    .map(|c| (Val::Str(c.repeat(n as usize)), *c))
                    .collect(),
                ShapeKind::List { member, .. } => {
                    let item = valid_value(&svc, &corpus, &member.target);
                    vec![(Val::List(vec![item; n as usize]), "entries")]
                }
                ShapeKind::Map { value, .. } => {
                    let item = valid_value(&svc, &corpus, &value.target);
                    vec![(
                        Val::Map((0..n).map(|i| (format!("k{i}"), item.clone())).collect()),
                        "entries",
                    )]
                }
                other => panic!("{name}: @length on {other:?}"),
            };
            for (value, unit) in values {
                let (input, path) = place(&svc, &corpus, &site, value);
                let vs = violations(&site.op, &input);
                let inside = n >= min && b.max.is_none_or(|max| n <= max);
                match length_at(&vs, &path) {
                    None => assert!(
                        inside,
                        "{name}: {n} {unit} at {path} must be refused: {vs:?}"
                    ),
                    Some(actual) => {
                        assert!(!inside, "{name}: {n} {unit} at {path} must pass: {vs:?}");
                        assert_eq!(actual, n, "{name}: measured size");
                    }
                }
                cases += 1;
            }
        }
    }
    assert!(cases > 150, "{cases}");
}

#[test]
fn every_range_at_its_boundaries() {
    let svc = ir();
    let corpus = corpus();
    let mut cases = 0;
    for (name, site) in sites(&svc) {
        let Some(r) = &site.constraints.range else {
            continue;
        };
        let min: i64 = r.min.as_deref().expect("min").parse().expect("integer");
        let max: i64 = r.max.as_deref().expect("max").parse().expect("integer");
        for n in [
            min - 1,
            min,
            min + 1,
            max - 1,
            max,
            max + 1,
            i64::from(i32::MIN),
            i64::from(i32::MAX),
        ] {
            let (input, path) = place(&svc, &corpus, &site, Val::Int(n));
            let vs = violations(&site.op, &input);
            let found = at(&vs, &path).into_iter().find_map(|v| match v.rule() {
                Rule::Range { actual, .. } => Some(actual.map(|a| a.to_string())),
                _ => None,
            });
            match found {
                None => assert!(
                    (min..=max).contains(&n),
                    "{name}: {n} must be refused: {vs:?}"
                ),
                Some(actual) => {
                    assert!(!(min..=max).contains(&n), "{name}: {n} must pass");
                    assert_eq!(actual, Some(n.to_string()));
                }
            }
            cases += 1;
        }
    }
    assert_eq!(cases, 5 * 8);
}

#[test]
fn total_size_limits_count_the_utf8_bytes_of_keys_and_values() {
    let svc = ir();
    let corpus = corpus();
    let mut limited = 0;
    for (name, site) in sites(&svc) {
        let Some(max) = site.constraints.max_total_bytes else {
            continue;
        };
        limited += 1;
        let max = max as usize;
        // (entries, total bytes): ASCII, three-byte characters, many entries.
        let euro = "€".repeat((max - 1) / 3);
        let cases: Vec<(BTreeMap<String, Val>, usize)> = vec![
            (
                BTreeMap::from([("k".into(), Val::Str("v".repeat(max - 1)))]),
                max,
            ),
            (
                BTreeMap::from([("k".into(), Val::Str("v".repeat(max)))]),
                max + 1,
            ),
            (
                BTreeMap::from([("k".into(), Val::Str(euro.clone()))]),
                1 + euro.len(),
            ),
            (
                BTreeMap::from([("k".into(), Val::Str(format!("{euro}€")))]),
                1 + euro.len() + 3,
            ),
            (
                (0..max / 8)
                    .map(|i| (format!("key{i:05}"), Val::Str(String::new())))
                    .collect(),
                max,
            ),
            (
                (0..=max / 8)
                    .map(|i| (format!("key{i:05}"), Val::Str(String::new())))
                    .collect(),
                max + 8,
            ),
            (BTreeMap::new(), 0),
        ];
        for (entries, total) in cases {
            let (input, path) = place(&svc, &corpus, &site, Val::Map(entries));
            let vs = violations(&site.op, &input);
            let found = at(&vs, &path).into_iter().find_map(|v| match v.rule() {
                Rule::TotalBytes { actual, max } => Some((*actual, *max)),
                _ => None,
            });
            if total <= max {
                assert_eq!(found, None, "{name}: {total} bytes must pass");
            } else {
                assert_eq!(
                    found,
                    Some((total as u64, max as u64)),
                    "{name}: {total} bytes must be refused"
                );
            }
        }
    }
    assert_eq!(limited, 2, "ChatTokenAttributes and EventAttributes");
}

#[test]
fn every_pattern_on_the_corpus() {
    let svc = ir();
    let corpus = corpus();
    let mut refused = 0;
    for (name, site) in sites(&svc) {
        let Some(p) = &site.constraints.pattern else {
            continue;
        };
        for s in &corpus {
            let (input, path) = place(&svc, &corpus, &site, Val::Str(s.clone()));
            let vs = violations(&site.op, &input);
            let found = at(&vs, &path)
                .into_iter()
                .any(|v| matches!(v.rule(), Rule::Pattern { .. }));
            assert_eq!(
                found,
                !pattern_matches(&svc, p, s),
                "{name} on {s:?}: {vs:?}"
            );
            refused += usize::from(found);
        }
    }
    assert!(refused > 500, "{refused}");
}

#[test]
fn every_required_member_must_be_set() {
    let svc = ir();
    let corpus = corpus();
    let mut required = 0;
    for op in &svc.operations {
        let valid = valid_input(&svc, &corpus, &op.name);
        assert_eq!(
            violations(&op.name, &valid),
            [],
            "{}: a valid input must pass",
            op.name
        );
        let Some(input) = &op.input else { continue };
        for m in members_of(svc.shape(input)).iter().filter(|m| m.required) {
            let mut without = valid.clone();
            without.remove(&m.name);
            let vs = violations(&op.name, &without);
            assert_eq!(vs.len(), 1, "{}.{}: {vs:?}", op.name, m.name);
            assert_eq!(
                (vs[0].path(), vs[0].rule()),
                (m.name.as_str(), &Rule::Required)
            );
            required += 1;
        }
    }
    assert_eq!(required, 20);
}

#[test]
fn the_issue_examples() {
    use ivschat::operation::create_chat_token::CreateChatTokenInput;
    use ivschat::operation::create_room::CreateRoomInput;
    let room = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";

    // 128 '€' fit a 128-character limit; 129 do not.
    let token = |user: String| {
        CreateChatTokenInput::builder()
            .room_identifier(room)
            .user_id(user)
            .build()
            .expect("input")
    };
    assert_eq!(token("€".repeat(128)).validate(), Ok(()));
    let err = token("€".repeat(129))
        .validate()
        .expect_err("129 characters");
    assert_eq!(
        err.violations()[0].rule(),
        &Rule::Length {
            unit: LengthUnit::Characters,
            min: Some(1),
            max: Some(128),
            actual: 129
        }
    );

    // 1024 bytes of attributes fit, 1025 do not.
    let with = |value: usize| {
        CreateChatTokenInput::builder()
            .room_identifier(room)
            .user_id("u")
            .attributes("displayName", "x".repeat(value))
            .build()
            .expect("input")
    };
    assert_eq!(with(1024 - "displayName".len()).validate(), Ok(()));
    let err = with(1025 - "displayName".len())
        .validate()
        .expect_err("1025 bytes");
    assert_eq!(
        err.violations()[0].rule(),
        &Rule::TotalBytes {
            max: 1024,
            actual: 1025
        }
    );

    // 50 tags fit, 51 do not.
    let tags = |n: usize| {
        (0..n)
            .fold(CreateRoomInput::builder(), |b, i| {
                b.tags(format!("key{i}"), "v")
            })
            .build()
            .expect("input")
    };
    assert_eq!(tags(50).validate(), Ok(()));
    let err = tags(51).validate().expect_err("51 tags");
    assert_eq!(err.violations().len(), 1);
    assert_eq!(
        err.violations()[0].to_string(),
        "tags: length: 51 entries, at most 50"
    );
}
