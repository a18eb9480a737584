//! `@pattern`: botocore's patterns and their Smithy twins mean the same under
//! the generator's rule (botocore: the whole value must match; Smithy: a match
//! anywhere), proven by DFA equivalence and checked on a shared corpus whose
//! verdicts come from V8 (`tests/scripts/pattern_verdicts.js`).
//!
//! Reads the Smithy model from `../shared`; fails with a message when it is
//! missing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::ir::{Service, ShapeKind};
use codegen::patterns::{self, Dfa, Semantics};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn botocore_path() -> PathBuf {
    root().join("model/data/ivschat/2020-07-14/service-2.json")
}

fn smithy_path() -> PathBuf {
    let p = root().join("../shared/models/ivschat/ivschat-2020-07-14.smithy.json");
    assert!(
        p.is_file(),
        "the Smithy model of ivschat is missing: expected {}",
        p.display()
    );
    p
}

fn overlay_path() -> PathBuf {
    root().join("model/ivschat.overlay.json")
}

fn load(model: &Path, overlay: Option<&Path>) -> Service {
    codegen::pipeline::prepare(model, overlay).unwrap_or_else(|e| panic!("{e}"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every pattern of a model: (shape, or `shape.member`) -> pattern.
fn patterns_of(svc: &Service) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, shape) in &svc.shapes {
        if let Some(p) = &shape.constraints.pattern {
            out.insert(name.clone(), p.clone());
        }
        if let ShapeKind::Structure(ms) | ShapeKind::Union(ms) = &shape.kind {
            for m in ms {
                if let Some(p) = &m.constraints.pattern {
                    out.insert(format!("{name}.{}", m.name), p.clone());
                }
            }
        }
    }
    out
}

/// The overlay's pattern entries: shape -> (pattern, replaces).
fn overlay_patterns() -> BTreeMap<String, (String, String)> {
    let doc = read_json(&overlay_path());
    let mut out = BTreeMap::new();
    for e in doc["entries"].as_array().expect("entries") {
        if let Some(p) = e["pattern"].as_str() {
            let shape = e["shape"].as_str().expect("a pattern entry names a shape");
            let replaces = e["replaces"].as_str().unwrap_or_default();
            assert!(
                e["reason"].as_str().is_some_and(|r| r.len() > 40),
                "overlay entry for {shape} needs a reason"
            );
            out.insert(shape.to_string(), (p.to_string(), replaces.to_string()));
        }
    }
    out
}

fn dfa(pattern: &str, semantics: Semantics) -> Dfa {
    patterns::compile(pattern, semantics).unwrap_or_else(|e| panic!("`{pattern}`: {e}"))
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

#[test]
fn the_raw_models_differ_only_on_line_terminators_after_a_lambda_function_name() {
    let botocore = patterns_of(&load(&botocore_path(), None));
    let smithy = patterns_of(&load(&smithy_path(), None));
    assert_eq!(
        botocore.keys().collect::<Vec<_>>(),
        smithy.keys().collect::<Vec<_>>(),
        "both models put patterns on the same shapes"
    );
    let mut differ = BTreeMap::new();
    for (shape, b) in &botocore {
        let s = &smithy[shape];
        if let Some(example) =
            patterns::equivalent(&dfa(b, Semantics::WholeValue), &dfa(s, Semantics::Search))
        {
            differ.insert(shape.clone(), example);
        }
    }
    assert_eq!(
        differ.keys().collect::<Vec<_>>(),
        ["LambdaArn"],
        "{differ:?}"
    );
    let example = &differ["LambdaArn"];
    assert!(
        example.contains(":function:") && example.contains(is_line_terminator),
        "{example:?}"
    );
}

#[test]
fn with_the_overlay_every_pattern_means_the_same_in_both_models() {
    let overlay = overlay_patterns();
    let botocore_raw = patterns_of(&load(&botocore_path(), None));
    let botocore = patterns_of(&load(&botocore_path(), Some(&overlay_path())));
    let smithy = patterns_of(&load(&smithy_path(), None));
    for (shape, (pattern, replaces)) in &overlay {
        assert_eq!(
            &botocore_raw[shape], replaces,
            "the entry for {shape} replaces botocore's pattern"
        );
        assert_eq!(&botocore[shape], pattern, "the overlay applies to {shape}");
    }
    for (shape, b) in &botocore {
        // The same errata applied to the Smithy model.
        let s = overlay.get(shape).map(|(p, _)| p).unwrap_or(&smithy[shape]);
        let diff = patterns::equivalent(&dfa(b, Semantics::WholeValue), &dfa(s, Semantics::Search));
        assert_eq!(
            diff, None,
            "{shape}: botocore `{b}` and Smithy `{s}` disagree"
        );
    }
}

#[test]
fn overlay_patterns_are_anchored_so_either_reading_gives_the_same_verdicts() {
    for (shape, (pattern, _)) in overlay_patterns() {
        let diff = patterns::equivalent(
            &dfa(&pattern, Semantics::Search),
            &dfa(&pattern, Semantics::WholeValue),
        );
        assert_eq!(diff, None, "{shape}: `{pattern}` depends on how it is read");
    }
}

#[test]
fn the_ivschat_errata_fix_what_they_say() {
    let room = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";
    let logging = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ";
    let raw = patterns_of(&load(&botocore_path(), None));
    let fixed = patterns_of(&load(&botocore_path(), Some(&overlay_path())));
    let raw_resource = dfa(&raw["ResourceArn"], Semantics::WholeValue);
    let resource = dfa(&fixed["ResourceArn"], Semantics::WholeValue);
    assert!(
        !raw_resource.is_match(room) && !raw_resource.is_match(logging),
        "the model's ResourceArn is wrong"
    );
    assert!(resource.is_match(room) && resource.is_match(logging));
    assert!(!resource.is_match("arn:aws:ivschat:us-west-2:123456789012:room/"));
    // The overlay's LambdaArn changes no botocore verdict.
    let raw_lambda = dfa(&raw["LambdaArn"], Semantics::WholeValue);
    let lambda = dfa(&fixed["LambdaArn"], Semantics::WholeValue);
    assert_eq!(patterns::equivalent(&raw_lambda, &lambda), None);
}

#[test]
fn the_dfas_give_v8s_verdicts_on_the_shared_corpus() {
    let corpus = read_json(&root().join("tests/data/pattern_corpus.json"));
    let strings: Vec<&str> = corpus["strings"]
        .as_array()
        .expect("strings")
        .iter()
        .map(|s| s.as_str().expect("a string"))
        .collect();
    let mut covered = BTreeSet::new();
    for v in corpus["verdicts"]
        .as_array()
        .expect("verdicts: run tests/scripts/pattern_verdicts.js")
    {
        let pattern = v["pattern"].as_str().expect("pattern");
        let semantics = match v["semantics"].as_str() {
            Some("search") => Semantics::Search,
            Some("whole") => Semantics::WholeValue,
            other => panic!("unknown semantics {other:?}"),
        };
        let v8: BTreeSet<u64> = v["accepts"]
            .as_array()
            .expect("accepts")
            .iter()
            .map(|i| i.as_u64().expect("index"))
            .collect();
        let ours = dfa(pattern, semantics);
        for (i, s) in strings.iter().enumerate() {
            assert_eq!(
                ours.is_match(s),
                v8.contains(&(i as u64)),
                "`{pattern}` ({semantics:?}) on {s:?}: the generator and V8 disagree"
            );
        }
        covered.insert((pattern.to_string(), semantics));
    }
    // The verdicts cover every pattern of both models and of the overlay.
    let mut expected = BTreeSet::new();
    for p in patterns_of(&load(&botocore_path(), None)).into_values() {
        expected.insert((p, Semantics::WholeValue));
    }
    for p in patterns_of(&load(&smithy_path(), None)).into_values() {
        expected.insert((p, Semantics::Search));
    }
    for (p, _) in overlay_patterns().into_values() {
        expected.insert((p.clone(), Semantics::Search));
        expected.insert((p, Semantics::WholeValue));
    }
    let missing: Vec<_> = expected.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "stale corpus verdicts, run tests/scripts/pattern_verdicts.js: {missing:?}"
    );
}

#[test]
fn both_sources_give_the_same_verdicts_on_the_shared_corpus() {
    let corpus = read_json(&root().join("tests/data/pattern_corpus.json"));
    let strings: Vec<&str> = corpus["strings"]
        .as_array()
        .expect("strings")
        .iter()
        .map(|s| s.as_str().expect("a string"))
        .collect();
    let botocore = load(&botocore_path(), Some(&overlay_path()));
    let smithy = load(&smithy_path(), None);
    let overlay = overlay_patterns();
    let smithy_patterns = patterns_of(&smithy);
    let mut accepted = 0;
    for (shape, b) in patterns_of(&botocore) {
        let s = overlay
            .get(&shape)
            .map(|(p, _)| p.clone())
            .unwrap_or_else(|| smithy_patterns[&shape].clone());
        let (b, s) = (
            dfa(&b, Semantics::of(botocore.source)),
            dfa(&s, Semantics::of(smithy.source)),
        );
        for text in &strings {
            assert_eq!(b.is_match(text), s.is_match(text), "{shape} on {text:?}");
            accepted += usize::from(b.is_match(text));
        }
    }
    // The corpus exercises both verdicts.
    assert!(accepted > 50, "{accepted}");
    // Without the overlay, the Smithy LambdaArn accepts strings botocore's
    // rejects, and every one of them has a line terminator.
    let raw = patterns_of(&load(&botocore_path(), None));
    let (b, s) = (
        dfa(&raw["LambdaArn"], Semantics::WholeValue),
        dfa(&smithy_patterns["LambdaArn"], Semantics::Search),
    );
    let differing: Vec<&&str> = strings
        .iter()
        .filter(|t| b.is_match(t) != s.is_match(t))
        .collect();
    assert!(!differing.is_empty());
    assert!(
        differing
            .iter()
            .all(|t| t.contains(is_line_terminator) && s.is_match(t)),
        "{differing:?}"
    );
}

#[test]
fn real_identifiers_match_and_the_partition_is_aws() {
    let svc = load(&botocore_path(), Some(&overlay_path()));
    let p = patterns_of(&svc);
    let check = |shape: &str, value: &str| dfa(&p[shape], Semantics::WholeValue).is_match(value);
    let room = "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6";
    let logging = "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/ABcdef34ghIJ";
    for shape in ["RoomArn", "RoomIdentifier", "ResourceArn"] {
        assert!(check(shape, room), "{shape}");
    }
    for shape in [
        "LoggingConfigurationArn",
        "LoggingConfigurationIdentifier",
        "ResourceArn",
    ] {
        assert!(check(shape, logging), "{shape}");
    }
    for id in ["g1H2I3j4k5L6", "ABcdef34ghIJ"] {
        for shape in [
            "ID",
            "RoomID",
            "LoggingConfigurationID",
            "MessageID",
            "ResourceId",
        ] {
            assert!(check(shape, id), "{shape} {id}");
        }
    }
    for lambda in ["", "my-fn", "my-fn:1", "my-fn:live", "my-fn:$LATEST"] {
        let arn = if lambda.is_empty() {
            String::new()
        } else {
            format!("arn:aws:lambda:us-west-2:123456789012:function:{lambda}")
        };
        assert!(check("LambdaArn", &arn), "{arn}");
    }
    // ivschat has endpoints only in the `aws` partition (botocore's endpoints.json).
    assert!(!check(
        "RoomIdentifier",
        "arn:aws-cn:ivschat:cn-north-1:123456789012:room/g1H2I3j4k5L6"
    ));
    assert!(!check(
        "LambdaArn",
        "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f"
    ));
    // "Currently this must be an ARN": a room id is not a room identifier.
    assert!(!check("RoomIdentifier", "g1H2I3j4k5L6"));
}

#[test]
fn an_unsupported_pattern_fails_generation_naming_shape_pattern_and_reason() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut model = read_json(&botocore_path());
    model["shapes"]["BucketName"]["pattern"] = Value::from("\\p{InGreek}+");
    let path = dir.path().join("service-2.json");
    std::fs::write(&path, model.to_string()).expect("write the model");
    // Generation refuses it, naming the file, the shape, the pattern and why.
    let err = codegen::pipeline::prepare(&path, None).expect_err("generation must fail");
    let text = err.to_string();
    assert!(text.starts_with(&path.display().to_string()), "{text}");
    assert!(text.contains("`BucketName`"), "{text}");
    assert!(text.contains("\\p{InGreek}+"), "{text}");
    assert!(text.contains("unknown Unicode property"), "{text}");
}
