//! botocore `service-2.json` -> IR, with the sibling `paginators-1.json`
//! (pagination) and `endpoint-rule-set-1.json` (endpoint rules) when present.
//!
//! Mappings worth knowing:
//! - `structure` with `union: true` is a union, with `document: true` a
//!   document; `exception: true` / `error` make an error (`fault: true` is the
//!   service's fault, anything else the caller's).
//! - `min`/`max` are a length on strings, lists, maps and blobs, and a range on
//!   numbers; `enum` on a string makes an enum.
//! - A member's `location` (`uri`, `querystring`, `header`, `headers`,
//!   `statusCode`) and `locationName` give its HTTP binding (a `querystring`
//!   map is `@httpQueryParams`); the structure's `payload` names the payload
//!   member. On a body member, `locationName` (or `jsonName`) is the JSON key.
//! - `jsonvalue` (a string that carries JSON) becomes the member's media type
//!   `application/json`, as Smithy's `@mediaType` on the target would.
//! - botocore writes `box: true` on number and boolean shapes that may be
//!   absent; a structure member targeting such a shape without `box` (on the
//!   shape or the member) has the zero default, as Smithy's `@default(0)` /
//!   `@default(false)` that such shapes come from.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::{
    check_pagination, error_code, http_status, length_bound, lists_gzip, range_bound, read_json,
    retryable, validate,
};
use crate::error::{Diagnostics, Error, Result};
use crate::ir::{
    Bounds, Constraints, EnumValue, ErrorTrait, Fault, HttpBinding, Location, Member, Operation,
    Pagination, Protocol, RangeBounds, Service, Shape, ShapeKind, ShapeModule, SourceFormat,
    TimestampFormat,
};

/// Load a parsed `service-2.json` found at `path` (its folder holds the siblings).
pub(super) fn load(doc: &Value, path: &Path) -> Result<Service, Diagnostics> {
    let metadata = doc
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("`metadata` is not an object"))?;
    check_protocol(metadata)?;
    let meta = |key: &str| -> Result<String> {
        metadata
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::new(format!("`metadata.{key}` is missing or not a string")))
    };
    let endpoint_prefix = meta("endpointPrefix")?;
    let signing_name = match metadata.get("signingName") {
        None => endpoint_prefix.clone(),
        Some(_) => meta("signingName")?,
    };

    let raw_shapes = doc
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("`shapes` is not an object"))?;
    let mut shapes = BTreeMap::new();
    for (name, raw) in raw_shapes {
        shapes.insert(name.clone(), shape(name, raw, raw_shapes)?);
    }
    let raw_ops = doc
        .get("operations")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("`operations` is not an object"))?;
    let mut operations = raw_ops
        .iter()
        .map(|(n, o)| operation(n, o))
        .collect::<Result<Vec<_>>>()?;
    operations.sort_by(|a, b| a.name.cmp(&b.name));

    let mut svc = Service {
        source: SourceFormat::Botocore,
        service_id: meta("serviceId")?,
        title: meta("serviceFullName")?,
        api_version: meta("apiVersion")?,
        endpoint_prefix,
        signing_name,
        protocol: Protocol::RestJson1,
        documentation: opt_str(doc, "documentation").map_err(Error::new)?,
        operations,
        shapes,
        endpoint_rules: None,
        crate_name: String::new(),
        unenforced_patterns: Vec::new(),
        renames: Vec::new(),
    };
    validate(&svc)?;
    super::bind_event_streams(&mut svc)?;

    let dir = path.parent().unwrap_or(Path::new(""));
    let paginators = dir.join("paginators-1.json");
    if paginators.is_file() {
        let doc = read_json(&paginators)?;
        paginate(&mut svc, &doc).map_err(|e| e.in_file(&paginators))?;
    }
    let rules = dir.join("endpoint-rule-set-1.json");
    if rules.is_file() {
        svc.endpoint_rules = Some(read_json(&rules)?);
    }
    Ok(svc)
}

/// The service must speak rest-json (`protocol`, or one of `protocols`).
fn check_protocol(metadata: &Map<String, Value>) -> Result<()> {
    let protocol = metadata.get("protocol").and_then(Value::as_str);
    let protocols: Vec<&str> = metadata
        .get("protocols")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if protocol == Some("rest-json") || protocols.contains(&"rest-json") {
        return Ok(());
    }
    let named = match (protocol, protocols.is_empty()) {
        (Some(p), true) => format!("`{p}`"),
        (None, true) => "not given".to_string(),
        (_, false) => protocols
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    Err(Error::new(format!(
        "the service's protocol is {named}; only `rest-json` (restJson1) is supported"
    )))
}

fn opt_str(obj: &Value, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("`{key}` must be a string, not `{other}`")),
    }
}

fn flag(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn shape(name: &str, raw: &Value, all: &Map<String, Value>) -> Result<Shape> {
    let obj = raw
        .as_object()
        .ok_or_else(|| Error::shape(name, "is not a JSON object"))?;
    let ty = obj
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::shape(name, "has no `type`"))?;
    let kind = match ty {
        "structure" if flag(obj, "eventstream") => {
            ShapeKind::Union(members(name, obj, all, false)?)
        }
        "structure" if flag(obj, "document") => ShapeKind::Document,
        "structure" if flag(obj, "union") => ShapeKind::Union(members(name, obj, all, false)?),
        "structure" => ShapeKind::Structure(members(name, obj, all, true)?),
        "list" => ShapeKind::List {
            member: Box::new(collection_member(name, obj, "list", "member")?),
            sparse: flag(obj, "sparse"),
        },
        "map" => ShapeKind::Map {
            key: Box::new(collection_member(name, obj, "map", "key")?),
            value: Box::new(collection_member(name, obj, "map", "value")?),
            sparse: flag(obj, "sparse"),
        },
        "string" => match obj.get("enum") {
            Some(values) => ShapeKind::Enum(enum_values(name, values)?),
            None => ShapeKind::String,
        },
        "blob" => ShapeKind::Blob {
            streaming: flag(obj, "streaming"),
        },
        "boolean" => ShapeKind::Boolean,
        "byte" => ShapeKind::Byte,
        "short" => ShapeKind::Short,
        "integer" => ShapeKind::Integer,
        "long" => ShapeKind::Long,
        "float" => ShapeKind::Float,
        "double" => ShapeKind::Double,
        "bigInteger" => ShapeKind::BigInteger,
        "bigDecimal" => ShapeKind::BigDecimal,
        "timestamp" => ShapeKind::Timestamp(
            timestamp_format(obj.get("timestampFormat")).map_err(|m| Error::shape(name, m))?,
        ),
        other => return Err(Error::shape(name, format!("has unknown type `{other}`"))),
    };
    let constraints = constraints(raw, &kind).map_err(|m| Error::shape(name, m))?;
    Ok(Shape {
        name: name.to_string(),
        documentation: opt_str(raw, "documentation").map_err(|m| Error::shape(name, m))?,
        sensitive: flag(obj, "sensitive"),
        deprecated: flag(obj, "deprecated"),
        event_stream: flag(obj, "eventstream"),
        constraints,
        error: error_trait(name, obj)?,
        kind,
        rust_name: String::new(),
        module: ShapeModule::None,
        fn_name: String::new(),
    })
}

/// `min`/`max` (a length or a range, by kind) and `pattern`.
fn constraints(raw: &Value, kind: &ShapeKind) -> Result<Constraints, String> {
    let mut c = Constraints::default();
    let (min, max) = (raw.get("min"), raw.get("max"));
    if min.is_some() || max.is_some() {
        if kind.is_number() {
            c.range = Some(RangeBounds {
                min: range_bound(min, "`min`")?,
                max: range_bound(max, "`max`")?,
            });
        } else if kind.has_length() {
            c.length = Some(Bounds {
                min: length_bound(min, "`min`")?,
                max: length_bound(max, "`max`")?,
            });
        } else {
            return Err(format!(
                "has `min`/`max`, which do not apply to {}",
                kind.a_name()
            ));
        }
    }
    c.pattern = opt_str(raw, "pattern")?;
    Ok(c)
}

fn error_trait(name: &str, obj: &Map<String, Value>) -> Result<Option<ErrorTrait>> {
    let error = obj.get("error");
    if !flag(obj, "exception") && error.is_none() {
        return Ok(None);
    }
    let http_status = http_status(
        error.and_then(|e| e.get("httpStatusCode")),
        "`error.httpStatusCode`",
    )
    .map_err(|m| Error::shape(name, m))?;
    let code = error_code(error, name);
    let retryable = retryable(obj.get("retryable"));
    let fault = if flag(obj, "fault") {
        Fault::Server
    } else {
        Fault::Client
    };
    Ok(Some(ErrorTrait {
        fault,
        http_status,
        code,
        retryable,
    }))
}

fn timestamp_format(v: Option<&Value>) -> Result<Option<TimestampFormat>, String> {
    match v {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some("iso8601") => Ok(Some(TimestampFormat::DateTime)),
            Some("rfc822") => Ok(Some(TimestampFormat::HttpDate)),
            Some("unixTimestamp") => Ok(Some(TimestampFormat::EpochSeconds)),
            _ => Err(format!(
                "has unknown `timestampFormat` `{v}` (expected iso8601, rfc822 or unixTimestamp)"
            )),
        },
    }
}

fn enum_values(name: &str, values: &Value) -> Result<Vec<EnumValue>> {
    let values = values
        .as_array()
        .ok_or_else(|| Error::shape(name, "`enum` is not a list"))?;
    values
        .iter()
        .map(|v| match v.as_str() {
            Some(s) => Ok(EnumValue {
                value: s.to_string(),
                documentation: None,
                rust_name: String::new(),
            }),
            None => Err(Error::shape(
                name,
                format!("`enum` value `{v}` is not a string"),
            )),
        })
        .collect()
}

/// The members of a structure or union (`in_structure`: defaults apply).
fn members(
    owner: &str,
    obj: &Map<String, Value>,
    all: &Map<String, Value>,
    in_structure: bool,
) -> Result<Vec<Member>> {
    let empty = Map::new();
    let raw = match obj.get("members") {
        None => &empty,
        Some(m) => m
            .as_object()
            .ok_or_else(|| Error::shape(owner, "`members` is not an object"))?,
    };
    let required: Vec<&str> = match obj.get("required") {
        None => Vec::new(),
        Some(r) => r
            .as_array()
            .and_then(|a| a.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
            .ok_or_else(|| Error::shape(owner, "`required` is not a list of member names"))?,
    };
    if let Some(r) = required.iter().find(|r| !raw.contains_key(**r)) {
        return Err(Error::member(
            owner,
            *r,
            "is listed as required but is not a member",
        ));
    }
    let payload = match obj.get("payload") {
        None => None,
        Some(p) => {
            let p = p
                .as_str()
                .ok_or_else(|| Error::shape(owner, "`payload` is not a string"))?;
            if !raw.contains_key(p) {
                return Err(Error::member(
                    owner,
                    p,
                    "is named as the payload but is not a member",
                ));
            }
            Some(p)
        }
    };
    raw.iter()
        .map(|(name, m)| {
            let facts = MemberFacts {
                required: required.contains(&name.as_str()),
                payload: payload == Some(name.as_str()),
                in_structure,
            };
            member(owner, name, m, facts, all)
        })
        .collect()
}

/// What the owner says about a member.
#[derive(Clone, Copy)]
struct MemberFacts {
    required: bool,
    payload: bool,
    in_structure: bool,
}

fn member(
    owner: &str,
    name: &str,
    raw: &Value,
    facts: MemberFacts,
    all: &Map<String, Value>,
) -> Result<Member> {
    let err = |m: String| Error::member(owner, name, m);
    let obj = raw
        .as_object()
        .ok_or_else(|| err("is not a JSON object".into()))?;
    let target = obj
        .get("shape")
        .and_then(Value::as_str)
        .ok_or_else(|| err("has no `shape`".into()))?
        .to_string();
    let location_name = opt_str(raw, "locationName").map_err(err)?;
    let location = if facts.payload {
        if obj.contains_key("location") {
            return Err(err("is the payload but also has a `location`".into()));
        }
        Location::Payload
    } else if flag(obj, "eventheader") {
        Location::EventHeader
    } else if flag(obj, "eventpayload") {
        Location::EventPayload
    } else {
        let named = || location_name.clone().unwrap_or_else(|| name.to_string());
        match obj.get("location").map(|l| l.as_str().ok_or(l)) {
            None => Location::Body,
            Some(Ok("uri")) => Location::Label(named()),
            Some(Ok("querystring")) if target_type(all, &target) == Some("map") => {
                Location::QueryParams
            }
            Some(Ok("querystring")) => Location::Query(named()),
            Some(Ok("header")) => Location::Header(named()),
            Some(Ok("headers")) => {
                Location::PrefixHeaders(location_name.clone().unwrap_or_default())
            }
            Some(Ok("statusCode")) => Location::StatusCode,
            Some(Ok(other)) => return Err(err(format!("has unknown location `{other}`"))),
            Some(Err(other)) => return Err(err(format!("has unknown location `{other}`"))),
        }
    };
    let json_name = match location {
        Location::Body => opt_str(raw, "jsonName").map_err(err)?.or(location_name),
        _ => None,
    }
    .filter(|j| j != name);
    let default = if facts.in_structure && !flag(obj, "box") {
        zero_default(all.get(&target))
    } else {
        None
    };
    Ok(Member {
        name: name.to_string(),
        documentation: opt_str(raw, "documentation").map_err(err)?,
        required: facts.required,
        location,
        json_name,
        timestamp_format: timestamp_format(obj.get("timestampFormat")).map_err(err)?,
        idempotency_token: flag(obj, "idempotencyToken"),
        host_label: flag(obj, "hostLabel"),
        default,
        deprecated: flag(obj, "deprecated"),
        sensitive: flag(obj, "sensitive"),
        media_type: flag(obj, "jsonvalue").then(|| "application/json".to_string()),
        constraints: Constraints::default(),
        target,
        rust_name: String::new(),
        boxed: false,
    })
}

fn target_type<'a>(all: &'a Map<String, Value>, target: &str) -> Option<&'a str> {
    all.get(target)?.get("type")?.as_str()
}

/// The zero default of a number or boolean shape that is not boxed.
fn zero_default(target: Option<&Value>) -> Option<Value> {
    let t = target?.as_object()?;
    if flag(t, "box") {
        return None;
    }
    match t.get("type")?.as_str()? {
        "boolean" => Some(Value::Bool(false)),
        "byte" | "short" | "integer" | "long" | "float" | "double" => Some(Value::from(0)),
        _ => None,
    }
}

/// The element of a list (`member`) or the key or value of a map.
fn collection_member(
    owner: &str,
    obj: &Map<String, Value>,
    what: &str,
    key: &str,
) -> Result<Member> {
    let err = |m: String| Error::member(owner, key, m);
    let raw = obj
        .get(key)
        .ok_or_else(|| err(format!("the {what} has no `{key}`")))?;
    let target = raw
        .get("shape")
        .and_then(Value::as_str)
        .ok_or_else(|| err("has no `shape`".into()))?;
    Ok(Member {
        name: key.to_string(),
        target: target.to_string(),
        documentation: opt_str(raw, "documentation").map_err(err)?,
        required: false,
        location: Location::Body,
        json_name: None,
        timestamp_format: None,
        idempotency_token: false,
        host_label: false,
        default: None,
        deprecated: false,
        sensitive: false,
        media_type: None,
        constraints: Constraints::default(),
        rust_name: String::new(),
        boxed: false,
    })
}

fn operation(name: &str, raw: &Value) -> Result<Operation> {
    let err = |m: String| Error::shape(name, m);
    let obj = raw
        .as_object()
        .ok_or_else(|| err("is not a JSON object".into()))?;
    let http = obj
        .get("http")
        .ok_or_else(|| err("has no `http` binding".into()))?;
    let http_str = |key: &str| {
        http.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| err(format!("`http.{key}` is missing or not a string")))
    };
    let code = http_status(http.get("responseCode"), "`http.responseCode`")
        .map_err(err)?
        .unwrap_or(200);
    let shape_ref = |key: &str| -> Result<Option<String>> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => v
                .get("shape")
                .and_then(Value::as_str)
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| err(format!("`{key}` has no `shape`"))),
        }
    };
    let mut errors = match obj.get("errors") {
        None => Vec::new(),
        Some(v) => v
            .as_array()
            .and_then(|a| {
                a.iter()
                    .map(|e| e.get("shape")?.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| err("`errors` is not a list of `{\"shape\": ...}`".into()))?,
    };
    errors.sort();
    errors.dedup();
    Ok(Operation {
        name: name.to_string(),
        input: shape_ref("input")?,
        output: shape_ref("output")?,
        errors,
        http: HttpBinding {
            method: http_str("method")?,
            uri: http_str("requestUri")?,
            code,
        },
        documentation: opt_str(raw, "documentation").map_err(err)?,
        pagination: None,
        idempotent: flag(obj, "idempotent"),
        readonly: flag(obj, "readonly"),
        deprecated: flag(obj, "deprecated"),
        host_prefix: obj
            .get("endpoint")
            .and_then(|e| e.get("hostPrefix"))
            .and_then(Value::as_str)
            .map(str::to_string),
        checksum_required: flag(obj, "httpChecksumRequired"),
        request_compression: lists_gzip(obj.get("requestcompression")),
        names: Default::default(),
    })
}

/// Apply `paginators-1.json`: `input_token`, `output_token`, `result_key`
/// (items) and `limit_key` (page size) of each operation.
fn paginate(svc: &mut Service, doc: &Value) -> Result<()> {
    let pagination = doc
        .get("pagination")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("`pagination` is missing or not an object"))?;
    for (op_name, raw) in pagination {
        let index = svc
            .operations
            .iter()
            .position(|o| o.name == *op_name)
            .ok_or_else(|| {
                Error::shape(
                    op_name,
                    "has a paginator but is not an operation of the model",
                )
            })?;
        let single = |key: &str| -> Result<Option<String>> {
            match raw.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Array(a)) => match a.as_slice() {
                    [Value::String(s)] => Ok(Some(s.clone())),
                    _ => Err(Error::shape(
                        op_name,
                        format!(
                            "paginator `{key}` lists {} values ({}); only a single value is supported",
                            a.len(),
                            a.iter().map(Value::to_string).collect::<Vec<_>>().join(", ")
                        ),
                    )),
                },
                Some(other) => Err(Error::shape(op_name, format!("paginator `{key}` `{other}` is not a string"))),
            }
        };
        let required = |key: &str| {
            single(key)?.ok_or_else(|| Error::shape(op_name, format!("paginator has no `{key}`")))
        };
        let p = Pagination {
            input_token: required("input_token")?,
            output_token: required("output_token")?,
            // Several result keys (pages that carry several lists) give
            // pages but no single stream of items.
            items: match raw.get("result_key") {
                Some(Value::Array(keys)) if keys.len() > 1 => None,
                _ => single("result_key")?,
            },
            page_size: single("limit_key")?,
        };
        check_pagination(svc, &svc.operations[index], &p)?;
        svc.operations[index].pagination = Some(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Retryable;
    use serde_json::json;

    /// Load `model`; its error is the one problem found.
    fn load_str(model: Value) -> Result<Service> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("service-2.json");
        load(&model, &path).map_err(|problems| {
            let shown = problems.to_string();
            problems
                .into_only()
                .unwrap_or_else(|| panic!("one problem expected: {shown}"))
        })
    }

    fn model(shapes: Value, operations: Value) -> Value {
        json!({
            "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                         "serviceFullName": "Example", "serviceId": "Example"},
            "operations": operations,
            "shapes": shapes,
        })
    }

    fn op(input: &str) -> Value {
        json!({"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/op/{id}"}, "input": {"shape": input}}})
    }

    fn members_of(svc: &Service, shape: &str) -> Vec<Member> {
        match &svc.shape(shape).kind {
            ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn locations_and_json_names() {
        let svc = load_str(model(
            json!({
                "In": {"type": "structure", "payload": "body", "members": {
                    "id": {"shape": "S", "location": "uri", "locationName": "id"},
                    "q": {"shape": "S", "location": "querystring", "locationName": "q-name"},
                    "all": {"shape": "M", "location": "querystring"},
                    "h": {"shape": "S", "location": "header", "locationName": "X-H", "jsonvalue": true},
                    "meta": {"shape": "M", "location": "headers", "locationName": "x-meta-"},
                    "status": {"shape": "I", "location": "statusCode"},
                    "body": {"shape": "B"},
                }},
                "B": {"type": "structure", "members": {"aName": {"shape": "S", "locationName": "AName"}, "same": {"shape": "S", "locationName": "same"}}},
                "S": {"type": "string"},
                "I": {"type": "integer", "box": true},
                "M": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
            }),
            op("In"),
        ))
        .unwrap();
        let ms = members_of(&svc, "In");
        let locs: Vec<_> = ms.iter().map(|m| m.location.clone()).collect();
        assert_eq!(
            locs,
            vec![
                Location::Label("id".into()),
                Location::Query("q-name".into()),
                Location::QueryParams,
                Location::Header("X-H".into()),
                Location::PrefixHeaders("x-meta-".into()),
                Location::StatusCode,
                Location::Payload,
            ]
        );
        assert_eq!(ms[3].media_type.as_deref(), Some("application/json"));
        assert_eq!(
            ms[0].json_name, None,
            "a label's locationName is not a JSON name"
        );
        let body = members_of(&svc, "B");
        assert_eq!(body[0].json_name.as_deref(), Some("AName"));
        assert_eq!(
            body[1].json_name, None,
            "a JSON name equal to the member name is not recorded"
        );
    }

    #[test]
    fn event_streams_bind_to_the_body_and_events_to_headers_and_payload() {
        let shapes = json!({
            "In": {"type": "structure", "members": {"id": {"shape": "S"}}},
            "Out": {"type": "structure", "payload": "events", "members": {
                "tag": {"shape": "S", "location": "header", "locationName": "x-tag"},
                "events": {"shape": "Events"},
            }},
            "Events": {"type": "structure", "eventstream": true, "members": {"chunk": {"shape": "Chunk"}}},
            "Chunk": {"type": "structure", "event": true, "members": {
                "seq": {"shape": "I", "eventheader": true},
                "data": {"shape": "S", "eventpayload": true},
                "note": {"shape": "S"},
            }},
            "S": {"type": "string"},
            "I": {"type": "integer", "box": true},
        });
        let mut ops = op("In");
        ops["Op"]["output"] = json!({"shape": "Out"});
        let svc = load_str(model(shapes.clone(), ops.clone())).unwrap();
        let out = members_of(&svc, "Out");
        assert_eq!(out[1].location, Location::EventStream);
        assert!(out[1].required, "a response always has its stream");
        assert!(svc.shape("Events").event_stream);
        let locs: Vec<_> = members_of(&svc, "Chunk")
            .iter()
            .map(|m| m.location.clone())
            .collect();
        assert_eq!(
            locs,
            [
                Location::EventHeader,
                Location::EventPayload,
                Location::Body
            ]
        );

        // Another member in the body, beside the stream, is refused.
        let mut beside = shapes.clone();
        beside["Out"]["members"]["note"] = json!({"shape": "S"});
        let e = load_str(model(beside, ops.clone()))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("shape `Out`, member `note`: is in the body, but the body is the structure's event stream"),
            "{e}"
        );

        // A stream in a structure that is not an operation's input or
        // output is refused, naming the member: only those stream events.
        let mut nested = shapes.clone();
        nested["Wrapper"] = json!({"type": "structure", "payload": "events",
                                   "members": {"events": {"shape": "Events"}}});
        nested["In"]["members"]["wrapped"] = json!({"shape": "Wrapper"});
        let e = load_str(model(nested, ops.clone()))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("shape `Wrapper`, member `events`: targets the event stream `Events`, but only an operation's input or output can stream events"),
            "{e}"
        );

        // A stream that is not the payload is refused, naming the member.
        let mut shapes = shapes;
        shapes["Out"].as_object_mut().unwrap().remove("payload");
        let e = load_str(model(shapes, ops)).unwrap_err().to_string();
        assert!(
            e.contains("shape `Out`, member `events`: targets the event stream `Events` but is not the payload"),
            "{e}"
        );
    }

    #[test]
    fn unboxed_numbers_default_to_zero() {
        let svc = load_str(model(
            json!({
                "In": {"type": "structure", "members": {
                    "plain": {"shape": "Count"},
                    "boxedMember": {"shape": "Count", "box": true},
                    "boxed": {"shape": "Boxed"},
                    "flag": {"shape": "Flag"},
                    "text": {"shape": "Text"},
                }},
                "U": {"type": "structure", "union": true, "members": {"plain": {"shape": "Count"}}},
                "Count": {"type": "integer", "min": 1, "max": 5},
                "Boxed": {"type": "long", "box": true},
                "Flag": {"type": "boolean"},
                "Text": {"type": "string", "min": 1, "max": 5},
            }),
            op("In"),
        ))
        .unwrap();
        let defaults: Vec<_> = members_of(&svc, "In")
            .into_iter()
            .map(|m| m.default)
            .collect();
        assert_eq!(
            defaults,
            vec![Some(json!(0)), None, None, Some(json!(false)), None]
        );
        assert_eq!(
            members_of(&svc, "U")[0].default,
            None,
            "union members have no default"
        );
        let count = svc.shape("Count");
        assert_eq!(
            count.constraints.range,
            Some(RangeBounds {
                min: Some("1".into()),
                max: Some("5".into())
            })
        );
        assert_eq!(count.constraints.length, None);
        assert_eq!(
            svc.shape("Text").constraints.length,
            Some(Bounds {
                min: Some(1),
                max: Some(5)
            })
        );
    }

    #[test]
    fn errors_and_kinds() {
        let svc = load_str(model(
            json!({
                "In": {"type": "structure", "members": {"doc": {"shape": "Doc"}, "when": {"shape": "T"}}},
                "Doc": {"type": "structure", "members": {}, "document": true},
                "T": {"type": "timestamp", "timestampFormat": "unixTimestamp"},
                "Boom": {"type": "structure", "members": {}, "exception": true, "fault": true,
                         "error": {"code": "Boom.Code", "httpStatusCode": 503}, "retryable": {"throttling": true}},
                "Nope": {"type": "structure", "members": {}, "exception": true,
                         "error": {"code": "Nope", "httpStatusCode": 400, "senderFault": true}},
            }),
            json!({"Op": {"http": {"method": "GET", "requestUri": "/"}, "input": {"shape": "In"},
                          "errors": [{"shape": "Nope"}, {"shape": "Boom"}], "idempotent": true,
                          "endpoint": {"hostPrefix": "data."}}}),
        ))
        .unwrap();
        assert_eq!(svc.shape("Doc").kind, ShapeKind::Document);
        assert_eq!(
            svc.shape("T").kind,
            ShapeKind::Timestamp(Some(TimestampFormat::EpochSeconds))
        );
        assert_eq!(
            svc.shape("Boom").error,
            Some(ErrorTrait {
                fault: Fault::Server,
                http_status: Some(503),
                code: "Boom.Code".into(),
                retryable: Some(Retryable { throttling: true }),
            })
        );
        let nope = svc.shape("Nope").error.clone().unwrap();
        assert_eq!((nope.fault, nope.code.as_str()), (Fault::Client, "Nope"));
        let op = &svc.operations[0];
        assert_eq!(op.errors, vec!["Boom".to_string(), "Nope".to_string()]);
        assert_eq!(op.http.code, 200);
        assert!(op.idempotent);
        assert_eq!(op.host_prefix.as_deref(), Some("data."));
        assert_eq!(
            svc.signing_name, "ex",
            "signingName defaults to endpointPrefix"
        );
    }

    #[test]
    fn paginators_take_single_values() {
        let mut svc = load_str(model(
            json!({
                "In": {"type": "structure", "members": {"token": {"shape": "S"}, "max": {"shape": "I"}}},
                "Out": {"type": "structure", "members": {"next": {"shape": "S"}, "items": {"shape": "L"}}},
                "S": {"type": "string"}, "I": {"type": "integer"},
                "L": {"type": "list", "member": {"shape": "S"}},
            }),
            json!({"Op": {"http": {"method": "GET", "requestUri": "/"}, "input": {"shape": "In"}, "output": {"shape": "Out"}}}),
        ))
        .unwrap();
        let pag = json!({"pagination": {"Op": {"input_token": ["token"], "output_token": "next",
                                               "result_key": "items", "limit_key": "max"}}});
        paginate(&mut svc, &pag).unwrap();
        assert_eq!(
            svc.operations[0].pagination,
            Some(Pagination {
                input_token: "token".into(),
                output_token: "next".into(),
                items: Some("items".into()),
                page_size: Some("max".into()),
            })
        );
        let keys = json!({"pagination": {"Op": {"input_token": "token", "output_token": "next",
                                                "result_key": ["items", "next"]}}});
        paginate(&mut svc, &keys).unwrap();
        assert_eq!(svc.operations[0].pagination.as_ref().unwrap().items, None);
        let two = json!({"pagination": {"Op": {"input_token": ["token", "max"], "output_token": "next"}}});
        let e = paginate(&mut svc, &two).unwrap_err();
        assert_eq!(e.shape.as_deref(), Some("Op"));
        assert!(e.message.contains("lists 2 values"), "{e}");
        let wrong =
            json!({"pagination": {"Op": {"input_token": "token", "output_token": "items"}}});
        let e = paginate(&mut svc, &wrong).unwrap_err();
        assert!(e.message.contains("which is a list, not a string"), "{e}");
    }
}
