//! Bad input gives a clear error, never a panic: one small model per mistake,
//! in both formats where it applies. Each test asserts the error's file, shape,
//! member and message, and snapshots its Display (with the temporary folder
//! shown as `$DIR`).

use std::path::{Path, PathBuf};

use codegen::error::{Diagnostics, Error};
use codegen::{load, overlay, pipeline};
use serde_json::{json, Value};

/// The one problem a model has (a model with more fails the test).
fn one(problems: Diagnostics) -> Error {
    let shown = problems.to_string();
    problems
        .into_only()
        .unwrap_or_else(|| panic!("one problem expected: {shown}"))
}

/// A folder with the given files; the first one is loaded.
struct Files {
    dir: tempfile::TempDir,
    main: PathBuf,
}

fn files(files: &[(&str, String)]) -> Files {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let main = dir.path().join(files[0].0);
    Files { dir, main }
}

impl Files {
    fn load_err(&self) -> Error {
        match load::load_model(&self.main) {
            Ok(_) => panic!("{} loaded without error", self.main.display()),
            Err(problems) => one(problems),
        }
    }

    /// The error of the whole preparation (load, overlay, unsupported
    /// features, names, patterns), without skipping anything.
    fn prepare_err(&self) -> Error {
        match pipeline::prepare(&self.main, None) {
            Ok(_) => panic!("{} prepared without error", self.main.display()),
            Err(problems) => one(problems),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Assert every part of `e`, then snapshot its Display.
    #[track_caller]
    fn check(
        &self,
        snapshot: &str,
        e: &Error,
        file: &str,
        shape: Option<&str>,
        member: Option<&str>,
        message: &str,
    ) {
        assert_eq!(
            e.file.as_deref(),
            Some(self.path(file).as_path()),
            "file of: {e}"
        );
        assert_eq!(e.shape.as_deref(), shape, "shape of: {e}");
        assert_eq!(e.member.as_deref(), member, "member of: {e}");
        assert_eq!(e.message, message);
        let shown = e
            .to_string()
            .replace(&self.dir.path().display().to_string(), "$DIR");
        // The name and folder these snapshots had when this file was a
        // test binary of its own.
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_path("../snapshots");
        settings.bind(|| insta::assert_snapshot!(format!("load_errors__{snapshot}"), shown));
    }
}

fn botocore_doc(shapes: Value, operations: Value) -> Value {
    json!({
        "version": "2.0",
        "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                     "serviceFullName": "Example", "serviceId": "Example", "signatureVersion": "v4"},
        "operations": operations,
        "shapes": shapes,
    })
}

/// A botocore model with operation `Op` (input `In`) and these shapes.
fn botocore(shapes: Value) -> String {
    let op = json!({"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/op"}, "input": {"shape": "In"}}});
    botocore_doc(shapes, op).to_string()
}

/// A Smithy model with service `ex#Svc`, operation `ex#Op` (input `ex#In`) and
/// these shapes (which may replace either).
fn smithy(shapes: Value) -> String {
    let mut all = json!({
        "ex#Svc": {"type": "service", "version": "2024-01-01", "operations": [{"target": "ex#Op"}],
                   "traits": {"aws.api#service": {"sdkId": "Example"}, "aws.auth#sigv4": {"name": "ex"},
                              "aws.protocols#restJson1": {}}},
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "smithy.api#Unit"},
                  "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"}}},
    });
    if let (Some(all), Some(extra)) = (all.as_object_mut(), shapes.as_object()) {
        for (k, v) in extra {
            all.insert(k.clone(), v.clone());
        }
    }
    json!({"smithy": "2.0", "shapes": all}).to_string()
}

fn boto_files(shapes: Value) -> Files {
    files(&[("service-2.json", botocore(shapes))])
}

fn smithy_files(shapes: Value) -> Files {
    files(&[("model.json", smithy(shapes))])
}

#[test]
fn not_json() {
    let f = files(&[(
        "service-2.json",
        "{\"metadata\": {\n  \"apiVersion\": 2024-01-01\n}}".to_string(),
    )]);
    let e = f.load_err();
    f.check(
        "not_json",
        &e,
        "service-2.json",
        None,
        None,
        "not valid JSON at line 2, column 21: expected `,` or `}`",
    );
}

#[test]
fn neither_format() {
    let f = files(&[("model.json", json!({"shapes": {}}).to_string())]);
    let e = f.load_err();
    f.check(
        "neither_format",
        &e,
        "model.json",
        None,
        None,
        "neither a Smithy JSON AST (no top-level `smithy` key) nor a botocore model (it needs `metadata`, `operations` and `shapes`)",
    );
}

#[test]
fn missing_target_botocore() {
    let f =
        boto_files(json!({"In": {"type": "structure", "members": {"x": {"shape": "Missing"}}}}));
    let e = f.load_err();
    f.check(
        "missing_target_botocore",
        &e,
        "service-2.json",
        Some("In"),
        Some("x"),
        "targets `Missing`, which is not in the model",
    );
}

#[test]
fn missing_target_smithy() {
    let f = smithy_files(
        json!({"ex#In": {"type": "structure", "members": {"x": {"target": "ex#Missing"}}}}),
    );
    let e = f.load_err();
    f.check(
        "missing_target_smithy",
        &e,
        "model.json",
        Some("In"),
        Some("x"),
        "targets `ex#Missing`, which is not in the model",
    );
}

#[test]
fn unknown_type_botocore() {
    let f = boto_files(json!({
        "In": {"type": "structure", "members": {"x": {"shape": "Weird"}}},
        "Weird": {"type": "wibble"},
    }));
    let e = f.load_err();
    f.check(
        "unknown_type_botocore",
        &e,
        "service-2.json",
        Some("Weird"),
        None,
        "has unknown type `wibble`",
    );
}

#[test]
fn unknown_type_smithy() {
    let f = smithy_files(json!({
        "ex#In": {"type": "structure", "members": {"x": {"target": "ex#Weird"}}},
        "ex#Weird": {"type": "wibble"},
    }));
    let e = f.load_err();
    f.check(
        "unknown_type_smithy",
        &e,
        "model.json",
        Some("Weird"),
        None,
        "has unknown type `wibble`",
    );
}

#[test]
fn input_not_a_structure_botocore() {
    let f = boto_files(json!({"In": {"type": "string"}}));
    let e = f.load_err();
    f.check(
        "input_not_a_structure_botocore",
        &e,
        "service-2.json",
        Some("Op"),
        None,
        "input `In` is a string, not a structure",
    );
}

#[test]
fn input_not_a_structure_smithy() {
    let f =
        smithy_files(json!({"ex#In": {"type": "list", "member": {"target": "smithy.api#String"}}}));
    let e = f.load_err();
    f.check(
        "input_not_a_structure_smithy",
        &e,
        "model.json",
        Some("Op"),
        None,
        "input `In` is a list, not a structure",
    );
}

#[test]
fn output_not_a_structure_botocore() {
    let op =
        json!({"Op": {"http": {"method": "GET", "requestUri": "/"}, "output": {"shape": "Out"}}});
    let f = files(&[(
        "service-2.json",
        botocore_doc(json!({"Out": {"type": "integer"}}), op).to_string(),
    )]);
    let e = f.load_err();
    f.check(
        "output_not_a_structure_botocore",
        &e,
        "service-2.json",
        Some("Op"),
        None,
        "output `Out` is an integer, not a structure",
    );
}

#[test]
fn output_not_a_structure_smithy() {
    let f = smithy_files(json!({
        "ex#Op": {"type": "operation", "output": {"target": "smithy.api#Document"},
                  "traits": {"smithy.api#http": {"method": "GET", "uri": "/"}}},
    }));
    let e = f.load_err();
    f.check(
        "output_not_a_structure_smithy",
        &e,
        "model.json",
        Some("Op"),
        None,
        "output `Document` is a document, not a structure",
    );
}

#[test]
fn error_not_a_structure_botocore() {
    let op = json!({"Op": {"http": {"method": "GET", "requestUri": "/"}, "errors": [{"shape": "Oops"}]}});
    let shapes =
        json!({"Oops": {"type": "string", "exception": true, "error": {"httpStatusCode": 400}}});
    let f = files(&[("service-2.json", botocore_doc(shapes, op).to_string())]);
    // Two problems, both reported: the shape, and the operation listing it.
    let problems = load::load_model(&f.main).expect_err("two problems");
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(listed.len(), 2, "{problems}");
    assert!(
        listed[1].ends_with("shape `Op`: error `Oops` is a string, not a structure"),
        "{problems}"
    );
    let e = problems.first().cloned().expect("a first problem");
    f.check(
        "error_not_a_structure_botocore",
        &e,
        "service-2.json",
        Some("Oops"),
        None,
        "has an error trait but is a string, not a structure",
    );
}

#[test]
fn error_not_a_structure_smithy() {
    let f = smithy_files(json!({
        "ex#Op": {"type": "operation", "errors": [{"target": "ex#Oops"}],
                  "traits": {"smithy.api#http": {"method": "GET", "uri": "/"}}},
        "ex#Oops": {"type": "union", "members": {"a": {"target": "smithy.api#String"}}},
    }));
    let e = f.load_err();
    f.check(
        "error_not_a_structure_smithy",
        &e,
        "model.json",
        Some("Op"),
        None,
        "error `Oops` is a union, not a structure",
    );
}

#[test]
fn error_without_error_trait_botocore() {
    let op = json!({"Op": {"http": {"method": "GET", "requestUri": "/"}, "errors": [{"shape": "Oops"}]}});
    let f = files(&[(
        "service-2.json",
        botocore_doc(json!({"Oops": {"type": "structure", "members": {}}}), op).to_string(),
    )]);
    let e = f.load_err();
    f.check(
        "error_without_error_trait_botocore",
        &e,
        "service-2.json",
        Some("Op"),
        None,
        "error `Oops` is a structure without an error trait",
    );
}

#[test]
fn list_member_missing_botocore() {
    let f = boto_files(json!({
        "In": {"type": "structure", "members": {"x": {"shape": "L"}}},
        "L": {"type": "list"},
    }));
    let e = f.load_err();
    f.check(
        "list_member_missing_botocore",
        &e,
        "service-2.json",
        Some("L"),
        Some("member"),
        "the list has no `member`",
    );
}

#[test]
fn list_member_missing_smithy() {
    let f = smithy_files(json!({
        "ex#In": {"type": "structure", "members": {"x": {"target": "ex#L"}}},
        "ex#L": {"type": "list"},
    }));
    let e = f.load_err();
    f.check(
        "list_member_missing_smithy",
        &e,
        "model.json",
        Some("L"),
        Some("member"),
        "the list has no `member`",
    );
}

#[test]
fn map_value_missing_botocore() {
    let f = boto_files(json!({
        "In": {"type": "structure", "members": {"x": {"shape": "M"}}},
        "M": {"type": "map", "key": {"shape": "S"}},
        "S": {"type": "string"},
    }));
    let e = f.load_err();
    f.check(
        "map_value_missing_botocore",
        &e,
        "service-2.json",
        Some("M"),
        Some("value"),
        "the map has no `value`",
    );
}

#[test]
fn map_key_missing_smithy() {
    let f = smithy_files(json!({
        "ex#In": {"type": "structure", "members": {"x": {"target": "ex#M"}}},
        "ex#M": {"type": "map", "value": {"target": "smithy.api#String"}},
    }));
    let e = f.load_err();
    f.check(
        "map_key_missing_smithy",
        &e,
        "model.json",
        Some("M"),
        Some("key"),
        "the map has no `key`",
    );
}

#[test]
fn bad_pattern_botocore() {
    let f = boto_files(json!({
        "In": {"type": "structure", "members": {"x": {"shape": "S"}}},
        "S": {"type": "string", "pattern": "[a-z"},
    }));
    // Loaded (an overlay may still correct it), then refused.
    let e = f.prepare_err();
    f.check(
        "bad_pattern_botocore",
        &e,
        "service-2.json",
        Some("S"),
        None,
        "unsupported @pattern `[a-z`: unclosed character class (at character 1); generate with \
         --skip-unsupported to leave it unchecked",
    );
}

#[test]
fn bad_pattern_smithy() {
    let f = smithy_files(json!({
        "ex#In": {"type": "structure", "members": {
            "x": {"target": "smithy.api#String", "traits": {"smithy.api#pattern": "^(?x)b$"}}}},
    }));
    let e = f.prepare_err();
    f.check(
        "bad_pattern_smithy",
        &e,
        "model.json",
        Some("In"),
        Some("x"),
        "unsupported @pattern `^(?x)b$`: the inline flag `x` is not supported (only `i` and `s` \
         are) (at character 2); generate with --skip-unsupported to leave it unchecked",
    );
}

#[test]
fn no_service_smithy() {
    let f = files(&[(
        "model.json",
        json!({"smithy": "2.0", "shapes": {"ex#S": {"type": "string"}}}).to_string(),
    )]);
    let e = f.load_err();
    f.check(
        "no_service_smithy",
        &e,
        "model.json",
        None,
        None,
        "the model has no service shape; expected exactly one",
    );
}

#[test]
fn several_services_smithy() {
    let f = smithy_files(json!({"ex#Other": {"type": "service", "version": "1"}}));
    let e = f.load_err();
    f.check(
        "several_services_smithy",
        &e,
        "model.json",
        None,
        None,
        "the model has 2 service shapes (`ex#Svc`, `ex#Other`); expected exactly one",
    );
}

#[test]
fn wrong_protocol_botocore() {
    let mut doc = botocore_doc(json!({}), json!({}));
    doc["metadata"]["protocol"] = json!("json");
    let f = files(&[("service-2.json", doc.to_string())]);
    let e = f.load_err();
    f.check(
        "wrong_protocol_botocore",
        &e,
        "service-2.json",
        None,
        None,
        "the service's protocol is `json`; only `rest-json` (restJson1) is supported",
    );
}

#[test]
fn wrong_protocol_smithy() {
    let f = smithy_files(json!({
        "ex#Svc": {"type": "service", "version": "2024-01-01",
                   "traits": {"aws.api#service": {"sdkId": "Example"}, "aws.protocols#awsJson1_1": {}}},
    }));
    let e = f.load_err();
    f.check(
        "wrong_protocol_smithy",
        &e,
        "model.json",
        Some("Svc"),
        None,
        "has protocol `aws.protocols#awsJson1_1`; only `aws.protocols#restJson1` is supported",
    );
}

#[test]
fn paginator_with_several_tokens_botocore() {
    let model = botocore_doc(
        json!({
            "In": {"type": "structure", "members": {"a": {"shape": "S"}, "b": {"shape": "S"}}},
            "Out": {"type": "structure", "members": {"a": {"shape": "S"}}},
            "S": {"type": "string"},
        }),
        json!({"List": {"http": {"method": "GET", "requestUri": "/"}, "input": {"shape": "In"}, "output": {"shape": "Out"}}}),
    );
    let pag = json!({"pagination": {"List": {"input_token": ["a", "b"], "output_token": "a"}}});
    let f = files(&[
        ("service-2.json", model.to_string()),
        ("paginators-1.json", pag.to_string()),
    ]);
    let e = f.load_err();
    f.check(
        "paginator_with_several_tokens_botocore",
        &e,
        "paginators-1.json",
        Some("List"),
        None,
        "paginator `input_token` lists 2 values (\"a\", \"b\"); only a single value is supported",
    );
}

/// A botocore model whose operation `List` pages with `paginator`, prepared.
fn paginated_botocore(paginator: Value) -> (Files, Error) {
    let model = botocore_doc(
        json!({
            "In": {"type": "structure", "members": {"next": {"shape": "S"}}},
            "Out": {"type": "structure", "members": {"next": {"shape": "S"}, "page": {"shape": "Page"}}},
            "Page": {"type": "structure", "members": {"next": {"shape": "S"}}},
            "S": {"type": "string"},
        }),
        json!({"List": {"http": {"method": "GET", "requestUri": "/"}, "input": {"shape": "In"}, "output": {"shape": "Out"}}}),
    );
    let pag = json!({"pagination": {"List": paginator}});
    let f = files(&[
        ("service-2.json", model.to_string()),
        ("paginators-1.json", pag.to_string()),
    ]);
    let e = f.prepare_err();
    (f, e)
}

// One check covers a pagination (`load::check_pagination`): a token that is
// no member, and a token that is a path (which the paginators do not
// follow; resolve used to check that again, with this same message).

#[test]
fn paginator_input_token_not_a_member_botocore() {
    let (f, e) = paginated_botocore(json!({"input_token": "nope", "output_token": "next"}));
    f.check(
        "paginator_input_token_not_a_member_botocore",
        &e,
        "paginators-1.json",
        Some("List"),
        None,
        "pagination: input token `nope`: `nope` is not a member of `In`",
    );
}

#[test]
fn paginator_output_token_path_botocore() {
    let (f, e) = paginated_botocore(json!({"input_token": "next", "output_token": "page.next"}));
    f.check(
        "paginator_output_token_path_botocore",
        &e,
        "paginators-1.json",
        Some("List"),
        None,
        "pagination: output token `page.next` is not a member of the output (paths are not supported)",
    );
}

#[test]
fn paginator_output_token_path_smithy() {
    let f = smithy_files(json!({
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"},
                  "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"},
                             "smithy.api#paginated": {"inputToken": "next", "outputToken": "page.next"}}},
        "ex#In": {"type": "structure", "members": {"next": {"target": "smithy.api#String"}}},
        "ex#Out": {"type": "structure", "members": {"page": {"target": "ex#Page"}}},
        "ex#Page": {"type": "structure", "members": {"next": {"target": "smithy.api#String"}}},
    }));
    let e = f.prepare_err();
    f.check(
        "paginator_output_token_path_smithy",
        &e,
        "model.json",
        Some("Op"),
        None,
        "pagination: output token `page.next` is not a member of the output (paths are not supported)",
    );
}

#[test]
fn same_name_in_two_namespaces_smithy() {
    let f = smithy_files(json!({
        "ex#In": {"type": "structure", "members": {"a": {"target": "ex#Name"}, "b": {"target": "other#Name"}}},
        "ex#Name": {"type": "string"},
        "other#Name": {"type": "string"},
    }));
    let e = f.load_err();
    f.check(
        "same_name_in_two_namespaces_smithy",
        &e,
        "model.json",
        Some("Name"),
        None,
        "`ex#Name` and `other#Name` would both be named `Name`",
    );
}

// The overlay: read errors, then errors against a model.

fn ok_model() -> String {
    botocore(json!({
        "In": {"type": "structure", "members": {"next": {"shape": "S"}}},
        "S": {"type": "string"},
    }))
}

fn overlay_err(files: &Files) -> Error {
    let path = files.path("overlay.json");
    let o = match overlay::load(&path) {
        Ok(o) => o,
        Err(e) => return e,
    };
    let mut svc = load::load_model(&files.main).unwrap_or_else(|e| panic!("{e}"));
    match overlay::apply(&mut svc, &o) {
        Ok(()) => panic!("the overlay applied without error"),
        Err(e) => e,
    }
}

fn with_overlay(entries: Value) -> Files {
    let o = json!({"service": "Example", "entries": entries});
    files(&[
        ("service-2.json", ok_model()),
        ("overlay.json", o.to_string()),
    ])
}

#[test]
fn overlay_entry_without_reason() {
    let f = with_overlay(json!([{"shape": "S", "pattern": "^a$", "reason": ""}]));
    let e = overlay_err(&f);
    f.check(
        "overlay_entry_without_reason",
        &e,
        "overlay.json",
        Some("S"),
        None,
        "entry 1: has no `reason`; every entry must say why it exists",
    );
}

#[test]
fn overlay_unknown_field() {
    let f = with_overlay(json!([{"shape": "S", "maxTotalBites": 5, "reason": "r"}]));
    let e = overlay_err(&f);
    f.check(
        "overlay_unknown_field",
        &e,
        "overlay.json",
        Some("S"),
        None,
        "entry 1: unknown field `maxTotalBites`",
    );
}

#[test]
fn overlay_unknown_shape() {
    let f = with_overlay(
        json!([{"shape": "S", "length": {"max": 3}, "reason": "r"}, {"shape": "Nope", "pattern": "^a$", "reason": "r"}]),
    );
    let e = overlay_err(&f);
    f.check(
        "overlay_unknown_shape",
        &e,
        "overlay.json",
        Some("Nope"),
        None,
        "entry 2: the model has no such shape",
    );
}

#[test]
fn overlay_unknown_member() {
    let f = with_overlay(
        json!([{"shape": "In", "member": "prev", "length": {"max": 3}, "reason": "r"}]),
    );
    let e = overlay_err(&f);
    f.check(
        "overlay_unknown_member",
        &e,
        "overlay.json",
        Some("In"),
        Some("prev"),
        "entry 1: the shape has no such member",
    );
}

#[test]
fn overlay_unknown_operation() {
    let f = with_overlay(
        json!([{"operation": "Nope", "pagination": {"inputToken": "next", "outputToken": "next"}, "reason": "r"}]),
    );
    let e = overlay_err(&f);
    f.check(
        "overlay_unknown_operation",
        &e,
        "overlay.json",
        Some("Nope"),
        None,
        "entry 1: the model has no such operation",
    );
}

#[test]
fn overlay_for_another_service() {
    let o = json!({"service": "ivschat", "entries": []});
    let f = files(&[
        ("service-2.json", ok_model()),
        ("overlay.json", o.to_string()),
    ]);
    let e = overlay_err(&f);
    f.check(
        "overlay_for_another_service",
        &e,
        "overlay.json",
        None,
        None,
        "the overlay is for service `ivschat`, but the model is service `Example`",
    );
}

#[test]
fn overlay_pagination_conflicting_with_the_model() {
    let model = botocore_doc(
        json!({
            "In": {"type": "structure", "members": {"next": {"shape": "S"}, "max": {"shape": "N"}}},
            "Out": {"type": "structure", "members": {"next": {"shape": "S"}}},
            "S": {"type": "string"}, "N": {"type": "integer"},
        }),
        json!({"List": {"http": {"method": "GET", "requestUri": "/"}, "input": {"shape": "In"}, "output": {"shape": "Out"}}}),
    );
    let pag = json!({"pagination": {"List": {"input_token": "next", "output_token": "next", "limit_key": "max"}}});
    let o = json!({"service": "Example", "entries": [
        {"operation": "List", "pagination": {"inputToken": "next", "outputToken": "next"}, "reason": "r"}]});
    let f = files(&[
        ("service-2.json", model.to_string()),
        ("paginators-1.json", pag.to_string()),
        ("overlay.json", o.to_string()),
    ]);
    let e = overlay_err(&f);
    f.check(
        "overlay_pagination_conflicting_with_the_model",
        &e,
        "overlay.json",
        Some("List"),
        None,
        "entry 1: the model paginates the operation as {\"inputToken\":\"next\",\"outputToken\":\"next\",\"pageSize\":\"max\"}, which conflicts with the overlay's {\"inputToken\":\"next\",\"outputToken\":\"next\"}",
    );
}

#[test]
fn the_ivschat_overlay_applies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut svc = load::load_model(&root.join("model/data/ivschat/2020-07-14/service-2.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let o =
        overlay::load(&root.join("model/ivschat.overlay.json")).unwrap_or_else(|e| panic!("{e}"));
    overlay::apply(&mut svc, &o).unwrap_or_else(|e| panic!("{e}"));
    for map in ["ChatTokenAttributes", "EventAttributes"] {
        assert_eq!(
            svc.shape(map).constraints.max_total_bytes,
            Some(1024),
            "{map}"
        );
    }
    for op in ["ListRooms", "ListLoggingConfigurations"] {
        let p = svc
            .operation(op)
            .and_then(|o| o.pagination.clone())
            .unwrap_or_else(|| panic!("{op} is not paginated"));
        assert_eq!(
            (
                p.input_token.as_str(),
                p.output_token.as_str(),
                p.page_size.as_deref()
            ),
            ("nextToken", "nextToken", Some("maxResults"))
        );
    }
}
