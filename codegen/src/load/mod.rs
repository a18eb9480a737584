//! Reading a model file into the IR.
//!
//! [`load_model`] tells the two formats apart by content: a Smithy JSON AST has
//! a top-level `smithy` key (and namespaced shape ids); a botocore
//! `service-2.json` has `metadata`, `operations` and `shapes`. Each loader maps
//! its format onto [`Service`] and then runs `validate`, the checks both
//! formats share, so that every target exists and emitters may rely on it.
//!
//! Loading never applies the overlay: the caller does (`overlay::apply`, then
//! `names::resolve`). Every `rust_name`, `crate_name` and `module` is left empty.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::error::{Diagnostics, Error, Result};
use crate::ir::{Location, Member, Operation, Pagination, Retryable, Service, Shape, ShapeKind};

mod botocore;
pub mod graph;
mod smithy;

/// Load a botocore `service-2.json` (with its sibling `paginators-1.json` and
/// `endpoint-rule-set-1.json`, when present) or a Smithy JSON AST. Every error
/// names the file it is about.
pub fn load_model(path: &Path) -> Result<Service, Diagnostics> {
    let doc = read_json(path)?;
    let svc = match detect(&doc) {
        Ok(Format::Smithy) => smithy::load(&doc),
        Ok(Format::Botocore) => botocore::load(&doc, path),
        Err(e) => Err(e.into()),
    };
    // Both loaders have validated every target: the graph can be walked.
    let svc = svc.and_then(|mut svc| graph::analyze(&mut svc).map(|()| svc).map_err(Into::into));
    svc.map_err(|e| e.in_file(path).sorted())
}

/// The two model formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Botocore,
    Smithy,
}

fn detect(doc: &Value) -> Result<Format> {
    let Some(obj) = doc.as_object() else {
        return Err(Error::new("the model is not a JSON object"));
    };
    if obj.contains_key("smithy") {
        Ok(Format::Smithy)
    } else if ["metadata", "operations", "shapes"]
        .iter()
        .all(|k| obj.contains_key(*k))
    {
        Ok(Format::Botocore)
    } else {
        Err(Error::new(
            "neither a Smithy JSON AST (no top-level `smithy` key) nor a botocore model \
             (it needs `metadata`, `operations` and `shapes`)",
        ))
    }
}

/// The largest model (or sibling) file read: botocore's largest model, EC2's,
/// is under 6 MiB.
pub const MAX_MODEL_BYTES: u64 = 64 << 20;

/// Read and parse a JSON file; errors name the file (and the line and column
/// of a syntax error).
pub(crate) fn read_json(path: &Path) -> Result<Value> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Error::new(format!("cannot read the file: {e}")).in_file(path);
    let file = std::fs::File::open(path).map_err(cannot)?;
    // Read one byte past the limit to tell a file at the limit from a larger one.
    let mut text = String::new();
    file.take(MAX_MODEL_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(cannot)?;
    if text.len() as u64 > MAX_MODEL_BYTES {
        return Err(Error::new(format!(
            "the file is larger than {} MiB, the most a model file may be",
            MAX_MODEL_BYTES >> 20
        ))
        .in_file(path));
    }
    parse_json(&text).map_err(|e| e.in_file(path))
}

/// Parse JSON text; a syntax error names its line and column.
pub(crate) fn parse_json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let what = full.strip_suffix(&suffix).unwrap_or(&full);
        Error::new(format!(
            "not valid JSON at line {}, column {}: {what}",
            e.line(),
            e.column()
        ))
    })
}

/// The checks both loaders share, run on the finished IR (before pagination,
/// which [`check_pagination`] checks), each problem a diagnostic: every member target exists, map keys are
/// strings, error traits sit on structures, and every operation's input,
/// output and errors are structures (errors with an error trait). Patterns are
/// checked after the overlay, which may correct them, by `unsupported`: a
/// pattern no matcher reads stops generation there, or is left unchecked.
pub(crate) fn validate(svc: &Service) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::new();
    for (name, shape) in &svc.shapes {
        for m in shape.children() {
            if !svc.shapes.contains_key(&m.target) {
                problems.push(Error::member(
                    name,
                    &m.name,
                    format!("targets `{}`, which is not in the model", m.target),
                ));
            }
        }
        if let ShapeKind::Map { key, .. } = &shape.kind {
            let kind = svc.shapes.get(&key.target).map(|t| &t.kind);
            if let Some(kind) =
                kind.filter(|k| !matches!(k, ShapeKind::String | ShapeKind::Enum(_)))
            {
                problems.push(Error::member(
                    name,
                    &key.name,
                    format!(
                        "map keys must be strings, but `{}` is {}",
                        key.target,
                        kind.a_name()
                    ),
                ));
            }
        }
        if shape.error.is_some() && !matches!(shape.kind, ShapeKind::Structure(_)) {
            problems.push(Error::shape(
                name,
                format!(
                    "has an error trait but is {}, not a structure",
                    shape.kind.a_name()
                ),
            ));
        }
    }
    for op in &svc.operations {
        for (role, target) in [("input", &op.input), ("output", &op.output)] {
            if let Some(t) = target {
                if let Err(what) = structure(svc, t) {
                    problems.push(Error::shape(&op.name, format!("{role} {what}")));
                }
            }
        }
        for e in &op.errors {
            match structure(svc, e) {
                Err(what) => problems.push(Error::shape(&op.name, format!("error {what}"))),
                Ok(shape) if shape.error.is_none() => problems.push(Error::shape(
                    &op.name,
                    format!("error `{e}` is a structure without an error trait"),
                )),
                Ok(_) => {}
            }
        }
    }
    problems.finish(())
}

/// Bind every member that targets an event stream to the whole body
/// ([`Location::EventStream`]), and mark it required: it must be the
/// `@httpPayload` of an operation's input or output (as Smithy requires),
/// and no other member of the structure may be in the body (an error naming
/// the member otherwise).
pub(crate) fn bind_event_streams(svc: &mut Service) -> Result<()> {
    let streams: BTreeSet<String> = svc
        .shapes
        .values()
        .filter(|s| s.event_stream)
        .map(|s| s.name.clone())
        .collect();
    let top_level: BTreeSet<String> = svc
        .operations
        .iter()
        .flat_map(|op| [&op.input, &op.output])
        .flatten()
        .cloned()
        .collect();
    for (name, shape) in &mut svc.shapes {
        let ShapeKind::Structure(members) = &mut shape.kind else {
            continue;
        };
        for m in members.iter_mut().filter(|m| streams.contains(&m.target)) {
            if !top_level.contains(name) {
                return Err(Error::member(
                    name,
                    &m.name,
                    format!(
                        "targets the event stream `{}`, but only an operation's input or \
                         output can stream events",
                        m.target
                    ),
                ));
            }
            if m.location != Location::Payload {
                return Err(Error::member(
                    name,
                    &m.name,
                    format!(
                        "targets the event stream `{}` but is not the payload: an event stream \
                         is always the whole body",
                        m.target
                    ),
                ));
            }
            m.location = Location::EventStream;
            m.required = true;
        }
        if members.iter().any(|m| m.location == Location::EventStream) {
            if let Some(m) = members.iter().find(|m| m.location == Location::Body) {
                return Err(Error::member(
                    name,
                    &m.name,
                    "is in the body, but the body is the structure's event stream",
                ));
            }
        }
    }
    Ok(())
}

fn structure<'a>(svc: &'a Service, name: &str) -> Result<&'a Shape, String> {
    match svc.shapes.get(name) {
        None => Err(format!("`{name}` is not in the model")),
        Some(s) if matches!(s.kind, ShapeKind::Structure(_)) => Ok(s),
        Some(s) => Err(format!("`{name}` is {}, not a structure", s.kind.a_name())),
    }
}

/// A shape kind with its article, for messages (`a list`, `an enum`).
/// Whether a request-compression trait (botocore's `requestcompression`,
/// Smithy's `@requestCompression`) lists `gzip`, the one encoding AWS defines.
pub(crate) fn lists_gzip(v: Option<&Value>) -> bool {
    v.and_then(|v| v.get("encodings"))
        .and_then(Value::as_array)
        .is_some_and(|list| list.iter().any(|e| e.as_str() == Some("gzip")))
}

/// Check that `pattern` is a regular expression (ECMA-262, as Smithy
/// specifies, parsed by `patterns`); the message names the pattern and what
/// the parser objects to. For the overlay's patterns, which must always be
/// right.
pub(crate) fn check_pattern(pattern: &str) -> Result<(), String> {
    crate::patterns::parse(pattern)
        .map(|_| ())
        .map_err(|e| format!("pattern `{pattern}` is not a valid regular expression: {e}"))
}

/// A length bound: a non-negative integer, if present.
pub(crate) fn length_bound(v: Option<&Value>, what: &str) -> Result<Option<u64>, String> {
    match v {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("{what} must be a non-negative integer, not `{v}`")),
    }
}

/// An HTTP status code, if present: an integer a `u16` holds.
pub(crate) fn http_status(v: Option<&Value>, what: &str) -> Result<Option<u16>, String> {
    match v {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("{what} `{v}` is not an HTTP status")),
    }
}

/// The code a response carries for error shape `name`: the `code` of
/// `holder` (botocore's `error`, Smithy's `awsQueryError`), else the name.
pub(crate) fn error_code(holder: Option<&Value>, name: &str) -> String {
    holder
        .and_then(|h| h.get("code"))
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string()
}

/// `retryable` (botocore) or `@retryable` (Smithy), if present.
pub(crate) fn retryable(v: Option<&Value>) -> Option<Retryable> {
    v.map(|r| Retryable {
        throttling: r
            .get("throttling")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

/// A range bound as decimal text, if present.
pub(crate) fn range_bound(v: Option<&Value>, what: &str) -> Result<Option<String>, String> {
    match v {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(v) => Err(format!("{what} must be a number, not `{v}`")),
    }
}

/// Check a pagination against its operation: the tokens are members of the
/// input and output (the paginators follow no paths), the page size and
/// items members or dotted paths, each of the right kind. The one check of
/// a pagination, whether a loader or the overlay gives it; emitters rely on it.
pub(crate) fn check_pagination(svc: &Service, op: &Operation, p: &Pagination) -> Result<()> {
    let err = |m: String| Error::shape(&op.name, format!("pagination: {m}"));
    let input = op
        .input
        .as_deref()
        .ok_or_else(|| err("the operation has no input".into()))?;
    let output = op
        .output
        .as_deref()
        .ok_or_else(|| err("the operation has no output".into()))?;
    let tokens = [
        ("input token", "input", &p.input_token),
        ("output token", "output", &p.output_token),
    ];
    for (role, side, token) in tokens {
        if token.contains('.') {
            return Err(err(format!(
                "{role} `{token}` is not a member of the {side} (paths are not supported)"
            )));
        }
    }
    let checks = [
        (
            "input token",
            input,
            Some(p.input_token.as_str()),
            Want::String,
        ),
        (
            "output token",
            output,
            Some(p.output_token.as_str()),
            Want::String,
        ),
        ("page size", input, p.page_size.as_deref(), Want::PageSize),
        ("items", output, p.items.as_deref(), Want::Collection),
    ];
    for (role, root, path, want) in checks {
        let Some(path) = path else { continue };
        let member = member_at(svc, root, path).map_err(|m| err(format!("{role} {m}")))?;
        let Some(target) = svc.shapes.get(&member.target) else {
            return Err(err(format!(
                "{role} `{path}` targets `{}`, which is not in the model",
                member.target
            )));
        };
        let kind = &target.kind;
        if !want.accepts(kind) {
            return Err(err(format!(
                "{role} `{path}` targets `{}`, which is {}, not {}",
                member.target,
                kind.a_name(),
                want.describe()
            )));
        }
    }
    Ok(())
}

/// The kind a pagination member must target.
#[derive(Debug, Clone, Copy)]
enum Want {
    String,
    /// An integer, or a string: some APIs (API Gateway v2) take the page size as text.
    PageSize,
    Collection,
}

impl Want {
    fn accepts(self, kind: &ShapeKind) -> bool {
        match self {
            Want::String => matches!(kind, ShapeKind::String),
            Want::PageSize => {
                matches!(
                    kind,
                    ShapeKind::Byte
                        | ShapeKind::Short
                        | ShapeKind::Integer
                        | ShapeKind::Long
                        | ShapeKind::String
                )
            }
            Want::Collection => matches!(kind, ShapeKind::List { .. } | ShapeKind::Map { .. }),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Want::String => "a string",
            Want::PageSize => "an integer or a string",
            Want::Collection => "a list or a map",
        }
    }
}

/// The member at a dotted path from structure `root`.
fn member_at<'a>(svc: &'a Service, root: &str, path: &str) -> Result<&'a Member, String> {
    let mut shape = root;
    let mut found = None;
    for segment in path.split('.') {
        let members = match svc.shapes.get(shape).map(|s| &s.kind) {
            Some(ShapeKind::Structure(ms)) => ms,
            _ => return Err(format!("`{path}`: `{shape}` is not a structure")),
        };
        let m = members
            .iter()
            .find(|m| m.name == segment)
            .ok_or_else(|| format!("`{path}`: `{segment}` is not a member of `{shape}`"))?;
        shape = &m.target;
        found = Some(m);
    }
    found.ok_or_else(|| format!("`{path}` is empty"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_name_line_and_column() {
        let e = parse_json("{\n  \"a\" 1\n}").unwrap_err();
        assert_eq!(
            e.message,
            "not valid JSON at line 2, column 7: expected `:`"
        );
    }

    #[test]
    fn an_http_status_fits_a_u16() {
        use serde_json::json;
        assert_eq!(http_status(None, "`code`"), Ok(None));
        assert_eq!(http_status(Some(&json!(204)), "`code`"), Ok(Some(204)));
        assert_eq!(
            http_status(Some(&json!(65536)), "`http.responseCode`"),
            Err("`http.responseCode` `65536` is not an HTTP status".to_string())
        );
        assert_eq!(
            http_status(Some(&json!("503")), "`smithy.api#httpError`"),
            Err("`smithy.api#httpError` `\"503\"` is not an HTTP status".to_string())
        );
    }

    #[test]
    fn patterns_are_checked() {
        assert!(check_pattern("^[a-z0-9-.]+$").is_ok());
        assert!(check_pattern("[\\.\\-_/#A-Za-z0-9]+").is_ok());
        assert_eq!(
            check_pattern("a(").unwrap_err(),
            "pattern `a(` is not a valid regular expression: unclosed group (at character 2)"
        );
    }

    #[test]
    fn detects_formats() {
        let smithy = serde_json::json!({"smithy": "2.0", "shapes": {}});
        let botocore = serde_json::json!({"metadata": {}, "operations": {}, "shapes": {}});
        assert_eq!(detect(&smithy).unwrap(), Format::Smithy);
        assert_eq!(detect(&botocore).unwrap(), Format::Botocore);
        assert!(detect(&serde_json::json!({"shapes": {}}))
            .unwrap_err()
            .message
            .contains("neither"));
        assert!(detect(&serde_json::json!([])).is_err());
    }
}
