//! Our errata and documented limits, applied to a loaded model.
//!
//! An overlay file (`model/ivschat.overlay.json`) names the service it is for
//! and lists entries; each entry names one operation, shape or member, sets
//! exactly one thing, and says why:
//!
//! ```json
//! { "service": "ivschat",
//!   "entries": [
//!     { "operation": "ListRooms",
//!       "pagination": {"inputToken": "nextToken", "outputToken": "nextToken", "items": "rooms", "pageSize": "maxResults"},
//!       "reason": "..." },
//!     { "shape": "ChatTokenAttributes", "maxTotalBytes": 1024, "reason": "..." },
//!     { "shape": "SomeShape", "pattern": "^...$", "replaces": "...", "reason": "..." },
//!     { "shape": "SomeShape", "member": "someMember", "length": {"min": 1, "max": 50}, "reason": "..." },
//!     { "shape": "SomeShape", "range": {"min": "1", "max": "50"}, "reason": "..." }
//!   ] }
//! ```
//!
//! Settings: `pagination` (operations; `items` and `pageSize` optional),
//! `maxTotalBytes` (maps), `pattern` (strings), `length` (strings, enums,
//! lists, maps, blobs), `range` (numbers; bounds as numbers or decimal text).
//!
//! An overlay never silently disagrees with the model: an entry naming
//! something that does not exist, or a field this module does not know, is an
//! error; a pagination applies only where the model has none or the same one;
//! a constraint applies where the model has none or the same one, and replaces
//! a different one only if the entry's `replaces` states the model's current
//! value exactly (so an upstream change to it fails loudly).

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::ir::{Bounds, Constraints, Pagination, RangeBounds, Service, ShapeKind};
use crate::load::{check_pagination, check_pattern, read_json};

/// A parsed overlay file.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// The file it was read from (errors name it).
    pub path: PathBuf,
    /// The service id it is for.
    pub service: String,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
}

/// One change and its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// 1-based position in the file, for messages.
    pub number: usize,
    /// What the entry changes.
    pub target: Target,
    /// The change.
    pub setting: Setting,
    /// The model's value that the setting replaces, when it differs.
    pub replaces: Option<Setting>,
    /// Why (never empty).
    pub reason: String,
}

/// What an entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An operation.
    Operation(String),
    /// A shape.
    Shape(String),
    /// A member of a structure or union.
    Member {
        /// The shape.
        shape: String,
        /// The member.
        member: String,
    },
}

/// One thing an entry sets.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// An operation's pagination.
    Pagination(Pagination),
    /// [`Constraints::max_total_bytes`] of a map.
    MaxTotalBytes(u64),
    /// [`Constraints::pattern`].
    Pattern(String),
    /// [`Constraints::length`].
    Length(Bounds),
    /// [`Constraints::range`].
    Range(RangeBounds),
}

/// The keys that hold a setting.
const SETTINGS: &[&str] = &["pagination", "maxTotalBytes", "pattern", "length", "range"];
/// Every key an entry may have.
const ENTRY_KEYS: &[&str] = &[
    "operation",
    "shape",
    "member",
    "reason",
    "replaces",
    "pagination",
    "maxTotalBytes",
    "pattern",
    "length",
    "range",
];

impl Setting {
    /// The key that holds this setting in a file.
    pub fn key(&self) -> &'static str {
        match self {
            Setting::Pagination(_) => "pagination",
            Setting::MaxTotalBytes(_) => "maxTotalBytes",
            Setting::Pattern(_) => "pattern",
            Setting::Length(_) => "length",
            Setting::Range(_) => "range",
        }
    }

    /// The setting as it is written in a file.
    pub fn to_json(&self) -> Value {
        fn put<T: Into<Value>>(m: &mut Map<String, Value>, k: &str, v: Option<T>) {
            if let Some(v) = v {
                m.insert(k.to_string(), v.into());
            }
        }
        let mut m = Map::new();
        match self {
            Setting::Pagination(p) => {
                put(&mut m, "inputToken", Some(p.input_token.clone()));
                put(&mut m, "outputToken", Some(p.output_token.clone()));
                put(&mut m, "items", p.items.clone());
                put(&mut m, "pageSize", p.page_size.clone());
            }
            Setting::MaxTotalBytes(n) => return json!(n),
            Setting::Pattern(p) => return json!(p),
            Setting::Length(b) => {
                put(&mut m, "min", b.min);
                put(&mut m, "max", b.max);
            }
            Setting::Range(r) => {
                put(&mut m, "min", r.min.clone());
                put(&mut m, "max", r.max.clone());
            }
        }
        Value::Object(m)
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// Read and check an overlay file (its entries are checked against a model by [`apply`]).
pub fn load(path: &Path) -> Result<Overlay> {
    let doc = read_json(path)?;
    parse(&doc, path).map_err(|e| e.in_file(path))
}

/// Check a parsed overlay document read from `path`.
pub fn parse(doc: &Value, path: &Path) -> Result<Overlay> {
    let obj = doc
        .as_object()
        .ok_or_else(|| Error::new("the overlay is not a JSON object"))?;
    if let Some(k) = obj
        .keys()
        .find(|k| !["service", "entries"].contains(&k.as_str()))
    {
        return Err(Error::new(format!(
            "unknown field `{k}` (expected `service` and `entries`)"
        )));
    }
    let service = obj
        .get("service")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("`service` is missing or not a string"))?
        .to_string();
    let raw = obj
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::new("`entries` is missing or not a list"))?;
    let entries = raw
        .iter()
        .enumerate()
        .map(|(i, e)| entry(i + 1, e))
        .collect::<Result<Vec<_>>>()?;
    Ok(Overlay {
        path: path.to_path_buf(),
        service,
        entries,
    })
}

/// An error about entry `number`, naming its target when known.
fn entry_error(number: usize, target: Option<&Target>, message: impl fmt::Display) -> Error {
    let message = format!("entry {number}: {message}");
    match target {
        None => Error::new(message),
        Some(Target::Operation(op)) => Error::shape(op, message),
        Some(Target::Shape(s)) => Error::shape(s, message),
        Some(Target::Member { shape, member }) => Error::member(shape, member, message),
    }
}

fn entry(number: usize, raw: &Value) -> Result<Entry> {
    let obj = raw
        .as_object()
        .ok_or_else(|| entry_error(number, None, "is not a JSON object"))?;
    let text = |k: &str| match obj.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(entry_error(
            number,
            None,
            format!("`{k}` `{other}` is not a string"),
        )),
    };
    let target = match (text("operation")?, text("shape")?, text("member")?) {
        (Some(op), None, None) => Target::Operation(op),
        (None, Some(shape), None) => Target::Shape(shape),
        (None, Some(shape), Some(member)) => Target::Member { shape, member },
        (Some(_), _, _) if obj.contains_key("shape") || obj.contains_key("member") => {
            return Err(entry_error(
                number,
                None,
                "names both an `operation` and a `shape` or `member`",
            ))
        }
        _ => {
            return Err(entry_error(
                number,
                None,
                "names neither an `operation` nor a `shape`",
            ))
        }
    };
    let err = |m: String| entry_error(number, Some(&target), m);
    if let Some(k) = obj.keys().find(|k| !ENTRY_KEYS.contains(&k.as_str())) {
        return Err(err(format!("unknown field `{k}`")));
    }
    let reason = match obj.get("reason") {
        Some(Value::String(r)) if !r.trim().is_empty() => r.clone(),
        _ => {
            return Err(err(
                "has no `reason`; every entry must say why it exists".into()
            ))
        }
    };
    let present: Vec<&str> = SETTINGS
        .iter()
        .copied()
        .filter(|k| obj.contains_key(*k))
        .collect();
    let key = match present.as_slice() {
        [one] => *one,
        [] => {
            return Err(err(format!(
                "sets nothing (expected one of {})",
                quoted(SETTINGS)
            )))
        }
        many => {
            return Err(err(format!(
                "sets {}; write one entry per change",
                quoted(many)
            )))
        }
    };
    let is_operation = matches!(target, Target::Operation(_));
    if is_operation != (key == "pagination") {
        let what = if is_operation {
            "an operation"
        } else {
            "a shape or member"
        };
        return Err(err(format!("`{key}` cannot be set on {what}")));
    }
    let value = obj.get(key).unwrap_or(&Value::Null);
    let setting = setting(key, value).map_err(&err)?;
    let replaces = match obj.get("replaces") {
        None => None,
        Some(_) if key == "pagination" => {
            return Err(err(
                "a pagination cannot replace the model's; a conflicting one is an error".into(),
            ))
        }
        Some(v) => Some(setting_of_kind(key, v).map_err(|m| err(format!("`replaces`: {m}")))?),
    };
    Ok(Entry {
        number,
        target,
        setting,
        replaces,
        reason,
    })
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parse the value of setting `key`, checking patterns.
fn setting(key: &str, v: &Value) -> Result<Setting, String> {
    let s = setting_of_kind(key, v)?;
    if let Setting::Pattern(p) = &s {
        check_pattern(p)?;
    }
    Ok(s)
}

fn setting_of_kind(key: &str, v: &Value) -> Result<Setting, String> {
    let fields = |allowed: &[&str]| -> Result<&Map<String, Value>, String> {
        let m = v
            .as_object()
            .ok_or_else(|| format!("`{key}` must be an object, not `{v}`"))?;
        match m.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(format!(
                "`{key}` has unknown field `{k}` (expected {})",
                quoted(allowed)
            )),
            None => Ok(m),
        }
    };
    match key {
        "pagination" => {
            let m = fields(&["inputToken", "outputToken", "items", "pageSize"])?;
            let text = |k: &str| match m.get(k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(format!("`pagination.{k}` `{other}` is not a string")),
            };
            let required = |k: &str| text(k)?.ok_or_else(|| format!("`pagination` has no `{k}`"));
            Ok(Setting::Pagination(Pagination {
                input_token: required("inputToken")?,
                output_token: required("outputToken")?,
                items: text("items")?,
                page_size: text("pageSize")?,
            }))
        }
        "maxTotalBytes" => v
            .as_u64()
            .map(Setting::MaxTotalBytes)
            .ok_or_else(|| format!("`maxTotalBytes` must be a non-negative integer, not `{v}`")),
        "pattern" => v
            .as_str()
            .map(|p| Setting::Pattern(p.to_string()))
            .ok_or_else(|| format!("`pattern` must be a string, not `{v}`")),
        "length" => {
            let m = fields(&["min", "max"])?;
            let bound = |k: &str| crate::load::length_bound(m.get(k), &format!("`length.{k}`"));
            Ok(Setting::Length(Bounds {
                min: bound("min")?,
                max: bound("max")?,
            }))
        }
        _ => {
            let m = fields(&["min", "max"])?;
            let bound = |k: &str| match m.get(k) {
                None => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.to_string())),
                Some(Value::String(s)) if is_decimal(s) => Ok(Some(s.clone())),
                Some(other) => Err(format!("`range.{k}` `{other}` is not a decimal number")),
            };
            Ok(Setting::Range(RangeBounds {
                min: bound("min")?,
                max: bound("max")?,
            }))
        }
    }
}

/// `-12`, `3.5`: an optional sign, digits, and optional decimals.
fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && all_digits(frac)
}

/// Apply every entry to `svc`; errors name the overlay file and the entry.
pub fn apply(svc: &mut Service, overlay: &Overlay) -> Result<()> {
    apply_entries(svc, overlay).map_err(|e| e.in_file(&overlay.path))
}

fn apply_entries(svc: &mut Service, overlay: &Overlay) -> Result<()> {
    if overlay.service != svc.service_id {
        return Err(Error::new(format!(
            "the overlay is for service `{}`, but the model is service `{}`",
            overlay.service, svc.service_id
        )));
    }
    for e in &overlay.entries {
        apply_entry(svc, e)?;
    }
    Ok(())
}

fn apply_entry(svc: &mut Service, e: &Entry) -> Result<()> {
    let err = |m: String| entry_error(e.number, Some(&e.target), m);
    match (&e.target, &e.setting) {
        (Target::Operation(name), Setting::Pagination(p)) => {
            let index = svc
                .operations
                .iter()
                .position(|o| o.name == *name)
                .ok_or_else(|| err("the model has no such operation".into()))?;
            check_pagination(svc, &svc.operations[index], p).map_err(|x| err(x.message))?;
            let op = &mut svc.operations[index];
            match &op.pagination {
                None => op.pagination = Some(p.clone()),
                Some(model) if model == p => {}
                Some(model) => {
                    return Err(err(format!(
                        "the model paginates the operation as {}, which conflicts with the overlay's {}",
                        Setting::Pagination(model.clone()),
                        e.setting
                    )))
                }
            }
            Ok(())
        }
        (Target::Operation(_), _) => Err(err(format!(
            "`{}` cannot be set on an operation",
            e.setting.key()
        ))),
        (Target::Shape(_) | Target::Member { .. }, Setting::Pagination(_)) => {
            Err(err("`pagination` can only be set on an operation".into()))
        }
        (target, setting) => {
            let kind = target_kind(svc, target).map_err(err)?;
            if !applies(setting, &kind) {
                return Err(err(format!(
                    "`{}` does not apply to {}",
                    setting.key(),
                    kind.a_name()
                )));
            }
            let constraints = constraints_mut(svc, target)
                .ok_or_else(|| err("the model has no such shape or member".into()))?;
            set(constraints, setting, e.replaces.as_ref()).map_err(err)
        }
    }
}

/// The shape and member (if any) an entry names.
fn split(target: &Target) -> Result<(&str, Option<&str>), String> {
    match target {
        Target::Shape(s) => Ok((s, None)),
        Target::Member { shape, member } => Ok((shape, Some(member))),
        Target::Operation(op) => Err(format!("`{op}` is an operation, not a shape")),
    }
}

/// The kind of shape that the constraints of `target` apply to.
fn target_kind(svc: &Service, target: &Target) -> Result<ShapeKind, String> {
    let (shape_name, member) = split(target)?;
    let shape = svc
        .shapes
        .get(shape_name)
        .ok_or("the model has no such shape")?;
    let Some(m) = member else {
        return Ok(shape.kind.clone());
    };
    let member = match &shape.kind {
        ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms
            .iter()
            .find(|x| x.name == m)
            .ok_or("the shape has no such member")?,
        other => {
            return Err(format!(
                "the shape is {}, which has no members",
                other.a_name()
            ))
        }
    };
    svc.shapes
        .get(&member.target)
        .map(|t| t.kind.clone())
        .ok_or_else(|| {
            format!(
                "the member's target `{}` is not in the model",
                member.target
            )
        })
}

/// The constraints of `target` (checked by [`target_kind`] first).
fn constraints_mut<'a>(svc: &'a mut Service, target: &Target) -> Option<&'a mut Constraints> {
    let (shape_name, member) = split(target).ok()?;
    let shape = svc.shapes.get_mut(shape_name)?;
    match (member, &mut shape.kind) {
        (None, _) => Some(&mut shape.constraints),
        (Some(m), ShapeKind::Structure(ms) | ShapeKind::Union(ms)) => ms
            .iter_mut()
            .find(|x| x.name == m)
            .map(|x| &mut x.constraints),
        (Some(_), _) => None,
    }
}

fn applies(setting: &Setting, kind: &ShapeKind) -> bool {
    match setting {
        Setting::Pagination(_) => false,
        Setting::MaxTotalBytes(_) => matches!(kind, ShapeKind::Map { .. }),
        Setting::Pattern(_) => matches!(kind, ShapeKind::String),
        Setting::Length(_) => kind.has_length(),
        Setting::Range(_) => kind.is_number(),
    }
}

/// Set one constraint: where the model has none or the same, or where
/// `replaces` states the model's current value.
fn set(c: &mut Constraints, setting: &Setting, replaces: Option<&Setting>) -> Result<(), String> {
    let current = match setting {
        Setting::Pagination(_) => None,
        Setting::MaxTotalBytes(_) => c.max_total_bytes.map(Setting::MaxTotalBytes),
        Setting::Pattern(_) => c.pattern.clone().map(Setting::Pattern),
        Setting::Length(_) => c.length.map(Setting::Length),
        Setting::Range(_) => c.range.clone().map(Setting::Range),
    };
    match (current.as_ref(), replaces) {
        (None, Some(r)) => {
            return Err(format!(
                "says it replaces `{}` {r}, but the model has none",
                setting.key()
            ));
        }
        (Some(cur), _) if cur == setting => return Ok(()),
        (Some(cur), None) => {
            return Err(format!(
                "the model's `{key}` is {cur}; to change it, the entry must say `\"replaces\": {cur}`",
                key = setting.key()
            ));
        }
        (Some(cur), Some(r)) if cur != r => {
            return Err(format!(
                "says it replaces `{key}` {r}, but the model's is {cur}",
                key = setting.key()
            ));
        }
        _ => {}
    }
    match setting {
        Setting::Pagination(_) => {}
        Setting::MaxTotalBytes(n) => c.max_total_bytes = Some(*n),
        Setting::Pattern(p) => c.pattern = Some(p.clone()),
        Setting::Length(b) => c.length = Some(*b),
        Setting::Range(r) => c.range = Some(r.clone()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_model;

    const MODEL: &str = r#"{
      "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                   "serviceFullName": "Example", "serviceId": "ex"},
      "operations": {"List": {"http": {"method": "POST", "requestUri": "/"},
                              "input": {"shape": "In"}, "output": {"shape": "Out"}}},
      "shapes": {
        "In": {"type": "structure", "members": {"next": {"shape": "S"}, "max": {"shape": "N"}}},
        "Out": {"type": "structure", "members": {"next": {"shape": "S"}, "items": {"shape": "L"}, "attrs": {"shape": "M"}}},
        "S": {"type": "string", "pattern": "[a-z]+"},
        "N": {"type": "integer", "box": true, "min": 1},
        "L": {"type": "list", "member": {"shape": "S"}},
        "M": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}}
      }
    }"#;

    fn service() -> Service {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("service-2.json");
        std::fs::write(&path, MODEL).unwrap();
        load_model(&path).unwrap()
    }

    fn overlay(entries: Value) -> Result<Overlay> {
        parse(
            &json!({"service": "ex", "entries": entries}),
            Path::new("o.json"),
        )
    }

    fn apply_one(svc: &mut Service, entry: Value) -> Result<()> {
        apply(svc, &overlay(json!([entry]))?)
    }

    #[test]
    fn pagination_applies_where_absent_or_identical() {
        let mut svc = service();
        let entry = json!({"operation": "List", "pagination": {"inputToken": "next", "outputToken": "next",
                           "items": "items", "pageSize": "max"}, "reason": "r"});
        apply_one(&mut svc, entry.clone()).unwrap();
        let p = svc.operations[0].pagination.clone().unwrap();
        assert_eq!(
            (p.items.as_deref(), p.page_size.as_deref()),
            (Some("items"), Some("max"))
        );
        apply_one(&mut svc, entry).unwrap();
        let conflicting = json!({"operation": "List", "pagination": {"inputToken": "next", "outputToken": "next"}, "reason": "r"});
        let e = apply_one(&mut svc, conflicting).unwrap_err();
        assert_eq!(e.file.as_deref(), Some(Path::new("o.json")));
        assert_eq!(e.shape.as_deref(), Some("List"));
        assert!(
            e.message
                .starts_with("entry 1: the model paginates the operation as {"),
            "{e}"
        );
    }

    #[test]
    fn constraints_need_replaces_to_change_the_model() {
        let mut svc = service();
        apply_one(
            &mut svc,
            json!({"shape": "M", "maxTotalBytes": 1024, "reason": "r"}),
        )
        .unwrap();
        assert_eq!(svc.shape("M").constraints.max_total_bytes, Some(1024));

        let e = apply_one(
            &mut svc,
            json!({"shape": "S", "pattern": "^[a-z]+$", "reason": "r"}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "entry 1: the model's `pattern` is \"[a-z]+\"; to change it, the entry must say `\"replaces\": \"[a-z]+\"`"
        );
        let wrong =
            json!({"shape": "S", "pattern": "^[a-z]+$", "replaces": "[a-c]+", "reason": "r"});
        assert!(apply_one(&mut svc, wrong)
            .unwrap_err()
            .message
            .contains("but the model's is \"[a-z]+\""));
        apply_one(
            &mut svc,
            json!({"shape": "S", "pattern": "^[a-z]+$", "replaces": "[a-z]+", "reason": "r"}),
        )
        .unwrap();
        assert_eq!(
            svc.shape("S").constraints.pattern.as_deref(),
            Some("^[a-z]+$")
        );

        apply_one(&mut svc, json!({"shape": "N", "range": {"min": 1, "max": "50"}, "replaces": {"min": "1"}, "reason": "r"}))
            .unwrap();
        assert_eq!(
            svc.shape("N").constraints.range,
            Some(RangeBounds {
                min: Some("1".into()),
                max: Some("50".into())
            })
        );

        apply_one(
            &mut svc,
            json!({"shape": "Out", "member": "items", "length": {"max": 3}, "reason": "r"}),
        )
        .unwrap();
        let ShapeKind::Structure(ms) = &svc.shape("Out").kind else {
            panic!()
        };
        assert_eq!(
            ms[1].constraints.length,
            Some(Bounds {
                min: None,
                max: Some(3)
            })
        );
    }

    #[test]
    fn entries_must_name_what_exists_and_fit_it() {
        let mut svc = service();
        let cases = [
            (
                json!({"shape": "Nope", "pattern": "a", "reason": "r"}),
                "entry 1: the model has no such shape",
            ),
            (
                json!({"shape": "Out", "member": "nope", "pattern": "a", "reason": "r"}),
                "entry 1: the shape has no such member",
            ),
            (
                json!({"operation": "Nope", "pagination": {"inputToken": "a", "outputToken": "b"}, "reason": "r"}),
                "entry 1: the model has no such operation",
            ),
            (
                json!({"shape": "L", "maxTotalBytes": 5, "reason": "r"}),
                "entry 1: `maxTotalBytes` does not apply to a list",
            ),
            (
                json!({"shape": "N", "pattern": "a", "reason": "r"}),
                "entry 1: `pattern` does not apply to an integer",
            ),
            (
                json!({"operation": "List", "pagination": {"inputToken": "nope", "outputToken": "next"}, "reason": "r"}),
                "entry 1: pagination: input token `nope`: `nope` is not a member of `In`",
            ),
        ];
        for (entry, message) in cases {
            assert_eq!(apply_one(&mut svc, entry).unwrap_err().message, message);
        }
        let other = parse(
            &json!({"service": "other", "entries": []}),
            Path::new("o.json"),
        )
        .unwrap();
        assert_eq!(
            apply(&mut svc, &other).unwrap_err().to_string(),
            "o.json: the overlay is for service `other`, but the model is service `ex`"
        );
    }

    #[test]
    fn entries_are_checked_when_read() {
        let cases = [
            (json!({"shape": "S", "pattern": "a"}), "entry 1: has no `reason`; every entry must say why it exists"),
            (json!({"shape": "S", "pattern": "a", "reason": "  "}), "entry 1: has no `reason`; every entry must say why it exists"),
            (json!({"shape": "S", "reason": "r"}), "entry 1: sets nothing (expected one of `pagination`, `maxTotalBytes`, `pattern`, `length`, `range`)"),
            (json!({"shape": "S", "pattern": "a", "length": {}, "reason": "r"}), "entry 1: sets `pattern`, `length`; write one entry per change"),
            (json!({"shape": "S", "patern": "a", "reason": "r"}), "entry 1: unknown field `patern`"),
            (json!({"shape": "S", "pattern": "(", "reason": "r"}), "entry 1: pattern `(` is not a valid regular expression: unclosed group (at character 1)"),
            (json!({"shape": "S", "pagination": {"inputToken": "a", "outputToken": "b"}, "reason": "r"}), "entry 1: `pagination` cannot be set on a shape or member"),
            (json!({"operation": "List", "pattern": "a", "reason": "r"}), "entry 1: `pattern` cannot be set on an operation"),
            (json!({"pattern": "a", "reason": "r"}), "entry 1: names neither an `operation` nor a `shape`"),
            (json!({"shape": "N", "range": {"min": "1e3"}, "reason": "r"}), "entry 1: `range.min` `\"1e3\"` is not a decimal number"),
        ];
        for (entry, message) in cases {
            assert_eq!(overlay(json!([entry])).unwrap_err().message, message);
        }
        assert!(
            is_decimal("-1.50")
                && is_decimal("7")
                && !is_decimal("1.")
                && !is_decimal("")
                && !is_decimal("+1")
        );
    }
}
