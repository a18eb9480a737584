//! Hostile names and recursive shapes: the `names-*` and `recursion-*` cases
//! of the hostile corpus (`fixtures/models/hostile/<case>/`, a model and its
//! `expect.json`) run through the command line, and the large attacks
//! (chains of 19,000 and 100,000 shapes, deeply nested JSON), built here rather than checked
//! in, run through the library on a thread with a small stack, so that any
//! walk bounded by the stack instead of a limit fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::error::Error;
use codegen::options::Options;
use codegen::{emit, pipeline};
use serde_json::{json, Value};

fn corpus() -> PathBuf {
    fixture_harness::model("hostile")
}

fn runtime() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime")
}

/// This file's cases: folders named `names-*` or `recursion-*`.
fn my_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("fixtures/models/hostile is in the repository")
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("names-") || name.starts_with("recursion-")
        })
        .collect();
    cases.sort();
    cases
}

/// Every identifier token in Rust source `text` (walked with a stack of our own).
fn idents(text: &str) -> Result<Vec<String>, proc_macro2::LexError> {
    let tokens: proc_macro2::TokenStream = text.parse()?;
    let mut out = Vec::new();
    let mut todo = vec![tokens];
    while let Some(ts) = todo.pop() {
        for t in ts {
            match t {
                proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
                proc_macro2::TokenTree::Group(g) => todo.push(g.stream()),
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Every file under `dir`, relative paths.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("readable output folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn each_case_gives_its_expected_outcome() {
    let cases = my_cases();
    assert!(cases.len() >= 20, "the corpus lost cases: {cases:?}");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        let expect: Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("expect.json")).expect("expect.json"),
        )
        .expect("expect.json is JSON");
        let model = ["service-2.json", "model.smithy.json"]
            .iter()
            .map(|f| case.join(f))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{name}: no model"));
        let out = tmp.path().join(&*name);
        let run = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .arg("--model")
            .arg(&model)
            .arg("--out")
            .arg(&out)
            .arg("--runtime-path")
            .arg(runtime())
            .output()
            .expect("codegen runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let want = expect["exit"].as_i64().expect("exit");
        if run.status.code() != Some(want as i32) {
            failures.push(format!(
                "{name}: exit {:?}, want {want}: {stderr}",
                run.status.code()
            ));
            continue;
        }
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        for s in expect["stderr"].as_array().expect("stderr list") {
            let s = s.as_str().expect("a string");
            if !stderr.contains(s) {
                failures.push(format!("{name}: stderr lacks {s:?}: {stderr}"));
            }
        }
        if want != 0 {
            assert!(!out.exists(), "{name}: exit 2 left output behind");
            continue;
        }
        // Identifiers and file names are ASCII; renames are listed.
        let mut lib = String::new();
        for f in files_under(&out) {
            let rel = f
                .strip_prefix(&out)
                .expect("under out")
                .to_string_lossy()
                .into_owned();
            assert!(rel.is_ascii(), "{name}: file name {rel:?}");
            if rel.ends_with(".rs") {
                let text = std::fs::read_to_string(&f).expect("generated file");
                match idents(&text) {
                    Ok(idents) => failures.extend(
                        idents
                            .iter()
                            .filter(|i| !i.is_ascii())
                            .map(|i| format!("{name}: {rel}: identifier {i:?} is not ASCII")),
                    ),
                    Err(e) => failures.push(format!("{name}: {rel} is not Rust tokens: {e:?}")),
                }
                if rel == "src/lib.rs" {
                    lib = text;
                }
            }
        }
        let renames = expect["renames"].as_array().cloned().unwrap_or_default();
        if !renames.is_empty() {
            let section = lib
                .split("**Renamed items**")
                .nth(1)
                .unwrap_or_else(|| panic!("{name}: no Renamed items section in lib.rs"));
            for r in renames {
                let r = r.as_str().expect("a string");
                if !section.contains(&format!("`{r}`")) {
                    failures.push(format!("{name}: `{r}` is not listed as renamed"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A botocore model whose operation takes and returns `Root`.
fn model_with(shapes: serde_json::Map<String, Value>) -> Value {
    let mut all = serde_json::Map::new();
    all.insert(
        "In".into(),
        json!({"type": "structure", "members": {"x": {"shape": "Root"}}}),
    );
    all.insert(
        "Out".into(),
        json!({"type": "structure", "members": {"y": {"shape": "Root"}}}),
    );
    all.insert("Str".into(), json!({"type": "string"}));
    all.extend(shapes);
    json!({
        "version": "2.0",
        "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                     "serviceFullName": "Example", "serviceId": "Example", "signatureVersion": "v4"},
        "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                              "input": {"shape": "In"}, "output": {"shape": "Out"}}},
        "shapes": all,
    })
}

/// `n` shapes `S0 -> S1 -> ... `, each made by `shape(next)`, the last
/// pointing at `last`; `Root` is `S0`.
fn chain(n: usize, shape: impl Fn(&str) -> Value, last: &str) -> serde_json::Map<String, Value> {
    let mut shapes = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 < n {
            format!("S{}", i + 1)
        } else {
            last.to_string()
        };
        let name = if i == 0 {
            "Root".to_string()
        } else {
            format!("S{i}")
        };
        shapes.insert(name, shape(&next));
    }
    shapes
}

/// Run `f` on a thread with a 256 KiB stack: deep recursion overflows it.
/// Prepare the model at `path`: `Err` with its one problem when it is
/// refused (a model with more fails the test).
fn prepare_one(path: &Path) -> Result<(), Error> {
    pipeline::prepare(path, None)
        .map(|_| ())
        .map_err(|problems| {
            assert_eq!(problems.len(), 1, "one problem expected: {problems}");
            problems.first().cloned().expect("one problem")
        })
}

fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    on_stack(256 * 1024, f)
}

/// Run `f` on a thread with a stack of `size` bytes.
fn on_stack<T: Send + 'static>(size: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(size)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("no panic and no stack overflow")
}

fn write_model(doc: &Value) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("service-2.json");
    std::fs::write(&path, doc.to_string()).expect("written");
    (dir, path)
}

fn list_of(next: &str) -> Value {
    json!({"type": "list", "member": {"shape": next}})
}

#[test]
fn a_chain_of_100000_lists_is_refused_by_the_size_limit() {
    let (_dir, path) = write_model(&model_with(chain(100_000, list_of, "Str")));
    let err = small_stack(move || prepare_one(&path)).expect_err("too large to generate");
    assert!(err.message.contains("the model has 100003 shapes"), "{err}");
    assert!(err.message.contains("at most 20000"), "{err}");
}

/// Below the size limit, chains are still far deeper than a 256 KiB stack
/// holds frames for: any recursion over them would overflow.
const DEEP: usize = 19_000;

#[test]
fn a_chain_of_19000_lists_is_refused_by_the_nesting_limit() {
    let (_dir, path) = write_model(&model_with(chain(DEEP, list_of, "Str")));
    let err = small_stack(move || prepare_one(&path)).expect_err("too deep to generate");
    assert!(
        err.message.contains("nests lists and maps 33 deep"),
        "{err}"
    );
    assert!(err.message.contains("at most 32"), "{err}");
    assert!(err.to_string().len() < 2000, "the message is bounded");
}

#[test]
fn a_cycle_of_19000_lists_is_refused_with_a_short_message() {
    let (_dir, path) = write_model(&model_with(chain(DEEP, list_of, "Root")));
    let err = small_stack(move || prepare_one(&path)).expect_err("no Rust type");
    assert!(
        err.message
            .contains("recursive through lists and maps only"),
        "{err}"
    );
    assert!(err.message.contains("(19000 shapes)"), "{err}");
    assert!(err.to_string().len() < 2000, "the message is bounded");
}

#[test]
fn a_chain_of_19000_structures_is_analysed_without_recursion() {
    let struct_of = |next: &str| json!({"type": "structure", "members": {"a": {"shape": next}}});
    let (_dir, path) = write_model(&model_with(chain(DEEP, struct_of, "Str")));
    let svc = small_stack(move || pipeline::prepare(&path, None)).expect("a chain is fine");
    let boxed = svc
        .shapes
        .values()
        .flat_map(|s| s.children())
        .filter(|m| m.boxed)
        .count();
    assert_eq!(boxed, 0, "a chain has no cycle: nothing is boxed");
}

#[test]
fn a_cycle_of_structures_boxes_every_member_on_it_and_generates_without_recursion() {
    // Root -> S1 -> ... -> S2999 -> Root, each also holding a string.
    let n = 3000;
    let struct_of = |next: &str| json!({"type": "structure", "members": {"a": {"shape": next}, "s": {"shape": "Str"}}});
    let (_dir, path) = write_model(&model_with(chain(n, struct_of, "Root")));
    let files = small_stack(move || {
        let svc = pipeline::prepare(&path, None)?;
        let boxed: Vec<bool> = svc
            .shapes
            .values()
            .flat_map(|s| s.children())
            .filter(|m| m.name == "a")
            .map(|m| m.boxed)
            .collect();
        assert_eq!(boxed.len(), n);
        assert!(boxed.iter().all(|b| *b), "every link of the cycle is boxed");
        Ok::<_, codegen::error::Diagnostics>(
            emit::generate(&svc, &Options::default())
                .into_keys()
                .collect::<Vec<String>>(),
        )
    })
    .expect("generates");
    assert!(
        files.iter().any(|f| f == "src/types/s2999.rs"),
        "{:?}",
        &files[..5]
    );
}

#[test]
fn a_model_file_over_64_mib_is_refused_unread() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("service-2.json");
    let file = std::fs::File::create(&path).expect("created");
    file.set_len((64 << 20) + 1).expect("a sparse file");
    let err = codegen::load::load_model(&path)
        .expect_err("too large")
        .into_only()
        .expect("one problem");
    assert!(err.message.contains("larger than 64 MiB"), "{err}");
}

#[test]
fn a_model_nested_100000_deep_is_a_json_error() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("service-2.json");
    std::fs::write(&path, text).expect("written");
    // serde_json stops at 128 levels; in a debug build those take more than
    // 256 KiB, so this runs on the 2 MiB a test (or tokio worker) thread has.
    let err = on_stack(2 << 20, move || {
        codegen::load::load_model(&path).map(|_| ())
    })
    .expect_err("not a model")
    .into_only()
    .expect("one problem");
    assert!(err.message.contains("not valid JSON"), "{err}");
    assert!(err.message.contains("recursion limit"), "{err}");
}

/// The generated deserializers recurse over a parsed `serde_json::Value`; the
/// runtime parses responses with serde_json's default recursion limit (128),
/// so a response nesting 100,000 levels is an error before any of them runs.
#[test]
fn a_response_nested_100000_deep_is_an_error_not_a_stack_overflow() {
    let body = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let err = on_stack(2 << 20, move || {
        awsrt::json::parse(body.as_bytes()).map(|_| ())
    })
    .expect_err("too deep");
    assert!(err.to_string().contains("recursion limit"), "{err}");
    let ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    assert!(
        awsrt::json::parse(ok.as_bytes()).is_ok(),
        "100 levels are fine"
    );
}

#[test]
fn every_name_collision_of_a_model_is_reported_in_one_run() {
    // Three collisions that do not depend on each other: two members whose
    // setters meet, two shapes that meet as one type, and a member whose
    // getter meets a method every structure has.
    let mut shapes = serde_json::Map::new();
    shapes.insert(
        "Root".into(),
        json!({"type": "structure", "members": {
            "foo": {"shape": "Str"}, "setFoo": {"shape": "Str"},
            "a": {"shape": "Pair"}, "b": {"shape": "pair"}, "c": {"shape": "Other"}}}),
    );
    shapes.insert(
        "Pair".into(),
        json!({"type": "structure", "members": {"x": {"shape": "Str"}}}),
    );
    shapes.insert(
        "pair".into(),
        json!({"type": "structure", "members": {"x": {"shape": "Str"}}}),
    );
    shapes.insert(
        "Other".into(),
        json!({"type": "structure", "members": {"bar": {"shape": "Str"}, "set_bar": {"shape": "Str"}}}),
    );
    let (_dir, path) = write_model(&model_with(shapes));
    let problems = match pipeline::prepare(&path, None) {
        Ok(_) => panic!("a model with three name collisions was accepted"),
        Err(problems) => problems,
    };
    let text = problems.to_string();
    for (shape, want) in [
        ("Root", "`setFoo`"),
        ("Other", "`set_bar`"),
        ("pair", "`Pair`"),
    ] {
        assert!(
            problems
                .iter()
                .any(|p| p.to_string().contains(shape) && p.to_string().contains(want)),
            "no collision naming {shape} and {want} in: {text}"
        );
    }
    // Sorted and the same on a second run.
    match pipeline::prepare(&path, None) {
        Ok(_) => panic!("accepted on the second run"),
        Err(again) => assert_eq!(again.to_string(), text),
    }
}
