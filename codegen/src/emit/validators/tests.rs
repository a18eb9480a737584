//! The validators emitter on `fixtures/models/validators/checks.smithy.json`,
//! a model with one of each constraint kind: blobs, floats, bytes, sparse
//! lists and maps, member-level constraints, a sensitive map, a recursive
//! structure and a union. (The generated ivschat crate is tested for
//! behaviour in `tests/`.)

use std::path::Path;

use super::*;
use crate::error::{Diagnostics, Error};
use crate::ir::{Bounds, RangeBounds};
use crate::{load, names, unsupported, write};

fn model() -> Service {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/models/validators/checks.smithy.json");
    let mut svc = load::load_model(&path).unwrap_or_else(|e| panic!("{e}"));
    names::resolve(&mut svc).unwrap_or_else(|e| panic!("{e}"));
    svc
}

/// `svc` through the stages after names: patterns, then resolve.
fn resolved(svc: &Service) -> Result<Resolved, Diagnostics> {
    let mut svc = svc.clone();
    let patterns = unsupported::apply(&mut svc, false)?;
    resolve::resolve(svc, patterns)
}

/// `src/validate.rs` for `svc`, or the one problem found in it.
fn render(svc: &Service) -> Result<String, Error> {
    let resolved = resolved(svc).map_err(|problems| {
        let shown = problems.to_string();
        problems
            .into_only()
            .unwrap_or_else(|| panic!("one problem expected: {shown}"))
    })?;
    let mut files = Files::new();
    emit(&resolved, &mut files);
    Ok(write::render(&files)?
        .remove(FILE)
        .expect("src/validate.rs"))
}

/// The features of `awsrt` the crate for `svc` needs.
fn awsrt_features(svc: &Service) -> Vec<&'static str> {
    resolved(svc)
        .unwrap_or_else(|e| panic!("{e}"))
        .awsrt_features
}

fn code() -> String {
    render(&model()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_operation_gets_validate() {
    let code = code();
    assert!(
        code.contains("impl crate::operation::ping::PingInput {"),
        "{code}"
    );
    assert!(code.contains(
        "pub fn validate(&self) -> Result<(), crate::error::ValidationError> {\n        Ok(())"
    ));
    assert!(code.contains("violations.finish(\"PutInput\")"));
}

#[test]
fn required_members_of_inputs_are_checked() {
    let code = code();
    assert!(code.contains(
        "if self.token.is_none() {\n            errors.required(&path.member(\"token\", false));"
    ));
    assert!(code.contains("} else {\n                errors.required(path);"));
    // Nested structures hold their required members by type.
    assert!(!code.contains("errors.required(&path.member(\"value\""));
}

#[test]
fn each_kind_is_measured_its_own_way() {
    let code = code();
    assert!(code.contains("errors.length_bytes(path, value.len(), None, Some(4));"));
    assert!(code.contains("validate_data(AsRef::<[u8]>::as_ref(value), path, errors);"));
    assert!(code.contains("errors.range_float(path, value, Some(0f64), Some(1f64));"));
    assert!(code.contains("validate_ratio(*value, path, errors);"));
    assert!(code.contains("validate_small(i64::from(*value), path, errors);"));
    assert!(code.contains("errors.length_chars(path, value, Some(2), None);"));
    assert!(code.contains("errors.length_entries(path, value.len(), None, Some(2));"));
}

#[test]
fn member_constraints_apply_with_the_targets() {
    let code = code();
    assert!(code.contains(
        "errors.range_int(path, i64::from(*value), Some(2), None);\n                validate_count(i64::from(*value), path, errors);"
    ));
    assert!(
        code.contains("errors.length_chars(path, value.as_str(), None, Some(3));"),
        "enum member length"
    );
    assert!(
        code.contains("errors.pattern(path, matches_put_input_nick(value.as_str()), \"^[a-z]\");")
    );
}

#[test]
fn collections_recursion_and_unions() {
    let code = code();
    // Sparse lists and maps skip missing values.
    assert!(code.contains("for (i, value) in value.iter().enumerate() {\n        let path = &path.index(i);\n        if let Some(value) = value {"));
    // Map keys are checked at `(key)` paths; violations in a map are sorted.
    assert!(code.contains(
        "let path = &path.map_key();\n            validate_key(key.as_str(), path, errors);"
    ));
    assert!(code.contains("errors.sort_since(mark);"));
    // A map whose values need no check walks its keys only.
    assert!(code.contains("for key in value.keys() {"));
    // The sensitive map's member marks its path.
    assert!(code.contains("let path = &path.member(\"secrets\", true);"));
    // Recursion through a boxed field, and through a list.
    assert!(code.contains(
        "if let Some(value) = &value.next {\n            validate_node(value, path, errors);"
    ));
    assert!(code.contains("validate_node_list(value, path, errors);"));
    // Every union member, and the unknown one.
    assert!(code.contains("crate::types::Choice::Flag(_) => {}"));
    assert!(code.contains("crate::types::Choice::Unknown => errors.unknown_union_member(path),"));
}

#[test]
fn patterns_are_written_as_code_with_their_meaning() {
    let code = code();
    assert!(
        code.contains("/// Whether `^[a-z]+$` matches somewhere in a value (the pattern of `Id`).")
    );
    assert!(!code.contains("regex"));
    // The same pattern on two shapes is one function.
    assert_eq!(code.matches("fn matches_").count(), 3, "{code}");
}

#[test]
fn only_shapes_an_input_reaches_get_helpers() {
    let mut svc = model();
    let mut unused = svc.shape("Name").clone();
    unused.name = "Unused".into();
    svc.shapes.insert("Unused".into(), unused);
    let code = render(&svc).unwrap_or_else(|e| panic!("{e}"));
    assert!(!code.contains("validate_unused"));
}

#[test]
fn unsupported_constraints_fail_generation_naming_the_shape() {
    let mut svc = model();
    svc.shapes.get_mut("Ratio").expect("Ratio").kind = ShapeKind::BigDecimal;
    let e = render(&svc).expect_err("range on bigDecimal");
    assert_eq!(e.shape.as_deref(), Some("Ratio"));
    assert!(
        e.message
            .contains("@range is not supported on bigDecimal shapes"),
        "{e}"
    );

    let mut svc = model();
    svc.shapes
        .get_mut("NameList")
        .expect("NameList")
        .constraints
        .max_total_bytes = Some(10);
    let e = render(&svc).expect_err("total size on a list");
    assert!(
        e.message
            .contains("a total size limit is not supported on list shapes"),
        "{e}"
    );

    let mut svc = model();
    svc.shapes.get_mut("Data").expect("Data").constraints.range = Some(RangeBounds {
        min: Some("1".into()),
        max: None,
    });
    assert!(render(&svc).is_err());

    let mut svc = model();
    svc.shapes
        .get_mut("Count")
        .expect("Count")
        .constraints
        .length = Some(Bounds {
        min: Some(1),
        max: None,
    });
    let e = render(&svc).expect_err("length on an integer");
    assert!(
        e.to_string()
            .contains("@length is not supported on integer shapes"),
        "{e}"
    );
}

fn with_nick_pattern(pattern: &str) -> Service {
    let mut svc = model();
    let ShapeKind::Structure(ms) = &mut svc.shapes.get_mut("PutInput").expect("PutInput").kind
    else {
        panic!("a structure")
    };
    ms.iter_mut()
        .find(|m| m.name == "nick")
        .expect("nick")
        .constraints
        .pattern = Some(pattern.into());
    svc
}

#[test]
fn an_unsupported_pattern_names_the_member_and_the_reason() {
    let e = render(&with_nick_pattern("(?x)a")).expect_err("inline flag x");
    assert_eq!(
        (e.shape.as_deref(), e.member.as_deref()),
        (Some("PutInput"), Some("nick"))
    );
    assert_eq!(
        e.message,
        "unsupported @pattern `(?x)a`: the inline flag `x` is not supported (only `i` and `s` are) (at character 1); \
         generate with --skip-unsupported to leave it unchecked"
    );
    // Parsed, but too large for a DFA, not one class repeated, and refused by
    // the run-time engine.
    let e = render(&with_nick_pattern("^x\\S{1,8192}$")).expect_err("too large for all");
    assert_eq!(e.member.as_deref(), Some("nick"));
    assert!(
        e.message
            .contains("the run-time engine (fancy-regex) refuses it"),
        "{e}"
    );
}

#[test]
fn a_pattern_without_a_small_dfa_is_matched_at_run_time() {
    let svc = with_nick_pattern("^(?!aws:)[a-z:]+$");
    let code = render(&svc).unwrap_or_else(|e| panic!("{e}"));
    assert!(code.contains(&format!(
        "/// Matched at run time (no DFA: lookaround) by `{}`, compiled on first use;",
        PATTERN.path
    )));
    let start = code
        .find(&format!("{}::new(", PATTERN.path))
        .expect("a run-time pattern");
    let literal = &code[start..];
    let literal = &literal[literal.find("r\"").expect("a raw string") + 2..];
    let literal = &literal[..literal.find('"').expect("end of the literal")];
    assert_eq!(literal, "^(?!aws:)[a-z:]+$");
    assert!(code.contains("PATTERN.is_match(value)"));
    // The generated static, as the generated crate runs it.
    let pattern: &'static str = Box::leak(literal.to_string().into_boxed_str());
    let matcher = awsrt::pattern::Pattern::new(pattern);
    assert!(matcher.is_match("team:x"));
    assert!(!matcher.is_match("aws:x") && !matcher.is_match("Team"));
    assert_eq!(awsrt_features(&svc), ["runtime-patterns"]);
    assert!(awsrt_features(&model()).is_empty());
}

#[test]
fn integer_bounds_round_inwards() {
    let r = RangeBounds {
        min: Some("1.5".into()),
        max: Some("9.5".into()),
    };
    let (min, max) = int_bounds(&r);
    assert_eq!(
        (min.to_string(), max.to_string()),
        ("Some (2)".to_string(), "Some (9)".to_string())
    );
    // Text that is no number is refused by resolve, before emitting.
    assert_eq!(resolve::int_bound("x", true), None);
    let mut svc = model();
    svc.shapes
        .get_mut("Count")
        .expect("Count")
        .constraints
        .range = Some(RangeBounds {
        min: Some("x".into()),
        max: None,
    });
    let e = render(&svc).expect_err("a bound that is no number");
    assert!(
        e.message.contains("@range bound `x` is not a number"),
        "{e}"
    );
}

#[test]
fn one_class_repeated_is_a_class_test_and_a_count() {
    let mut svc = with_nick_pattern("^[\\P{C}\\r\\n\\t]{1,250}$");
    svc.shapes
        .get_mut("Name")
        .expect("Name")
        .constraints
        .pattern = Some("^[\\P{C}\\r\\n\\t]+$".into());
    let code = render(&svc).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        code.contains(
            "/// One class repeated: every character must be in the class, and there must be \
             between 1 and 250 of them"
        ),
        "{code}"
    );
    assert!(code.contains("there must be at least 1 of them"), "{code}");
    // One table for the class, used by both matchers.
    assert_eq!(
        code.matches("_CHARS: &[(char, char)] = &[").count(),
        1,
        "{code}"
    );
    assert_eq!(
        code.matches("NAME_CHARS.partition_point(").count(),
        2,
        "{code}"
    );
    assert!(!code.contains(PATTERN.path) && !code.contains("Pattern::new"));
    // No regex engine: the crate needs no `runtime-patterns`.
    assert!(awsrt_features(&svc).is_empty());
}

#[test]
fn a_pattern_with_backticks_is_one_code_span_in_the_docs() {
    let code = render(&with_nick_pattern("^[^`<]+$")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        code.contains("/// Whether ``^[^`<]+$`` matches somewhere in a value"),
        "{code}"
    );
}

/// `svc` with a `@range` on the member `member` of structure `owner`.
fn with_member_range(mut svc: Service, owner: &str, member: &str) -> Service {
    let ShapeKind::Structure(ms) = &mut svc.shapes.get_mut(owner).expect(owner).kind else {
        panic!("a structure")
    };
    ms.iter_mut()
        .find(|m| m.name == member)
        .expect(member)
        .constraints
        .range = Some(RangeBounds {
        min: Some("1".into()),
        max: None,
    });
    svc
}

#[test]
fn an_unsupported_member_constraint_names_its_structure_and_member() {
    // A member of an input, and a member of a structure an input reaches.
    for (owner, member) in [("PutInput", "nick"), ("Node", "value")] {
        let e = render(&with_member_range(model(), owner, member)).expect_err("range on a string");
        assert_eq!(
            (e.shape.as_deref(), e.member.as_deref(), e.message.as_str()),
            (
                Some(owner),
                Some(member),
                "@range is not supported on string shapes"
            ),
            "{e}"
        );
    }
}
