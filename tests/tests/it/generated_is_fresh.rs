//! The checked-in `generated/` is exactly what the generator makes now.
//!
//! Set `UPDATE_GENERATED=1` to rewrite it instead of failing (the same as
//! `cargo run -p codegen`).

use std::path::Path;

use codegen::{pipeline, write};

#[test]
fn generated_crate_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let svc = pipeline::prepare(
        &root.join("model/data/ivschat/2020-07-14/service-2.json"),
        Some(&root.join("model/ivschat.overlay.json")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let model = root.join("model/data/ivschat/2020-07-14/service-2.json");
    let settings = pipeline::settings(&model, None, Some(&root.join("model/examples")))
        .unwrap_or_else(|e| panic!("{e}"));
    let rendered = pipeline::generate(&svc, &settings).unwrap_or_else(|e| panic!("{e}"));
    let out = root.join("generated");
    let stale = write::stale(&out, &rendered);
    if stale.is_empty() {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        write::write(&out, &rendered).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    panic!(
        "generated/ is stale; these files differ from what the generator makes:\n  {}\nrun `cargo run -p codegen` (or set UPDATE_GENERATED=1) and commit the result",
        stale.join("\n  ")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let model = root.join("model/data/ivschat/2020-07-14/service-2.json");
    let overlay = root.join("model/ivschat.overlay.json");
    let once = || {
        let svc = pipeline::prepare(&model, Some(&overlay)).unwrap_or_else(|e| panic!("{e}"));
        let settings = pipeline::settings(&model, None, Some(&root.join("model/examples")))
            .unwrap_or_else(|e| panic!("{e}"));
        pipeline::generate(&svc, &settings).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(once(), once());
}
