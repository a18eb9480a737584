//! The two loaders agree: the vendored botocore model and AWS's Smithy model of
//! ivschat load into the same IR, field by field, except for the differences
//! listed in [`EXPECTED`], each with the reason it exists.
//!
//! The test fails on a difference that no entry explains, and on an entry that
//! no longer explains any difference (so the list never outlives the models).
//! With the overlay applied to the botocore model, pagination agrees too.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use codegen::ir::{Constraints, Member, Operation, Service, Shape, ShapeKind};
use codegen::{load, overlay};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn smithy_path() -> PathBuf {
    let path = root().join("../shared/models/ivschat/ivschat-2020-07-14.smithy.json");
    assert!(
        path.is_file(),
        "the Smithy model of ivschat is missing: expected it at {} (the shared reference material next to the workspace)",
        path.display()
    );
    path
}

fn botocore_path() -> PathBuf {
    root().join("model/data/ivschat/2020-07-14/service-2.json")
}

/// One field that differs: where, and both values as text.
#[derive(Debug, Clone)]
struct Diff {
    key: String,
    botocore: String,
    smithy: String,
}

/// How an expected difference relates the two values.
enum Rule {
    /// botocore's text is Smithy's with each run of white space made one space.
    Whitespace,
    /// Smithy's pattern is botocore's between `^` and `$`.
    Anchored,
    /// The two differ only in letter case.
    CaseOnly,
    /// Exactly these values (botocore's, Smithy's).
    Is(&'static str, &'static str),
}

/// An expected difference: the keys it covers (`*` matches any text), how the
/// values relate, and why.
struct Expected {
    key: &'static str,
    rule: Rule,
    why: &'static str,
}

const PAGINATED: &str = r#"Some(Pagination { input_token: "nextToken", output_token: "nextToken", items: None, page_size: Some("maxResults") })"#;

const EXPECTED: &[Expected] = &[
    Expected {
        key: "service: source",
        rule: Rule::Is("Botocore", "Smithy"),
        why: "each loader records the format it read",
    },
    Expected {
        key: "* documentation",
        rule: Rule::Whitespace,
        why: "botocore's documentation has each run of white space (Smithy's line breaks and indentation) collapsed to one space",
    },
    Expected {
        key: "service: endpoint_rules/parameters/*/type",
        rule: Rule::CaseOnly,
        why: "botocore's endpoint-rule-set-1.json writes parameter types in lower case (`string`), the Smithy trait as the rules spec does (`String`)",
    },
    Expected {
        key: "operation ListLoggingConfigurations: pagination",
        rule: Rule::Is("None", PAGINATED),
        why: "only Smithy has @paginated; botocore's paginators-1.json for ivschat is empty (the overlay adds it)",
    },
    Expected {
        key: "operation ListRooms: pagination",
        rule: Rule::Is("None", PAGINATED),
        why: "only Smithy has @paginated; botocore's paginators-1.json for ivschat is empty (the overlay adds it)",
    },
    Expected {
        key: "operation GetRoom: readonly",
        rule: Rule::Is("false", "true"),
        why: "only Smithy has @readonly here; botocore 1.44.5's ivschat model has no `readonly` on any operation",
    },
    Expected {
        key: "operation ListLoggingConfigurations: readonly",
        rule: Rule::Is("false", "true"),
        why: "only Smithy has @readonly here; botocore 1.44.5's ivschat model has no `readonly` on any operation",
    },
    Expected {
        key: "operation ListRooms: readonly",
        rule: Rule::Is("false", "true"),
        why: "only Smithy has @readonly here; botocore 1.44.5's ivschat model has no `readonly` on any operation",
    },
    Expected {
        key: "operation ListTagsForResource: readonly",
        rule: Rule::Is("false", "true"),
        why: "only Smithy has @readonly here; botocore 1.44.5's ivschat model has no `readonly` on any operation",
    },
    Expected {
        key: "shape LambdaArn: constraints.pattern",
        rule: Rule::Is(
            "$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+.*",
            "^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+",
        ),
        why: "botocore dropped Smithy's leading `^` and, the tail being unanchored, appended `.*`",
    },
    Expected {
        key: "shape *: constraints.pattern",
        rule: Rule::Anchored,
        why: "Smithy's patterns are anchored (`^...$`); botocore stores them without the anchors",
    },
    Expected {
        key: "shape LoggingConfigurationName: constraints.length",
        rule: Rule::Is(
            "Some(Bounds { min: Some(0), max: Some(128) })",
            "Some(Bounds { min: None, max: Some(128) })",
        ),
        why: "botocore writes the implicit lower bound `min: 0` that Smithy's @length(max: 128) leaves out",
    },
    Expected {
        key: "shape RoomName: constraints.length",
        rule: Rule::Is(
            "Some(Bounds { min: Some(0), max: Some(128) })",
            "Some(Bounds { min: None, max: Some(128) })",
        ),
        why: "botocore writes the implicit lower bound `min: 0` that Smithy's @length(max: 128) leaves out",
    },
];

fn matches(pattern: &str, key: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == key,
        Some((head, tail)) => {
            key.len() >= head.len() + tail.len() && key.starts_with(head) && key.ends_with(tail)
        }
    }
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::new();
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

impl Rule {
    fn holds(&self, d: &Diff) -> bool {
        match self {
            Rule::Whitespace => collapse_whitespace(&d.smithy) == d.botocore,
            Rule::Anchored => d.smithy == format!("^{}$", d.botocore),
            Rule::CaseOnly => d.botocore.to_lowercase() == d.smithy.to_lowercase(),
            Rule::Is(b, s) => d.botocore == *b && d.smithy == *s,
        }
    }
}

/// Collects the differences between two IRs.
#[derive(Default)]
struct Differ {
    diffs: Vec<Diff>,
}

impl Differ {
    fn push(&mut self, key: String, botocore: String, smithy: String) {
        self.diffs.push(Diff {
            key,
            botocore,
            smithy,
        });
    }

    fn dbg<T: PartialEq + Debug>(&mut self, key: String, b: &T, s: &T) {
        if b != s {
            self.push(key, format!("{b:?}"), format!("{s:?}"));
        }
    }

    /// Text compared as text (documentation, patterns): shown without escapes.
    fn text(&mut self, key: String, b: &Option<String>, s: &Option<String>) {
        if b != s {
            let show = |t: &Option<String>| t.clone().unwrap_or_else(|| "<none>".into());
            self.push(key, show(b), show(s));
        }
    }

    fn json(&mut self, key: String, b: &Value, s: &Value) {
        match (b, s) {
            (Value::Object(bo), Value::Object(so)) => {
                let mut keys: Vec<&String> = bo.keys().chain(so.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let null = Value::Null;
                    self.json(
                        format!("{key}/{k}"),
                        bo.get(k).unwrap_or(&null),
                        so.get(k).unwrap_or(&null),
                    );
                }
            }
            (Value::Array(ba), Value::Array(sa)) if ba.len() == sa.len() => {
                for (i, (bv, sv)) in ba.iter().zip(sa).enumerate() {
                    self.json(format!("{key}/{i}"), bv, sv);
                }
            }
            (Value::String(bs), Value::String(ss)) => {
                self.text(key, &Some(bs.clone()), &Some(ss.clone()))
            }
            _ => self.dbg(key, b, s),
        }
    }

    fn service(&mut self, b: &Service, s: &Service) {
        // Destructured so that a new IR field fails to compile here until compared.
        let Service {
            source,
            service_id,
            title,
            api_version,
            endpoint_prefix,
            signing_name,
            protocol,
            documentation,
            operations,
            shapes,
            endpoint_rules,
            crate_name,
            unenforced_patterns,
            renames,
        } = b;
        self.dbg("service: source".into(), source, &s.source);
        self.dbg("service: service_id".into(), service_id, &s.service_id);
        self.dbg("service: title".into(), title, &s.title);
        self.dbg("service: api_version".into(), api_version, &s.api_version);
        self.dbg(
            "service: endpoint_prefix".into(),
            endpoint_prefix,
            &s.endpoint_prefix,
        );
        self.dbg(
            "service: signing_name".into(),
            signing_name,
            &s.signing_name,
        );
        self.dbg("service: protocol".into(), protocol, &s.protocol);
        self.text(
            "service: documentation".into(),
            documentation,
            &s.documentation,
        );
        self.dbg("service: crate_name".into(), crate_name, &s.crate_name);
        self.dbg(
            "service: unenforced_patterns".into(),
            unenforced_patterns,
            &s.unenforced_patterns,
        );
        self.dbg("service: renames".into(), renames, &s.renames);
        let null = Value::Null;
        self.json(
            "service: endpoint_rules".into(),
            endpoint_rules.as_ref().unwrap_or(&null),
            s.endpoint_rules.as_ref().unwrap_or(&null),
        );

        let names = |ops: &[Operation]| ops.iter().map(|o| o.name.clone()).collect::<Vec<_>>();
        self.dbg(
            "service: operations".into(),
            &names(operations),
            &names(&s.operations),
        );
        for op in operations {
            if let Some(other) = s.operation(&op.name) {
                self.operation(op, other);
            }
        }
        let keys =
            |m: &std::collections::BTreeMap<String, Shape>| m.keys().cloned().collect::<Vec<_>>();
        self.dbg("service: shapes".into(), &keys(shapes), &keys(&s.shapes));
        for (name, shape) in shapes {
            if let Some(other) = s.shapes.get(name) {
                self.shape(shape, other);
            }
        }
    }

    fn operation(&mut self, b: &Operation, s: &Operation) {
        let Operation {
            name,
            input,
            output,
            errors,
            http,
            documentation,
            pagination,
            idempotent,
            readonly,
            deprecated,
            host_prefix,
            checksum_required,
            request_compression,
            names,
        } = b;
        let k = |f: &str| format!("operation {name}: {f}");
        self.dbg(k("input"), input, &s.input);
        self.dbg(k("output"), output, &s.output);
        self.dbg(k("errors"), errors, &s.errors);
        self.dbg(k("http"), http, &s.http);
        self.text(k("documentation"), documentation, &s.documentation);
        self.dbg(k("pagination"), pagination, &s.pagination);
        self.dbg(k("idempotent"), idempotent, &s.idempotent);
        self.dbg(k("readonly"), readonly, &s.readonly);
        self.dbg(k("deprecated"), deprecated, &s.deprecated);
        self.dbg(k("host_prefix"), host_prefix, &s.host_prefix);
        self.dbg(
            k("checksum_required"),
            checksum_required,
            &s.checksum_required,
        );
        self.dbg(
            k("request_compression"),
            request_compression,
            &s.request_compression,
        );
        self.dbg(k("names"), names, &s.names);
    }

    fn constraints(&mut self, key: &str, b: &Constraints, s: &Constraints) {
        let Constraints {
            length,
            range,
            pattern,
            max_total_bytes,
        } = b;
        self.dbg(format!("{key}constraints.length"), length, &s.length);
        self.dbg(format!("{key}constraints.range"), range, &s.range);
        self.text(format!("{key}constraints.pattern"), pattern, &s.pattern);
        self.dbg(
            format!("{key}constraints.max_total_bytes"),
            max_total_bytes,
            &s.max_total_bytes,
        );
    }

    fn shape(&mut self, b: &Shape, s: &Shape) {
        let Shape {
            name,
            kind,
            documentation,
            sensitive,
            deprecated,
            event_stream,
            constraints,
            error,
            rust_name,
            module,
            fn_name,
        } = b;
        let k = |f: &str| format!("shape {name}: {f}");
        self.text(k("documentation"), documentation, &s.documentation);
        self.dbg(k("sensitive"), sensitive, &s.sensitive);
        self.dbg(k("deprecated"), deprecated, &s.deprecated);
        self.dbg(k("event_stream"), event_stream, &s.event_stream);
        self.constraints(&k(""), constraints, &s.constraints);
        self.dbg(k("error"), error, &s.error);
        self.dbg(k("rust_name"), rust_name, &s.rust_name);
        self.dbg(k("module"), module, &s.module);
        self.dbg(k("fn_name"), fn_name, &s.fn_name);
        match (kind, &s.kind) {
            (ShapeKind::Structure(bm), ShapeKind::Structure(sm))
            | (ShapeKind::Union(bm), ShapeKind::Union(sm)) => {
                let names = |ms: &[Member]| ms.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
                self.dbg(k("members"), &names(bm), &names(sm));
                for m in bm {
                    if let Some(other) = sm.iter().find(|x| x.name == m.name) {
                        self.member(name, m, other);
                    }
                }
            }
            (
                ShapeKind::List { member, sparse },
                ShapeKind::List {
                    member: sm,
                    sparse: ss,
                },
            ) => {
                self.dbg(k("sparse"), sparse, ss);
                self.member(name, member, sm);
            }
            (
                ShapeKind::Map { key, value, sparse },
                ShapeKind::Map {
                    key: sk,
                    value: sv,
                    sparse: ss,
                },
            ) => {
                self.dbg(k("sparse"), sparse, ss);
                self.member(name, key, sk);
                self.member(name, value, sv);
            }
            (ShapeKind::Enum(bv), ShapeKind::Enum(sv)) => {
                let values = |vs: &[codegen::ir::EnumValue]| {
                    vs.iter().map(|v| v.value.clone()).collect::<Vec<_>>()
                };
                self.dbg(k("enum values"), &values(bv), &values(sv));
                for (bv, sv) in bv.iter().zip(sv) {
                    self.text(
                        k(&format!("enum value {} documentation", bv.value)),
                        &bv.documentation,
                        &sv.documentation,
                    );
                    self.dbg(
                        k(&format!("enum value {} rust_name", bv.value)),
                        &bv.rust_name,
                        &sv.rust_name,
                    );
                }
            }
            (b, s) => self.dbg(k("kind"), b, s),
        }
    }

    fn member(&mut self, owner: &str, b: &Member, s: &Member) {
        let Member {
            name,
            target,
            documentation,
            required,
            location,
            json_name,
            timestamp_format,
            idempotency_token,
            host_label,
            default,
            deprecated,
            sensitive,
            media_type,
            constraints,
            rust_name,
            boxed,
        } = b;
        let k = |f: &str| format!("shape {owner}.{name}: {f}");
        self.dbg(k("target"), target, &s.target);
        self.text(k("documentation"), documentation, &s.documentation);
        self.dbg(k("required"), required, &s.required);
        self.dbg(k("location"), location, &s.location);
        self.dbg(k("json_name"), json_name, &s.json_name);
        self.dbg(k("timestamp_format"), timestamp_format, &s.timestamp_format);
        self.dbg(
            k("idempotency_token"),
            idempotency_token,
            &s.idempotency_token,
        );
        self.dbg(k("host_label"), host_label, &s.host_label);
        self.dbg(k("default"), default, &s.default);
        self.dbg(k("deprecated"), deprecated, &s.deprecated);
        self.dbg(k("sensitive"), sensitive, &s.sensitive);
        self.dbg(k("media_type"), media_type, &s.media_type);
        self.constraints(&k(""), constraints, &s.constraints);
        self.dbg(k("rust_name"), rust_name, &s.rust_name);
        self.dbg(k("boxed"), boxed, &s.boxed);
    }
}

fn differences(botocore: &Service, smithy: &Service) -> Vec<Diff> {
    let mut d = Differ::default();
    d.service(botocore, smithy);
    d.diffs
}

#[test]
fn botocore_and_smithy_load_alike() {
    let smithy = load::load_model(&smithy_path()).unwrap_or_else(|e| panic!("{e}"));
    let botocore = load::load_model(&botocore_path()).unwrap_or_else(|e| panic!("{e}"));
    let diffs = differences(&botocore, &smithy);

    let mut used = vec![0usize; EXPECTED.len()];
    let mut unexplained = Vec::new();
    for d in &diffs {
        match EXPECTED
            .iter()
            .position(|x| matches(x.key, &d.key) && x.rule.holds(d))
        {
            Some(i) => used[i] += 1,
            None => unexplained.push(d),
        }
    }
    for (x, n) in EXPECTED.iter().zip(&used) {
        eprintln!("{n:3} x {}: {}", x.key, x.why);
    }
    let stale: Vec<&str> = EXPECTED
        .iter()
        .zip(&used)
        .filter(|(_, n)| **n == 0)
        .map(|(x, _)| x.key)
        .collect();
    let report: Vec<String> = unexplained
        .iter()
        .map(|d| {
            format!(
                "{}\n    botocore: {}\n    smithy:   {}",
                d.key, d.botocore, d.smithy
            )
        })
        .collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "unexplained differences:\n{}\nexpected differences that no longer occur: {stale:?}",
        report.join("\n")
    );
    // Every entry has a reason, and the comparison did look at something.
    assert!(EXPECTED.iter().all(|x| !x.why.trim().is_empty()));
    assert!(smithy.shapes.len() > 50 && smithy.operations.len() == 17);
}

#[test]
fn with_the_overlay_pagination_agrees() {
    let smithy = load::load_model(&smithy_path()).unwrap_or_else(|e| panic!("{e}"));
    let mut botocore = load::load_model(&botocore_path()).unwrap_or_else(|e| panic!("{e}"));
    let o =
        overlay::load(&root().join("model/ivschat.overlay.json")).unwrap_or_else(|e| panic!("{e}"));
    overlay::apply(&mut botocore, &o).unwrap_or_else(|e| panic!("{e}"));

    let paginated: Vec<&str> = smithy
        .operations
        .iter()
        .filter(|op| op.pagination.is_some())
        .map(|op| op.name.as_str())
        .collect();
    assert_eq!(paginated, ["ListLoggingConfigurations", "ListRooms"]);
    for op in &smithy.operations {
        let theirs = botocore.operation(&op.name).map(|o| &o.pagination);
        assert_eq!(theirs, Some(&op.pagination), "pagination of {}", op.name);
    }
    // Nothing else the overlay does touches what the comparison explains away.
    let remaining: Vec<String> = differences(&botocore, &smithy)
        .into_iter()
        .filter(|d| d.key.contains(": pagination"))
        .map(|d| d.key)
        .collect();
    assert!(remaining.is_empty(), "{remaining:?}");
}

#[test]
fn the_overlay_is_compatible_with_smithy_pagination() {
    // Applying the overlay's pagination entries to the Smithy model changes
    // nothing: they repeat its @paginated traits exactly.
    let mut smithy = load::load_model(&smithy_path()).unwrap_or_else(|e| panic!("{e}"));
    let before = smithy.clone();
    let mut o =
        overlay::load(&root().join("model/ivschat.overlay.json")).unwrap_or_else(|e| panic!("{e}"));
    o.entries
        .retain(|e| matches!(e.setting, overlay::Setting::Pagination(_)));
    assert_eq!(o.entries.len(), 2);
    overlay::apply(&mut smithy, &o).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(smithy, before);
}

#[test]
fn glob_keys() {
    assert!(matches(
        "shape *: constraints.pattern",
        "shape RoomArn: constraints.pattern"
    ));
    assert!(!matches(
        "shape *: constraints.pattern",
        "shape RoomArn: constraints.length"
    ));
    assert!(matches("* documentation", "shape A.b: documentation"));
    assert!(!matches("a*a", "a"));
    assert_eq!(collapse_whitespace("a\n   b\tc"), "a b c");
}
