//! Snapshots of every generated file: the ivschat crate, and a small model
//! that uses every kind of shape, in both model formats.

use std::path::{Path, PathBuf};

use codegen::pipeline;
use codegen::write::Rendered;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(model: &Path, overlay: Option<&Path>, examples: Option<&Path>) -> Rendered {
    let svc = pipeline::prepare(model, overlay).unwrap_or_else(|e| panic!("{e}"));
    let settings = pipeline::settings(model, None, examples).unwrap_or_else(|e| panic!("{e}"));
    pipeline::generate(&svc, &settings).unwrap_or_else(|e| panic!("{e}"))
}

fn snapshot_all(prefix: &str, rendered: &Rendered) {
    assert!(!rendered.is_empty());
    // A snapshot of a file the generator no longer makes is stale: fail on it.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let expected: Vec<String> = rendered
        .keys()
        .map(|path| format!("{prefix}__{}.snap", path.replace('/', "__")))
        .collect();
    for entry in std::fs::read_dir(&dir).expect("the snapshots folder") {
        let name = entry
            .expect("a snapshot entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.starts_with(&format!("{prefix}__")) && name.ends_with(".snap") {
            assert!(
                expected.contains(&name),
                "{name} is a snapshot of a file the generator no longer makes: delete it"
            );
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| {
        for (path, text) in rendered {
            let name = format!("{prefix}__{}", path.replace('/', "__"));
            insta::assert_snapshot!(name, text);
        }
    });
}

#[test]
fn ivschat() {
    let rendered = generate(
        &root().join("model/data/ivschat/2020-07-14/service-2.json"),
        Some(&root().join("model/ivschat.overlay.json")),
        Some(&root().join("model/examples")),
    );
    snapshot_all("ivschat", &rendered);
}

#[test]
fn every_shape_kind_botocore() {
    let dir = fixture_harness::model("kinds");
    snapshot_all(
        "kinds_botocore",
        &generate(&dir.join("service-2.json"), None, None),
    );
}

#[test]
fn every_shape_kind_smithy() {
    let dir = fixture_harness::model("kinds");
    snapshot_all(
        "kinds_smithy",
        &generate(&dir.join("kinds.smithy.json"), None, None),
    );
}
