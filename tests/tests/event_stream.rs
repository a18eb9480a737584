//! Event streams, end to end: the generator runs on
//! `tests/data/event_stream/service-2.json` (a feed service whose outputs
//! stream events of every kind: headers of every type, blob, text and JSON
//! payloads, JSON bodies, modeled and unmodeled exceptions, a stream with
//! no exceptions; and a bidirectional chat whose input streams events of
//! every kind too), exactly as it runs for ivschat, and the generated crate's
//! own tests (`tests/data/event_stream/stream.rs`) drive its client over the
//! in-memory transport. The generated crate must compile and pass
//! `cargo clippy -D warnings` too.
//!
//! The crate lives in `target/tmp/event_stream` and builds with the
//! conformance test's target folder (`target/tmp/conformance/target`), so
//! the runtime's dependencies compile once for both.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

/// Write only when the contents differ, so that cargo sees nothing new between runs.
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let out = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", tmp.join("conformance").join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn generated_event_stream_client_reads_every_kind_of_message() {
    let data = workspace().join("tests/data/event_stream");
    let model = data.join("service-2.json");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("event_stream");
    let svc = codegen::pipeline::prepare(&model, None).expect("the model loads");
    let mut settings = codegen::pipeline::options(&model, None, None).expect("settings");
    settings.runtime_path = workspace().join("runtime").display().to_string();
    let files = codegen::pipeline::generate(&svc, &settings).expect("the crate generates");
    if !codegen::write::stale(&out, &files).is_empty() {
        codegen::write::write(&out, &files).expect("write the crate");
    }

    // The crate's own tests, and what they need beyond the crate.
    std::fs::create_dir_all(out.join("tests")).expect("create tests/");
    let test = std::fs::read_to_string(data.join("stream.rs")).expect("read stream.rs");
    write_if_changed(&out.join("tests/stream.rs"), &test);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("read Cargo.toml");
    assert!(
        manifest.contains("features = [\"event-stream\"]"),
        "the crate turns on the runtime's event streams:\n{manifest}"
    );
    let dev = "\n[workspace]\n\n[dev-dependencies]\nbytes = \"1\"\nserde_json = \"1\"\ntokio = { version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }\n";
    if !manifest.contains("[dev-dependencies]") {
        std::fs::write(out.join("Cargo.toml"), format!("{manifest}{dev}"))
            .expect("write Cargo.toml");
    }
    if !out.join("Cargo.lock").exists() {
        std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock"))
            .expect("copy Cargo.lock");
    }

    // Only tests/stream.rs: the crate's doctests are not its tests.
    let (ok, text) = cargo(&out, &["test", "--quiet", "--test", "stream"]);
    assert!(ok, "the generated crate's tests fail:\n{text}");
    // Every test of stream.rs ran and passed: not a subset.
    let written = test
        .lines()
        .filter(|l| matches!(l.trim(), "#[tokio::test]" | "#[test]"))
        .count();
    let passed: usize = text
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(written > 0, "stream.rs has no tests");
    assert_eq!(
        passed, written,
        "stream.rs has {written} tests; {passed} passed:\n{text}"
    );
    println!("{passed} generated-crate tests passed");

    let (ok, text) = cargo(
        &out,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    assert!(ok, "the generated crate is not clippy-clean:\n{text}");
}
