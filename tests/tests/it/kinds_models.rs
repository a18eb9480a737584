//! The small models that use every kind of shape
//! (`fixtures/models/kinds/`, one per format) generate crates that compile
//! with `cargo clippy --all-targets -- -D warnings` and no warning. (Their
//! generated files are pinned by `codegen/tests/it/snapshots.rs`.)

fn clippy_clean(name: &str, model: &str) {
    let generated = fixture_harness::Fixture::new(name, fixture_harness::model(model))
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    generated.krate.clippy().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn kinds_botocore_crate_is_clippy_clean() {
    clippy_clean("kinds_botocore", "kinds/service-2.json");
}

#[test]
fn kinds_smithy_crate_is_clippy_clean() {
    clippy_clean("kinds_smithy", "kinds/kinds.smithy.json");
}
