//! Event streams, end to end: the generator runs on
//! `fixtures/models/event_stream/service-2.json` (a feed service whose outputs
//! stream events of every kind: headers of every type, blob, text and JSON
//! payloads, JSON bodies, modeled and unmodeled exceptions, a stream with
//! no exceptions; and a bidirectional chat whose input streams events of
//! every kind too), exactly as it runs for ivschat, and the generated crate's
//! own tests (`fixtures/models/event_stream/stream.rs`) drive its client over
//! the in-memory transport. The generated crate must compile and pass
//! `cargo clippy -D warnings` too.
//!
//! The fixture harness (`fixtures/src/lib.rs`) generates the crate into
//! `target/tmp/fixtures/event_stream` and builds it in the target folder
//! every fixture shares.

use fixture_harness::{model, Fixture};

#[test]
fn generated_event_stream_client_reads_every_kind_of_message() {
    let test = std::fs::read_to_string(model("event_stream/stream.rs")).expect("read stream.rs");
    let generated = Fixture::new("event_stream", model("event_stream/service-2.json"))
        .file("tests/stream.rs", test.as_str())
        .dev_dependencies(
            "bytes = \"1\"\nserde_json = \"1\"\n\
             tokio = { version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }\n",
        )
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let krate = &generated.krate;
    let manifest =
        std::fs::read_to_string(krate.dir().join("Cargo.toml")).expect("read Cargo.toml");
    assert!(
        manifest.contains("features = [\"event-stream\"]"),
        "the crate turns on the runtime's event streams:\n{manifest}"
    );

    // Only tests/stream.rs: the crate's doctests are not its tests.
    let passed = krate
        .test(&["--test", "stream"])
        .unwrap_or_else(|e| panic!("the generated crate's tests fail: {e}"));
    // Every test of stream.rs ran and passed: not a subset.
    let written = test
        .lines()
        .filter(|l| matches!(l.trim(), "#[tokio::test]" | "#[test]"))
        .count();
    assert!(written > 0, "stream.rs has no tests");
    assert_eq!(
        passed, written,
        "stream.rs has {written} tests; {passed} passed"
    );
    println!("{passed} generated-crate tests passed");

    krate.clippy().unwrap_or_else(|e| panic!("{e}"));
}
