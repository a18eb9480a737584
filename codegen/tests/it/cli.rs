//! The command line: exit codes, messages, `--check`, and that a failed run
//! leaves the output folder as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .output()
        .expect("the codegen binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A botocore model with one operation whose input has the given extra shapes.
fn model_with(shapes: &str) -> String {
    format!(
        r#"{{"version": "2.0",
  "metadata": {{"apiVersion": "2024-01-01", "endpointPrefix": "t", "protocol": "rest-json", "serviceFullName": "T",
               "serviceId": "T", "signatureVersion": "v4", "uid": "t-2024-01-01"}},
  "operations": {{"Op": {{"name": "Op", "http": {{"method": "POST", "requestUri": "/op"}}, "input": {{"shape": "OpRequest"}}}}}},
  "shapes": {{{shapes}}}}}"#
    )
}

#[test]
fn colliding_rust_names_are_an_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("service-2.json");
    fs::write(
        &model,
        model_with(
            r#""OpRequest": {"type": "structure", "members": {"a": {"shape": "FooBar"}, "b": {"shape": "Foo_Bar"}}},
               "FooBar": {"type": "structure", "members": {}},
               "Foo_Bar": {"type": "structure", "members": {}}"#,
        ),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    fs::write(out_dir.join("keep.txt"), "previous output").unwrap();
    let out = codegen(&[
        "--model",
        model.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out).replace(dir.path().to_str().unwrap(), "<tmp>");
    insta::assert_snapshot!(message, @"error: <tmp>/service-2.json: shape `Foo_Bar`: its Rust name `FooBar` in module `types` is already taken by shape `FooBar`");
    assert_eq!(
        fs::read_to_string(out_dir.join("keep.txt")).unwrap(),
        "previous output"
    );
    assert_eq!(
        fs::read_dir(&out_dir).unwrap().count(),
        1,
        "nothing half-written"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary folder left behind"
    );
}

#[test]
fn bad_json_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("broken.json");
    fs::write(&model, "{ not json").unwrap();
    let out_dir = dir.path().join("out");
    let out = codegen(&[
        "--model",
        model.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.json"), "{}", stderr(&out));
    assert!(
        !out_dir.exists(),
        "no output folder is created for a failed run"
    );
}

#[test]
fn a_host_prefix_label_without_a_member_stops_generation() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("service-2.json");
    let text = model_with(r#""OpRequest": {"type": "structure", "members": {}}"#).replace(
        r#""requestUri": "/op"}"#,
        r#""requestUri": "/op"}, "endpoint": {"hostPrefix": "{region}.data."}"#,
    );
    fs::write(&model, text).unwrap();
    let out = codegen(&[
        "--model",
        model.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "shape `Op`: host prefix label `{region}` in `{region}.data.` is bound to no `@hostLabel` input member"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_lists_stale_files_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let model = fixture_harness::model("kinds/service-2.json");
    let out_dir = dir.path().join("kinds");
    let args = [
        "--model",
        model.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ];
    let out = codegen(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.starts_with("kinds: 2 operations, "), "{summary}");

    let check = |extra: &[&str]| codegen(&[&args[..], extra].concat());
    assert_eq!(check(&["--check"]).status.code(), Some(0));
    fs::write(out_dir.join("src/types.rs"), "// edited by hand\n").unwrap();
    fs::write(out_dir.join("src/extra.rs"), "").unwrap();
    let out = check(&["--check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("src/types.rs") && err.contains("src/extra.rs"),
        "{err}"
    );
    // Regenerating restores the files and removes the extra one.
    assert!(codegen(&args).status.success());
    assert_eq!(check(&["--check"]).status.code(), Some(0));
}

#[test]
fn usage_errors_exit_2() {
    let out = codegen(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown argument `--frobnicate`"));
}

#[test]
fn an_event_member_that_cannot_travel_in_a_message_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("service-2.json");
    fs::write(
        &model,
        model_with(
            r#""OpRequest": {"type": "structure", "members": {"events": {"shape": "Events"}}, "payload": "events"},
               "Events": {"type": "structure", "eventstream": true, "members": {"tick": {"shape": "Tick"}}},
               "Tick": {"type": "structure", "event": true, "members": {"ids": {"shape": "Ids", "eventheader": true}}},
               "Ids": {"type": "list", "member": {"shape": "Id"}},
               "Id": {"type": "string"}"#,
        ),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = codegen(&[
        "--model",
        model.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("shape `Tick`, member `ids`: an event header cannot be a list"),
        "{}",
        stderr(&out)
    );
    assert!(!out_dir.exists(), "nothing is written");
}

/// A Smithy model of one `PUT /` operation `Op` with the input `ex#In`,
/// which `shapes` (and the shapes it needs) must define.
fn put_operation(shapes: serde_json::Value) -> serde_json::Value {
    let mut model = serde_json::json!({"smithy": "2.0", "shapes": {
        "ex#Svc": {"type": "service", "version": "2024-01-01", "operations": [{"target": "ex#Op"}],
                   "traits": {"aws.api#service": {"sdkId": "Ex"}, "aws.protocols#restJson1": {}}},
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"},
                  "traits": {"smithy.api#http": {"method": "PUT", "uri": "/"}}},
    }});
    if let (Some(all), Some(more)) = (model["shapes"].as_object_mut(), shapes.as_object()) {
        all.extend(more.clone());
    }
    model
}

/// Runs the generator on `model`, written into `dir`, with the output folder
/// `dir/out`.
fn generate(dir: &Path, model: &serde_json::Value) -> (Output, PathBuf) {
    let path = dir.join("model.json");
    fs::write(&path, model.to_string()).unwrap();
    let out_dir = dir.join("out");
    (generate_into(&path, &out_dir, &[]), out_dir)
}

/// A media type becomes the `content-type` header of the requests that send
/// the member: one that is not a media type (here a header injection) stops
/// generation, naming the structure and member whose target declares it.
#[test]
fn a_media_type_that_is_not_one_stops_generation() {
    let dir = tempfile::tempdir().unwrap();
    let mut smithy = put_operation(serde_json::json!({
        "ex#In": {"type": "structure", "members": {
            "body": {"target": "ex#Picture", "traits": {"smithy.api#httpPayload": {}}}}},
        "ex#Picture": {"type": "blob",
                       "traits": {"smithy.api#mediaType": "image/png\r\nx-injected: 1"}},
    }));
    let (out, out_dir) = generate(dir.path(), &smithy);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "shape `In`, member `body`: media type `image/png\\u{d}\\u{a}x-injected: 1` \
             of `Picture` is not a media type: expected `;` before a parameter"
        ),
        "{err}"
    );
    assert!(!err.contains('\r'), "{err:?}");
    assert!(!out_dir.exists(), "nothing is written");

    // One far too long to be a media type is named, not repeated whole.
    let long = format!("image/{}", "a".repeat(10_000));
    smithy["shapes"]["ex#Picture"]["traits"]["smithy.api#mediaType"] = long.into();
    let (out, out_dir) = generate(dir.path(), &smithy);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "shape `In`, member `body`: media type of `Picture` is not a media type: \
             longer than 256 bytes"
        ),
        "{err}"
    );
    assert!(err.len() < 1_000, "{} bytes of errors", err.len());
    assert!(!out_dir.exists(), "nothing is written");
}

#[test]
fn a_header_name_that_is_not_a_token_stops_generation() {
    let dir = tempfile::tempdir().unwrap();
    let smithy = put_operation(serde_json::json!({
        "ex#In": {"type": "structure", "members": {
            "trace": {"target": "smithy.api#String",
                      "traits": {"smithy.api#httpHeader": "x-trace\r\nx-injected: 1"}},
            "meta": {"target": "ex#Meta",
                     "traits": {"smithy.api#httpPrefixHeaders": "x-meta "}}}},
        "ex#Meta": {"type": "map", "key": {"target": "smithy.api#String"},
                    "value": {"target": "smithy.api#String"}},
    }));
    let (out, out_dir) = generate(dir.path(), &smithy);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for line in [
        "shape `In`, member `trace`: header name `x-trace\\u{d}\\u{a}x-injected: 1` is not an HTTP token",
        "shape `In`, member `meta`: header prefix `x-meta ` is not an HTTP token",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    assert!(!err.contains('\r'), "{err:?}");
    assert!(!out_dir.exists(), "nothing is written");
}

/// A partition's region regex is compiled into a DFA when the run starts:
/// one that has none stops generation, naming the partition; a long one is
/// not repeated whole.
#[test]
fn a_region_regex_that_cannot_be_compiled_stops_generation() {
    let dir = tempfile::tempdir().unwrap();
    let model = good_model(dir.path());
    let partitions = dir.path().join("partitions.json");
    // Lookahead has no DFA; 10,000 characters of it.
    let long = format!("^(?={})", "a".repeat(10_000));
    let doc = serde_json::json!({"partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$"},
        {"id": "long", "regionRegex": long},
    ]});
    fs::write(&partitions, doc.to_string()).unwrap();
    let out_dir = dir.path().join("out");
    let out = generate_into(
        &model,
        &out_dir,
        &["--partitions", partitions.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "error: {}: partitions[1].regionRegex cannot be compiled: ",
            partitions.display()
        )),
        "{err}"
    );
    assert!(err.len() < 1_000, "{} bytes of errors", err.len());
    assert!(!out_dir.exists(), "nothing is written");
}

#[test]
fn a_pattern_no_matcher_reads_stops_generation_unless_asked_to_leave_it_unchecked() {
    // rbin's `RuleArn` (botocore 1.44.5): `{11}{0,1011}`, a quantifier on a
    // quantifier, which ECMA-262 refuses.
    let rule_arn = r"^arn:\\S+:rbin:[a-z\\-0-9]{0,63}:[0-9]{12}:rule/[0-9a-zA-Z]{11}{0,1011}$";
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("service-2.json");
    fs::write(
        &model,
        model_with(&format!(
            r#""OpRequest": {{"type": "structure", "members": {{"arn": {{"shape": "RuleArn"}},
                                                               "name": {{"shape": "Name"}}}}}},
               "RuleArn": {{"type": "string", "pattern": "{rule_arn}"}},
               "Name": {{"type": "string", "pattern": "[a-z]+"}}"#
        )),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let args = [
        "--model",
        model.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ];
    let pattern = rule_arn.replace(r"\\", r"\");
    let why = "nothing to repeat (a quantifier follows a quantifier) (at character 62)";

    let out = codegen(&args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end(),
        format!(
            "error: {}: shape `RuleArn`: unsupported @pattern `{pattern}`: {why}; generate with \
             --skip-unsupported to leave it unchecked",
            model.display()
        )
    );
    assert!(!out_dir.exists(), "nothing is written");

    let out = codegen(&[&args[..], &["--skip-unsupported"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end(),
        format!(
            "warning: {}: shape `RuleArn`: @pattern `{pattern}` is not enforced: {why}",
            model.display()
        )
    );
    let lib = fs::read_to_string(out_dir.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains(&format!(
            "//! **Patterns `validate()` does not check** (no matcher can read them)\n//!\n\
             //! - `RuleArn`: `{pattern}`: {why}."
        )),
        "{lib}"
    );
    // The other pattern is checked; the unreadable one is not.
    let validate = fs::read_to_string(out_dir.join("src/validate.rs")).unwrap();
    assert!(validate.contains("fn matches_name("), "{validate}");
    assert!(!validate.contains("rbin"), "{validate}");
}

/// A model that generates, written into `dir`.
fn good_model(dir: &Path) -> std::path::PathBuf {
    let model = dir.join("service-2.json");
    fs::write(
        &model,
        model_with(r#""OpRequest": {"type": "structure", "members": {"a": {"shape": "S"}}}, "S": {"type": "string"}"#),
    )
    .unwrap();
    model
}

fn generate_into(model: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    codegen(&args)
}

/// Names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn out_is_replaced_only_when_missing_empty_or_written_by_the_generator() {
    let dir = tempfile::tempdir().unwrap();
    let model = good_model(dir.path());

    // Missing: written, with the marker.
    let out_dir = dir.path().join("out");
    let out = generate_into(&model, &out_dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out_dir.join(".codegen-output").is_file());
    assert!(out_dir.join("Cargo.toml").is_file());

    // Written by the generator: replaced (a stray file goes with it).
    fs::write(out_dir.join("stray.txt"), "x").unwrap();
    let out = generate_into(&model, &out_dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!out_dir.join("stray.txt").exists());

    // Empty: written.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let out = generate_into(&model, &empty, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(empty.join("Cargo.toml").is_file());

    // Anything else: refused, untouched, nothing left beside it.
    let mine = dir.path().join("mine");
    fs::create_dir_all(mine.join("src")).unwrap();
    fs::write(mine.join("src/main.rs"), "fn main() {}").unwrap();
    fs::write(mine.join("notes.txt"), "keep me").unwrap();
    let before = listing(dir.path());
    let out = generate_into(&model, &mine, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("was not written by codegen"), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert!(message.contains("mine"), "{message}");
    assert_eq!(
        fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        fs::read_to_string(mine.join("src/main.rs")).unwrap(),
        "fn main() {}"
    );
    assert_eq!(listing(&mine), ["notes.txt", "src"]);
    assert_eq!(
        listing(dir.path()),
        before,
        "no temporary folder left behind"
    );

    // A file where the folder should be: refused.
    let file = dir.path().join("a-file");
    fs::write(&file, "data").unwrap();
    let out = generate_into(&model, &file, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&file).unwrap(), "data");

    // --force replaces it.
    let out = generate_into(&model, &mine, &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!mine.join("notes.txt").exists());
    assert!(mine.join(".codegen-output").is_file());
    let mut expected = before.clone();
    expected.push("a-file".into());
    expected.sort();
    assert_eq!(
        listing(dir.path()),
        expected,
        "no temporary folder left behind"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_out_is_refused_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let model = good_model(dir.path());
    let target = dir.path().join("target-dir");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("precious.txt"), "keep").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = generate_into(&model, &link, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(listing(&target), ["precious.txt"]);
    // Forced, the link itself is replaced; what it pointed to stays.
    let out = generate_into(&model, &link, &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(listing(&target), ["precious.txt"]);
    assert!(link.join(".codegen-output").is_file());
    assert!(!fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn temporary_folders_have_unpredictable_names() {
    // A folder planted at the old predictable name is neither used nor removed.
    let dir = tempfile::tempdir().unwrap();
    let model = good_model(dir.path());
    let out_dir = dir.path().join("out");
    for planted in [".out.tmp-1", ".out.old-1", ".out.tmp", ".out.old"] {
        fs::create_dir(dir.path().join(planted)).unwrap();
        fs::write(dir.path().join(planted).join("x"), "planted").unwrap();
    }
    let before = listing(dir.path());
    let out = generate_into(&model, &out_dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = generate_into(&model, &out_dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut expected = before.clone();
    expected.push("out".into());
    expected.sort();
    assert_eq!(listing(dir.path()), expected);
    for planted in [".out.tmp-1", ".out.old-1", ".out.tmp", ".out.old"] {
        assert_eq!(
            fs::read_to_string(dir.path().join(planted).join("x")).unwrap(),
            "planted"
        );
    }
}

/// A model with five independent problems, within reach of three checks
/// after loading: metadata (a bell in the title), patterns (one no matcher
/// reads) and the resolve stage (an HTTP method, a URI label bound to no
/// member, a number as the HTTP payload).
fn model_with_five_problems() -> String {
    r#"{"version": "2.0",
  "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "t", "protocol": "rest-json",
               "serviceFullName": "T\u0007", "serviceId": "T", "signatureVersion": "v4", "uid": "t-2024-01-01"},
  "operations": {
    "Get": {"name": "Get", "http": {"method": "GET", "requestUri": "/things/{id}"}, "input": {"shape": "GetRequest"}},
    "Trace": {"name": "Trace", "http": {"method": "TRACE", "requestUri": "/trace"}, "input": {"shape": "TraceRequest"}}
  },
  "shapes": {
    "GetRequest": {"type": "structure", "members": {"arn": {"shape": "Arn"}}},
    "TraceRequest": {"type": "structure", "payload": "count", "members": {"count": {"shape": "Count"}}},
    "Arn": {"type": "string", "pattern": "a{2}{3}"},
    "Count": {"type": "integer"}
  }}"#
    .to_string()
}

#[test]
fn every_problem_of_a_model_is_reported_in_one_run_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("service-2.json");
    fs::write(&model, model_with_five_problems()).unwrap();
    let out_dir = dir.path().join("out");
    let run = || {
        codegen(&[
            "--model",
            model.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
    };
    let out = run();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let file = model.display().to_string();
    let expected: Vec<String> = [
        "metadata `metadata.serviceFullName` (the title) holds the control or formatting \
         character U+0007 at character 1; refusing a model whose metadata could rewrite what it \
         lands in",
        "shape `Arn`: unsupported @pattern `a{2}{3}`: nothing to repeat (a quantifier follows a \
         quantifier) (at character 5); generate with --skip-unsupported to leave it unchecked",
        "shape `Get`: URI label `{id}` in `/things/{id}` is bound to no input member",
        "shape `Trace`: HTTP method `TRACE` is not supported",
        "shape `TraceRequest`, member `count`: an HTTP payload of this type is not supported by \
         this generator",
    ]
    .iter()
    .map(|m| format!("error: {file}: {m}"))
    .collect();
    let lines: Vec<String> = stderr(&out).lines().map(str::to_string).collect();
    assert_eq!(lines, expected);
    // The same list, in the same order, every run; nothing written.
    assert_eq!(stderr(&run()), stderr(&out));
    assert!(!out_dir.exists());
}
