//! What the unit tests share: a small Smithy model written to a temporary
//! folder, then loaded, or taken through the whole pipeline.

use serde_json::{json, Value};

use crate::ir::Service;
use crate::options::Options;
use crate::pipeline;
use crate::write::Rendered;

/// A Smithy model of service `ex#Svc` (sdkId `Ex`, restJson1) with
/// operation `ex#Op`, and `shapes` besides (which must hold `ex#Op`).
fn with_service(shapes: Value) -> Value {
    let mut all = json!({
        "ex#Svc": {"type": "service", "version": "2024-01-01", "operations": [{"target": "ex#Op"}],
                   "traits": {"aws.api#service": {"sdkId": "Ex"}, "aws.protocols#restJson1": {}}},
    });
    for (name, shape) in shapes.as_object().expect("shapes are an object") {
        all[name] = shape.clone();
    }
    json!({"smithy": "2.0", "shapes": all})
}

/// Run `f` on the path of the model of `shapes` (see [`with_service`]).
fn on_file<T>(shapes: Value, f: impl FnOnce(&std::path::Path) -> T) -> T {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("model.json");
    std::fs::write(&path, with_service(shapes).to_string()).expect("write the model");
    f(&path)
}

/// The model of `shapes` (see [`with_service`]), loaded.
pub fn load(shapes: Value) -> Service {
    on_file(shapes, |path| {
        crate::load::load_model(path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The crate generated from the model of `shapes` (see [`with_service`]),
/// by path.
pub fn generate(shapes: Value) -> Rendered {
    on_file(shapes, |path| {
        let resolved = pipeline::prepare(path, None).unwrap_or_else(|e| panic!("{e}"));
        pipeline::generate(&resolved, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
    })
}
