//! botocore's restJson1 protocol test suites, run against clients generated
//! from each suite's own model.
//!
//! For each suite the fixture harness (`fixtures/src/lib.rs`) runs the
//! generator exactly as it runs for ivschat; a driver program that
//! depends on every generated crate then runs each case through the
//! generated client over the in-memory transport (see `driver.rs`), and the
//! test compares what it printed with what the case expects (`compare.rs`).
//!
//! The suites' folder is `CONFORMANCE_DIR`, by default
//! `../shared/conformance/botocore-rest-json` beside the workspace. When the
//! variable is set, a missing folder fails the test; when it is not set and
//! the default folder is missing, the test says so and does not run (CI always
//! has the folder).
//!
//! The generated crates must compile without warnings.
//!
//! The generated crates and the driver live in
//! `target/tmp/fixtures/conformance`, and the driver builds (through the
//! harness) with the target folder every fixture shares, so only the first
//! run compiles the runtime's dependencies. The driver's
//! `Cargo.lock` starts as a copy of the workspace's, so it builds the same
//! versions; crates only the suites need (the runtime's `gzip` and `md5`
//! features) are fetched on the first run.

mod compare;
mod driver;
mod suites;

use std::path::{Path, PathBuf};

use fixture_harness::{Crate, Fixture};
use serde_json::Value;

/// Cases that cannot pass, with the reason. The test fails when one of them
/// passes, so the list cannot go stale.
const KNOWN_FAILURES: &[(&str, &str)] = &[(
    "input13/RestJsonHttpPayloadWithUnsetUnion",
    "the suite expects no body for an unset union payload; botocore 1.44.5 itself sends `{}` \
     with `Content-Type: application/json` (its RestJSONSerializer's `_serialize_empty_body`), \
     and so do we: `botocore/` cases check it (tests/data/botocore_payload_requests.json)",
)];

/// botocore's own requests for the `@httpPayload` rules (made by
/// `tests/scripts/botocore_payload_requests.py` with botocore 1.44.5), run as
/// extra cases of the suite they come from. botocore adds no `Content-Type`
/// to blob and string payloads and these cases do not forbid one: we send
/// the one the Smithy restJson1 protocol (and the suites' own cases) require.
const BOTOCORE_PAYLOAD_REQUESTS: &str = "tests/data/botocore_payload_requests.json";

fn suites_dir() -> Option<PathBuf> {
    match std::env::var_os("CONFORMANCE_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "CONFORMANCE_DIR is set to {}, which is not a folder",
                dir.display()
            );
            Some(dir)
        }
        None => {
            let dir = fixture_harness::workspace().join("../shared/conformance/botocore-rest-json");
            if dir.is_dir() {
                Some(dir)
            } else if std::env::var_os("CI").is_some() {
                panic!(
                    "the protocol suites are not at {} and CI is set: they must run in CI \
                     (set CONFORMANCE_DIR to their folder)",
                    dir.display()
                );
            } else {
                eprintln!(
                    "NOT RUN: the protocol suites are not at {} (set CONFORMANCE_DIR to run them)",
                    dir.display()
                );
                None
            }
        }
    }
}

#[test]
fn botocore_rest_json_protocol_suites() {
    let Some(dir) = suites_dir() else { return };
    let mut suites = suites::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let in_files = count_cases(&dir);
    let loaded: usize = suites.iter().map(|s| s.cases.len()).sum();
    assert_eq!(
        loaded, in_files,
        "the suite files hold {in_files} cases; {loaded} were loaded"
    );
    let golden = add_botocore_payload_cases(&mut suites);
    let work = fixture_harness::target_dir().join("tmp/fixtures/conformance");
    let crates = work.join("crates");
    let runtime = fixture_harness::workspace().join("runtime");

    // Generate every suite's crate; a suite that does not generate fails its cases.
    let mut generated = Vec::new();
    let mut outcomes: Vec<(String, Result<(), String>)> = Vec::new();
    for suite in &suites {
        match generate(suite, &crates.join(&suite.name)) {
            Ok(svc) => {
                let lib = svc.crate_name.replace('-', "_");
                generated.push(driver::Generated {
                    suite,
                    svc,
                    lib,
                    path: format!("../crates/{}", suite.name),
                });
            }
            Err(e) => {
                for case in &suite.cases {
                    let id = format!("{}/{}", suite.name, case["id"].as_str().unwrap_or("?"));
                    outcomes.push((id, Err(format!("generation failed: {e}"))));
                }
            }
        }
    }

    // Build and run the driver.
    let driver_dir = work.join("driver");
    std::fs::create_dir_all(driver_dir.join("src")).expect("create the driver folder");
    let runtime_rel = format!("{}", runtime.display());
    write_if_changed(
        &driver_dir.join("Cargo.toml"),
        &driver::cargo_toml(&generated, &runtime_rel),
    );
    write_if_changed(
        &driver_dir.join("src/main.rs"),
        &driver::main_rs(&generated),
    );
    // The generated crates must compile without warnings (the harness fails
    // on any).
    let stdout = Crate::at("conformance driver", &driver_dir)
        .run()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut printed = std::collections::HashMap::new();
    for line in stdout.lines() {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("driver printed {line:?}: {e}"));
        printed.insert(
            v["id"].as_str().unwrap_or("").to_string(),
            v["outcome"].clone(),
        );
    }

    for g in &generated {
        for case in &g.suite.cases {
            let id = format!("{}/{}", g.suite.name, case["id"].as_str().unwrap_or("?"));
            let outcome = match printed.get(&id) {
                None => Err("the driver printed nothing for it".to_string()),
                Some(Value::Object(o)) if o.contains_key("error") => {
                    Err(o["error"].as_str().unwrap_or("").to_string())
                }
                Some(v) => match g.suite.kind {
                    suites::Kind::Output if v == "ok" => Ok(()),
                    suites::Kind::Output => Err(format!("unexpected outcome {v}")),
                    suites::Kind::Input => {
                        let diffs = compare::request(v, &case["serialized"]);
                        if diffs.is_empty() {
                            Ok(())
                        } else {
                            Err(diffs.join("; "))
                        }
                    }
                },
            };
            outcomes.push((id, outcome));
        }
    }

    // Every case of the suite files, and every botocore payload case, ran.
    assert_eq!(
        outcomes.len(),
        in_files + golden,
        "{} cases ran; the suite files hold {in_files} and the botocore payload file {golden}",
        outcomes.len()
    );

    // Report.
    let mut passed = 0;
    let mut failed = 0;
    let mut problems = Vec::new();
    for (id, outcome) in &outcomes {
        let known = KNOWN_FAILURES.iter().find(|(k, _)| k == id);
        match (outcome, known) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some((_, why))) => {
                passed += 1;
                problems.push(format!(
                    "{id}: passes, but is listed as a known failure ({why})"
                ));
            }
            (Err(e), Some((_, why))) => {
                failed += 1;
                eprintln!("known failure {id}: {why} ({e})");
            }
            (Err(e), None) => {
                failed += 1;
                problems.push(format!("{id}: {}", shorten(e)));
            }
        }
    }
    println!(
        "{passed} passed, {failed} failed ({} suites from {})",
        suites.len(),
        dir.display()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The number of cases in `input.json` and `output.json`, counted from the
/// files themselves (not through `suites::load`).
fn count_cases(dir: &Path) -> usize {
    ["input.json", "output.json"]
        .iter()
        .map(|file| {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let doc: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            doc.as_array()
                .into_iter()
                .flatten()
                .map(|s| s["cases"].as_array().map_or(0, Vec::len))
                .sum::<usize>()
        })
        .sum()
}

/// Adds botocore's payload requests as cases `botocore/<n>` of the input
/// suite they come from (matched by description and operation); returns
/// how many were added. Every one must find its suite.
fn add_botocore_payload_cases(suites: &mut [suites::Suite]) -> usize {
    let path = fixture_harness::workspace().join(BOTOCORE_PAYLOAD_REQUESTS);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    assert!(!cases.is_empty(), "{} has no cases", path.display());
    for (i, golden) in cases.iter().enumerate() {
        let op = golden["operation"].as_str().unwrap_or("");
        let suite = suites
            .iter_mut()
            .find(|s| {
                s.kind == suites::Kind::Input
                    && s.model["documentation"] == golden["suite"]
                    && s.model["operations"].get(op).is_some()
            })
            .unwrap_or_else(|| panic!("botocore payload case {i}: no input suite has `{op}`"));
        let given = suite.model["operations"][op].clone();
        suite.cases.push(serde_json::json!({
            "id": format!("botocore/{i}"),
            "given": given,
            "params": golden["params"],
            "serialized": golden["serialized"],
        }));
    }
    cases.len()
}

/// `text`, cut to a readable length.
fn shorten(text: &str) -> String {
    const MAX: usize = 600;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}... ({} bytes in all)", &text[..i], text.len()),
        None => text.to_string(),
    }
}

/// Generate `suite`'s crate into `out` through the fixture harness, as
/// `cargo run -p codegen` would.
fn generate(suite: &suites::Suite, out: &Path) -> Result<codegen::ir::Service, String> {
    let model = out.with_extension("service-2.json");
    std::fs::create_dir_all(out.parent().expect("crates/")).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&suite.model).map_err(|e| e.to_string())?;
    write_if_changed(&model, &text);
    Fixture::new(&suite.name, &model)
        .out(out)
        .generate()
        .map(|g| g.service)
        .map_err(|e| e.to_string())
}

/// Write only when the contents differ, so that cargo sees nothing new between runs.
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}
