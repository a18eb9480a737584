//! Property test: on random inputs of every operation, the generated
//! validators report exactly what a plain reference checker, written here
//! from the IR, finds.
//!
//! The reference shares nothing with the generator but the IR: it counts
//! characters with `chars()`, matches patterns with `regex-lite` (botocore
//! patterns wrapped as `^(?:p)$`), and walks [`Val`]s, not Rust types. Random
//! strings avoid `\r`, U+2028 and U+2029, where `regex-lite`'s `.` differs
//! from ECMA-262's (`validation_patterns` covers those against V8).

use crate::validation_support;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use awsrt::validate::{Rule, Violation};
use codegen::ir::{Constraints, Service, ShapeKind, SourceFormat};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::{Config, TestRunner};
use validation_support::{corpus, ir, members_of, violations, Val};

/// What a check found, in a form both sides produce.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    path: String,
    what: String,
}

fn found_of(v: &Violation) -> Found {
    let what = match v.rule() {
        Rule::Required => "required".to_string(),
        Rule::Length { unit, actual, .. } => format!("length {actual} {unit:?}"),
        Rule::Range { actual, .. } => format!(
            "range {}",
            actual.map(|a| a.to_string()).unwrap_or_default()
        ),
        Rule::Pattern { .. } => "pattern".to_string(),
        Rule::TotalBytes { actual, .. } => format!("total {actual}"),
        other => format!("{other:?}"),
    };
    Found {
        path: v.path().to_string(),
        what,
    }
}

/// The reference checker.
struct Reference<'a> {
    svc: &'a Service,
    regexes: RefCell<HashMap<String, regex_lite::Regex>>,
}

impl Reference<'_> {
    fn input(&self, op: &str, members: &BTreeMap<String, Val>) -> Vec<Found> {
        let mut out = Vec::new();
        let operation = self.svc.operation(op).expect("operation");
        if let Some(input) = &operation.input {
            for m in members_of(self.svc.shape(input)) {
                match members.get(&m.name) {
                    None if m.required => out.push(Found {
                        path: m.name.clone(),
                        what: "required".into(),
                    }),
                    None => {}
                    Some(v) => {
                        let sensitive = m.sensitive || self.svc.shape(&m.target).sensitive;
                        self.value(&m.target, &m.constraints, v, &m.name, sensitive, &mut out);
                    }
                }
            }
        }
        out.sort();
        out
    }

    fn value(
        &self,
        shape: &str,
        extra: &Constraints,
        v: &Val,
        path: &str,
        sensitive: bool,
        out: &mut Vec<Found>,
    ) {
        let s = self.svc.shape(shape);
        for c in [&s.constraints, extra] {
            self.constraints(c, v, path, sensitive, out);
        }
        let sens = |m: &codegen::ir::Member| {
            sensitive || m.sensitive || self.svc.shape(&m.target).sensitive
        };
        match (&s.kind, v) {
            (ShapeKind::Structure(ms), Val::Struct(fields)) => {
                for m in ms {
                    if let Some(f) = fields.get(&m.name) {
                        self.value(
                            &m.target,
                            &m.constraints,
                            f,
                            &format!("{path}.{}", m.name),
                            sens(m),
                            out,
                        );
                    }
                }
            }
            (ShapeKind::Union(ms), Val::Union(name, inner)) => {
                let m = ms.iter().find(|m| &m.name == name).expect("union member");
                self.value(
                    &m.target,
                    &m.constraints,
                    inner,
                    &format!("{path}.{name}"),
                    sens(m),
                    out,
                );
            }
            (ShapeKind::List { member, .. }, Val::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(
                        &member.target,
                        &member.constraints,
                        item,
                        &format!("{path}[{i}]"),
                        sens(member),
                        out,
                    );
                }
            }
            (ShapeKind::Map { key, value, .. }, Val::Map(entries)) => {
                for (k, item) in entries {
                    let entry = if sens(key) {
                        format!("{path}[*** redacted ***]")
                    } else {
                        format!("{path}[{k:?}]")
                    };
                    let key_sensitive = sens(key);
                    self.value(
                        &key.target,
                        &key.constraints,
                        &Val::Str(k.clone()),
                        &format!("{entry} (key)"),
                        key_sensitive,
                        out,
                    );
                    self.value(
                        &value.target,
                        &value.constraints,
                        item,
                        &entry,
                        key_sensitive || sens(value),
                        out,
                    );
                }
            }
            _ => {}
        }
    }

    fn constraints(
        &self,
        c: &Constraints,
        v: &Val,
        path: &str,
        sensitive: bool,
        out: &mut Vec<Found>,
    ) {
        let mut push = |what: String| {
            out.push(Found {
                path: path.to_string(),
                what,
            })
        };
        if let Some(b) = c.length {
            let (n, unit) = match v {
                Val::Str(s) => (s.chars().count() as u64, "Characters"),
                Val::List(items) => (items.len() as u64, "Entries"),
                Val::Map(entries) => (entries.len() as u64, "Entries"),
                other => panic!("@length on {other:?}"),
            };
            if b.min.is_some_and(|min| n < min) || b.max.is_some_and(|max| n > max) {
                push(format!("length {n} {unit}"));
            }
        }
        if let (Some(r), Val::Int(n)) = (&c.range, v) {
            let below = r
                .min
                .as_deref()
                .is_some_and(|m| *n < m.parse::<i64>().expect("bound"));
            let above = r
                .max
                .as_deref()
                .is_some_and(|m| *n > m.parse::<i64>().expect("bound"));
            if below || above {
                push(if sensitive {
                    "range ".to_string()
                } else {
                    format!("range {n}")
                });
            }
        }
        if let (Some(p), Val::Str(s)) = (&c.pattern, v) {
            let anchored = match self.svc.source {
                SourceFormat::Botocore => format!("^(?:{p})$"),
                SourceFormat::Smithy => p.clone(),
            };
            let mut regexes = self.regexes.borrow_mut();
            let re = regexes.entry(anchored.clone()).or_insert_with(|| {
                regex_lite::Regex::new(&anchored).unwrap_or_else(|e| panic!("{anchored}: {e}"))
            });
            if !re.is_match(s) {
                push("pattern".into());
            }
        }
        if let (Some(max), Val::Map(entries)) = (c.max_total_bytes, v) {
            let total: usize = entries
                .iter()
                .map(|(k, v)| k.len() + if let Val::Str(s) = v { s.len() } else { 0 })
                .sum();
            if total as u64 > max {
                push(format!("total {total}"));
            }
        }
    }
}

/// Characters for random strings: ASCII that patterns care about, multi-byte
/// text, a space and a newline; no `\r`, U+2028, U+2029 (see the module docs).
const CHARS: &[char] = &[
    'a', 'Z', '0', '9', '-', '_', '.', '/', '#', ':', '$', '€', '😀', 'é', ' ', '\n',
];

fn usize_around(min: usize, max: usize) -> BoxedStrategy<usize> {
    let mut options: Vec<BoxedStrategy<usize>> = vec![
        Just(min).boxed(),
        Just(min + 1).boxed(),
        (0..=max.min(40) + 1).boxed(),
    ];
    if min > 0 {
        options.push(Just(min - 1).boxed());
    }
    options.extend([
        Just(max).boxed(),
        Just(max + 1).boxed(),
        Just(max.saturating_sub(1)).boxed(),
    ]);
    Union::new(options).boxed()
}

fn strategy(svc: &Service, pool: &[String], shape: &str, depth: usize) -> BoxedStrategy<Val> {
    let s = svc.shape(shape);
    let c = &s.constraints;
    let (min, max) = c
        .length
        .map(|b| (b.min.unwrap_or(0) as usize, b.max.unwrap_or(300) as usize))
        .unwrap_or((0, 300));
    match &s.kind {
        ShapeKind::String => {
            let repeated = (usize_around(min, max), proptest::sample::select(CHARS))
                .prop_map(|(n, c)| Val::Str(c.to_string().repeat(n)));
            let mixed =
                proptest::collection::vec(proptest::sample::select(CHARS), 0..=max.min(140) + 1)
                    .prop_map(|cs| Val::Str(cs.into_iter().collect()));
            let from_pool = proptest::sample::select(pool.to_vec()).prop_map(Val::Str);
            // Pool strings with one character changed.
            let mutated = (
                proptest::sample::select(pool.to_vec()),
                any::<usize>(),
                proptest::sample::select(CHARS),
            )
                .prop_map(|(s, at, c)| {
                    let mut cs: Vec<char> = s.chars().collect();
                    if !cs.is_empty() {
                        let i = at % cs.len();
                        cs[i] = c;
                    }
                    Val::Str(cs.into_iter().collect())
                });
            prop_oneof![2 => from_pool, 1 => mutated, 1 => repeated, 1 => mixed].boxed()
        }
        ShapeKind::Enum(values) => {
            let mut all: Vec<String> = values.iter().map(|v| v.value.clone()).collect();
            all.push("NOT_A_VALUE".into());
            proptest::sample::select(all).prop_map(Val::Str).boxed()
        }
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::Short | ShapeKind::Byte => {
            let r = c.range.clone().unwrap_or_default();
            let lo: i64 = r.min.as_deref().map_or(0, |m| m.parse().expect("bound"));
            let hi: i64 = r.max.as_deref().map_or(100, |m| m.parse().expect("bound"));
            prop_oneof![
                lo - 2..=lo + 2,
                hi - 2..=hi + 2,
                lo..=hi,
                any::<i32>().prop_map(i64::from)
            ]
            .prop_map(Val::Int)
            .boxed()
        }
        ShapeKind::List { member, .. } => {
            let item = strategy(svc, pool, &member.target, depth + 1);
            usize_around(min, max.min(60))
                .prop_flat_map(move |n| proptest::collection::vec(item.clone(), n))
                .prop_map(Val::List)
                .boxed()
        }
        ShapeKind::Map { key, value, .. } => {
            let k = strategy(svc, pool, &key.target, depth + 1).prop_map(|v| match v {
                Val::Str(s) => s,
                other => panic!("a key is a string: {other:?}"),
            });
            let v = strategy(svc, pool, &value.target, depth + 1);
            // Random keys may repeat (the map is then smaller); distinct keys
            // reach the size limits exactly.
            let most = if c.length.is_some() { max.min(60) } else { 8 };
            let random = usize_around(min, most)
                .prop_flat_map(move |n| proptest::collection::vec((k.clone(), v.clone()), n))
                .prop_map(|pairs| Val::Map(pairs.into_iter().collect()));
            let value = strategy(svc, pool, &value.target, depth + 1);
            let distinct = usize_around(min, most)
                .prop_flat_map(move |n| proptest::collection::vec(value.clone(), n))
                .prop_map(|values| {
                    Val::Map(
                        values
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (format!("key{i}"), v))
                            .collect(),
                    )
                });
            let sized = prop_oneof![random, distinct];
            match c.max_total_bytes {
                // One entry whose key and value add up to about the limit.
                Some(limit) => {
                    let limit = limit as usize;
                    let near = (
                        1..=8usize,
                        limit - 10..=limit + 2,
                        proptest::sample::select(vec!["x", "€"]),
                    )
                        .prop_map(|(klen, total, c)| {
                            let key = "k".repeat(klen);
                            let value = c.repeat(total.saturating_sub(klen) / c.len());
                            Val::Map(BTreeMap::from([(key, Val::Str(value))]))
                        });
                    prop_oneof![sized, near].boxed()
                }
                None => sized.boxed(),
            }
        }
        ShapeKind::Structure(ms) => {
            let fields: Vec<BoxedStrategy<Option<(String, Val)>>> = ms
                .iter()
                .map(|m| {
                    let name = m.name.clone();
                    let v = strategy(svc, pool, &m.target, depth + 1)
                        .prop_map(move |v| (name.clone(), v));
                    if m.required && depth > 0 {
                        v.prop_map(Some).boxed()
                    } else {
                        proptest::option::weighted(0.8, v).boxed()
                    }
                })
                .collect();
            fields
                .prop_map(|fs| Val::Struct(fs.into_iter().flatten().collect()))
                .boxed()
        }
        ShapeKind::Union(ms) => Union::new(ms.iter().map(|m| {
            let name = m.name.clone();
            strategy(svc, pool, &m.target, depth + 1)
                .prop_map(move |v| Val::Union(name.clone(), Box::new(v)))
                .boxed()
        }))
        .boxed(),
        other => panic!("{shape}: no strategy for {other:?}"),
    }
}

#[test]
fn generated_validators_agree_with_the_reference_on_random_inputs() {
    let svc = ir();
    let pool: Vec<String> = corpus()
        .into_iter()
        .filter(|s| !s.contains(['\r', '\u{2028}', '\u{2029}']))
        .collect();
    let reference = Reference {
        svc: &svc,
        regexes: RefCell::new(HashMap::new()),
    };
    let checked = std::cell::Cell::new(0usize);
    let with_violations = std::cell::Cell::new(0usize);
    for op in &svc.operations {
        let Some(input) = &op.input else { continue };
        let inputs = strategy(&svc, &pool, input, 0);
        let mut runner = TestRunner::new(Config {
            cases: 96,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&inputs, |v| {
            let Val::Struct(members) = v else {
                panic!("an input is a structure")
            };
            let mut ours: Vec<Found> = violations(&op.name, &members)
                .iter()
                .map(found_of)
                .collect();
            ours.sort();
            let expected = reference.input(&op.name, &members);
            prop_assert_eq!(&ours, &expected, "{}", op.name);
            checked.set(checked.get() + 1);
            with_violations.set(with_violations.get() + usize::from(!expected.is_empty()));
            Ok(())
        });
        if let Err(e) = result {
            panic!("{}: {e}", op.name);
        }
    }
    // Both outcomes are exercised.
    let (checked, with_violations) = (checked.get(), with_violations.get());
    assert!(checked >= 17 * 96, "{checked}");
    assert!(
        with_violations > checked / 4 && with_violations < checked,
        "{with_violations} of {checked}"
    );
}
