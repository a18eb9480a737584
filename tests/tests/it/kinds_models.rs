//! The small models that use every kind of shape
//! (`fixtures/models/kinds/`, one per format) generate crates that compile
//! with `cargo clippy --all-targets -- -D warnings` and no warning. (Their
//! generated files are pinned by `codegen/tests/it/snapshots.rs`.)
//!
//! The botocore one also runs `fixtures/models/kinds/correction.rs` inside
//! its crate: required members a response leaves out are corrected as
//! aws-sdk-rust corrects them.

use fixture_harness::{model, Fixture};

/// Generates the crate of `model` (with `tests` copied into its `tests/`)
/// and checks it is clippy clean; returns it for more checks.
fn clippy_clean(
    name: &str,
    model_file: &str,
    tests: &[(&str, &str)],
) -> fixture_harness::Generated {
    let mut fixture = Fixture::new(name, model(model_file));
    for (rel, text) in tests {
        fixture = fixture.file(rel, *text);
    }
    if !tests.is_empty() {
        fixture = fixture.dev_dependencies(
            "tokio = { version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }\n",
        );
    }
    let generated = fixture.generate().unwrap_or_else(|e| panic!("{e}"));
    generated.krate.clippy().unwrap_or_else(|e| panic!("{e}"));
    generated
}

#[test]
fn kinds_botocore_crate_is_clippy_clean_and_corrects_left_out_members() {
    let test = std::fs::read_to_string(model("kinds/correction.rs")).expect("read correction.rs");
    let generated = clippy_clean(
        "kinds_botocore",
        "kinds/service-2.json",
        &[("tests/correction.rs", test.as_str())],
    );
    let passed = generated
        .krate
        .test(&["--test", "correction"])
        .unwrap_or_else(|e| panic!("the generated crate's tests fail: {e}"));
    let written = test.matches("#[tokio::test]").count();
    assert!(written > 0, "correction.rs has no tests");
    assert_eq!(
        passed, written,
        "correction.rs has {written} tests; {passed} passed"
    );
}

#[test]
fn kinds_smithy_crate_is_clippy_clean() {
    clippy_clean("kinds_smithy", "kinds/kinds.smithy.json", &[]);
}
