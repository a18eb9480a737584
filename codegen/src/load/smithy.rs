//! Smithy JSON AST (IDL 2.0, and 1.0) -> IR.
//!
//! The model must hold exactly one service. Its closure becomes the IR: the
//! operations it binds (directly or through resources, recursively) and every
//! shape they reach. Shapes are named without their namespace (or as the
//! service's `rename` says); two shapes that would get the same name are an
//! error naming both.
//!
//! Prelude targets become shapes named after the prelude type without a
//! `Primitive` prefix (`smithy.api#PrimitiveInteger` -> `Integer`); a model
//! shape may share such a name only if it is identical. `smithy.api#Unit` as an
//! operation's input or output means none; as a member target it is an empty
//! structure `Unit`.
//!
//! Smithy 2.0 `enum` shapes and 1.0-style strings with `@enum` are both enums.
//! `@default` on a member is its default (`@default(null)` is none); in an IDL
//! 1.0 model a structure member targeting an unboxed number or boolean has the
//! zero default, as 1.0 defines. A service-level `@paginated` gives defaults to
//! every `@paginated` operation, and the service's `errors` are added to every
//! operation's.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::{
    check_pagination, error_code, http_status, length_bound, range_bound, retryable, validate,
};
use crate::error::{Diagnostics, Error, Result};
use crate::ir::{
    Bounds, Constraints, EnumValue, ErrorTrait, Fault, HttpBinding, IntEnumValue, Location, Member,
    Operation, Pagination, Protocol, RangeBounds, Service, Shape, ShapeKind, ShapeModule,
    SourceFormat, TimestampFormat,
};

const UNIT: &str = "smithy.api#Unit";

/// Load a parsed Smithy JSON AST.
pub(super) fn load(doc: &Value) -> Result<Service, Diagnostics> {
    let v1 = match doc.get("smithy") {
        Some(Value::String(v)) if v == "1.0" || v == "1" => true,
        Some(Value::String(v)) if v == "2.0" || v == "2" => false,
        other => {
            let shown = other.map(Value::to_string).unwrap_or_default();
            return Err(Error::new(format!(
                "unsupported Smithy IDL version {shown} (expected \"1.0\" or \"2.0\")"
            ))
            .into());
        }
    };
    let shapes = doc
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::new("`shapes` is missing or not an object"))?;
    if let Some(id) = shapes.keys().find(|id| !id.contains('#')) {
        return Err(Error::new(format!(
            "shape id `{id}` has no namespace (expected `namespace#Name`)"
        ))
        .into());
    }
    let services: Vec<(&String, &Value)> = shapes
        .iter()
        .filter(|(_, s)| type_of(s) == Some("service"))
        .collect();
    let (svc_id, svc) = match services.as_slice() {
        [one] => *one,
        [] => {
            return Err(Error::new("the model has no service shape; expected exactly one").into())
        }
        many => {
            let ids: Vec<String> = many.iter().map(|(id, _)| format!("`{id}`")).collect();
            return Err(Error::new(format!(
                "the model has {} service shapes ({}); expected exactly one",
                many.len(),
                ids.join(", ")
            ))
            .into());
        }
    };
    let rename = match svc.get("rename") {
        None => BTreeMap::new(),
        Some(r) => r
            .as_object()
            .and_then(|r| {
                r.iter()
                    .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .ok_or_else(|| Error::shape(svc_id, "`rename` is not a map of shape ids to names"))?,
    };
    let ctx = Ctx { shapes, rename, v1 };
    let svc_name = ctx.short(svc_id);
    let meta = service_meta(&svc_name, svc)?;

    let mut op_ids = BTreeSet::new();
    ctx.collect_operations(&svc_name, svc, &mut op_ids, &mut BTreeSet::new())?;
    let common_errors =
        targets(svc.get("errors")).map_err(|m| Error::shape(&svc_name, format!("`errors` {m}")))?;
    let mut walk = Walk::default();
    let mut operations = Vec::new();
    let mut op_origin: BTreeMap<String, String> = BTreeMap::new();
    for id in &op_ids {
        let raw = ctx
            .shapes
            .get(id)
            .ok_or_else(|| Error::shape(&svc_name, format!("`{id}` is not in the model")))?;
        let op = ctx.operation(id, raw, svc, &common_errors, &mut walk)?;
        if let Some(other) = op_origin.insert(op.name.clone(), id.clone()) {
            return Err(Error::shape(
                &op.name,
                format!(
                    "operations `{other}` and `{id}` would both be named `{}`",
                    op.name
                ),
            )
            .into());
        }
        operations.push(op);
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));

    let mut service = Service {
        source: SourceFormat::Smithy,
        service_id: meta.service_id,
        title: meta.title,
        api_version: meta.api_version,
        endpoint_prefix: meta.endpoint_prefix,
        signing_name: meta.signing_name,
        protocol: Protocol::RestJson1,
        documentation: doc_of(svc),
        operations,
        shapes: ctx.walk_shapes(walk)?,
        endpoint_rules: trait_of(svc, "smithy.rules#endpointRuleSet").cloned(),
        crate_name: String::new(),
        unenforced_patterns: Vec::new(),
        renames: Vec::new(),
    };
    validate(&service)?;
    super::bind_event_streams(&mut service)?;
    for op in &service.operations {
        if let Some(p) = &op.pagination {
            check_pagination(&service, op, p)?;
        }
    }
    Ok(service)
}

/// The service's own facts.
struct Meta {
    service_id: String,
    title: String,
    api_version: String,
    endpoint_prefix: String,
    signing_name: String,
}

fn service_meta(name: &str, svc: &Value) -> Result<Meta> {
    let err = |m: String| Error::shape(name, m);
    if trait_of(svc, "aws.protocols#restJson1").is_none() {
        let found: Vec<String> = svc
            .get("traits")
            .and_then(Value::as_object)
            .map(|t| {
                t.keys()
                    .filter(|k| k.starts_with("aws.protocols#"))
                    .map(|k| format!("`{k}`"))
                    .collect()
            })
            .unwrap_or_default();
        let named = if found.is_empty() {
            "no protocol trait".to_string()
        } else {
            format!("protocol {}", found.join(", "))
        };
        return Err(err(format!(
            "has {named}; only `aws.protocols#restJson1` is supported"
        )));
    }
    let aws = trait_of(svc, "aws.api#service").ok_or_else(|| {
        err("has no `aws.api#service` trait (its `sdkId` names the service)".into())
    })?;
    let sdk_id = aws
        .get("sdkId")
        .and_then(Value::as_str)
        .ok_or_else(|| err("`aws.api#service` has no `sdkId` string".into()))?;
    let endpoint_prefix = ["endpointPrefix", "arnNamespace"]
        .iter()
        .find_map(|k| aws.get(*k).and_then(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| sdk_id.to_lowercase());
    let signing_name = trait_of(svc, "aws.auth#sigv4")
        .and_then(|s| s.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| endpoint_prefix.clone());
    Ok(Meta {
        service_id: sdk_id.to_string(),
        title: trait_of(svc, "smithy.api#title")
            .and_then(Value::as_str)
            .unwrap_or(sdk_id)
            .to_string(),
        api_version: svc
            .get("version")
            .and_then(Value::as_str)
            .ok_or_else(|| err("has no `version`".into()))?
            .to_string(),
        endpoint_prefix,
        signing_name,
    })
}

/// Shapes waiting to be converted, each once.
#[derive(Default)]
struct Walk {
    queue: VecDeque<String>,
    queued: BTreeSet<String>,
}

impl Walk {
    fn push(&mut self, id: &str) {
        if self.queued.insert(id.to_string()) {
            self.queue.push_back(id.to_string());
        }
    }
}

/// The model being read.
struct Ctx<'a> {
    shapes: &'a Map<String, Value>,
    rename: BTreeMap<String, String>,
    v1: bool,
}

impl Ctx<'_> {
    /// The IR name of a shape id.
    fn short(&self, id: &str) -> String {
        if let Some(name) = self.rename.get(id) {
            return name.clone();
        }
        if let Some((name, _)) = prelude(id) {
            return name.to_string();
        }
        id.split_once('#').map_or(id, |(_, n)| n).to_string()
    }

    /// The IR name of a member target, checking that it is a data shape.
    fn target(&self, id: &str) -> Result<String, String> {
        if prelude(id).is_some() {
            return Ok(self.short(id));
        }
        match self.shapes.get(id).map(type_of) {
            None => Err(format!("targets `{id}`, which is not in the model")),
            Some(Some(t @ ("service" | "operation" | "resource"))) => {
                Err(format!("targets `{id}`, which is a {t}, not a data shape"))
            }
            Some(_) => Ok(self.short(id)),
        }
    }

    /// The shape `id`, which `owner` binds as a `ty`.
    fn bound(&self, owner: &str, id: &str, ty: &str) -> Result<&Value> {
        match self.shapes.get(id) {
            Some(s) if type_of(s) == Some(ty) => Ok(s),
            Some(s) => Err(Error::shape(
                owner,
                format!(
                    "binds `{id}` as {ty}, but it is {}",
                    type_of(s).unwrap_or("untyped")
                ),
            )),
            None => Err(Error::shape(
                owner,
                format!("binds {ty} `{id}`, which is not in the model"),
            )),
        }
    }

    /// Operations bound by a service or resource, and by its resources
    /// (resources nest: a worklist, not recursion, walks them).
    fn collect_operations(
        &self,
        owner: &str,
        container: &Value,
        ops: &mut BTreeSet<String>,
        resources: &mut BTreeSet<String>,
    ) -> Result<()> {
        let mut todo = vec![(owner.to_string(), container)];
        while let Some((owner, container)) = todo.pop() {
            let err = |key: &str, m: String| Error::shape(&owner, format!("`{key}` {m}"));
            let mut bound = Vec::new();
            for key in ["operations", "collectionOperations"] {
                bound.extend(targets(container.get(key)).map_err(|m| err(key, m))?);
            }
            for key in ["create", "put", "read", "update", "delete", "list"] {
                if let Some(v) = container.get(key) {
                    bound.push(target_of(v).map_err(|m| err(key, m))?);
                }
            }
            for id in bound {
                self.bound(&owner, &id, "operation")?;
                ops.insert(id);
            }
            for id in targets(container.get("resources")).map_err(|m| err("resources", m))? {
                let resource = self.bound(&owner, &id, "resource")?;
                if resources.insert(id.clone()) {
                    todo.push((self.short(&id), resource));
                }
            }
        }
        Ok(())
    }

    fn operation(
        &self,
        id: &str,
        raw: &Value,
        service: &Value,
        common_errors: &[String],
        walk: &mut Walk,
    ) -> Result<Operation> {
        let name = self.short(id);
        let err = |m: String| Error::shape(&name, m);
        let http = trait_of(raw, "smithy.api#http")
            .ok_or_else(|| err("has no `smithy.api#http` trait".into()))?;
        let http_str = |k: &str| {
            http.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| err(format!("`smithy.api#http` has no `{k}` string")))
        };
        let code = http_status(http.get("code"), "`smithy.api#http` code")
            .map_err(err)?
            .unwrap_or(200);
        let mut io = |key: &str| -> Result<Option<String>> {
            let Some(v) = raw.get(key) else {
                return Ok(None);
            };
            let target = target_of(v).map_err(|m| err(format!("`{key}` {m}")))?;
            if target == UNIT {
                return Ok(None);
            }
            let short = self
                .target(&target)
                .map_err(|m| err(format!("{key} {m}")))?;
            walk.push(&target);
            Ok(Some(short))
        };
        let input = io("input")?;
        let output = io("output")?;
        let mut error_ids = targets(raw.get("errors")).map_err(|m| err(format!("`errors` {m}")))?;
        error_ids.extend(common_errors.iter().cloned());
        let mut errors = Vec::new();
        for e in &error_ids {
            errors.push(self.target(e).map_err(|m| err(format!("error {m}")))?);
            walk.push(e);
        }
        errors.sort();
        errors.dedup();
        let http = HttpBinding {
            method: http_str("method")?,
            uri: http_str("uri")?,
            code,
        };
        let pagination = paginated(&name, raw, service)?;
        Ok(Operation {
            input,
            output,
            errors,
            http,
            documentation: doc_of(raw),
            pagination,
            idempotent: trait_of(raw, "smithy.api#idempotent").is_some(),
            readonly: trait_of(raw, "smithy.api#readonly").is_some(),
            deprecated: trait_of(raw, "smithy.api#deprecated").is_some(),
            host_prefix: trait_of(raw, "smithy.api#endpoint")
                .and_then(|e| e.get("hostPrefix"))
                .and_then(Value::as_str)
                .map(str::to_string),
            checksum_required: trait_of(raw, "smithy.api#httpChecksumRequired").is_some(),
            request_compression: super::lists_gzip(trait_of(raw, "smithy.api#requestCompression")),
            names: Default::default(),
            name,
        })
    }

    /// Convert every shape reachable from the operations.
    fn walk_shapes(&self, mut walk: Walk) -> Result<BTreeMap<String, Shape>> {
        let mut out = BTreeMap::new();
        let mut origin = BTreeMap::new();
        while let Some(id) = walk.queue.pop_front() {
            let shape = match prelude(&id) {
                Some((name, kind)) => synthesized(name, kind),
                None => {
                    let raw = self
                        .shapes
                        .get(&id)
                        .ok_or_else(|| Error::new(format!("`{id}` is not in the model")))?;
                    self.shape(&id, raw, &mut walk)?
                }
            };
            insert(&mut out, &mut origin, &id, shape)?;
        }
        Ok(out)
    }

    fn shape(&self, id: &str, raw: &Value, walk: &mut Walk) -> Result<Shape> {
        let name = self.short(id);
        let err = |m: String| Error::shape(&name, m);
        let ty = type_of(raw).ok_or_else(|| err("has no `type`".into()))?;
        if raw
            .get("mixins")
            .and_then(Value::as_array)
            .is_some_and(|m| !m.is_empty())
        {
            return Err(err(
                "uses mixins, which are not supported (flatten the model first)".into(),
            ));
        }
        let has = |t: &str| trait_of(raw, t).is_some();
        let kind = match ty {
            "structure" => ShapeKind::Structure(self.members(&name, raw, walk, true)?),
            "union" => ShapeKind::Union(self.members(&name, raw, walk, false)?),
            "list" | "set" => ShapeKind::List {
                member: Box::new(self.collection_member(&name, raw, ty, "member", walk)?),
                sparse: has("smithy.api#sparse"),
            },
            "map" => ShapeKind::Map {
                key: Box::new(self.collection_member(&name, raw, ty, "key", walk)?),
                value: Box::new(self.collection_member(&name, raw, ty, "value", walk)?),
                sparse: has("smithy.api#sparse"),
            },
            "string" => match trait_of(raw, "smithy.api#enum") {
                Some(e) => ShapeKind::Enum(enum_trait(&name, e)?),
                None => ShapeKind::String,
            },
            "enum" => ShapeKind::Enum(enum_members(&name, raw)?),
            "intEnum" => ShapeKind::IntEnum(int_enum_members(&name, raw)?),
            "blob" => ShapeKind::Blob {
                streaming: has("smithy.api#streaming"),
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
            "timestamp" => ShapeKind::Timestamp(timestamp_format(raw).map_err(err)?),
            "document" => ShapeKind::Document,
            other => return Err(err(format!("has unknown type `{other}`"))),
        };
        Ok(Shape {
            kind,
            documentation: doc_of(raw),
            sensitive: has("smithy.api#sensitive"),
            deprecated: has("smithy.api#deprecated"),
            event_stream: ty == "union" && has("smithy.api#streaming"),
            constraints: constraints(raw).map_err(err)?,
            error: error_trait(&name, raw)?,
            rust_name: String::new(),
            module: ShapeModule::None,
            fn_name: String::new(),
            name,
        })
    }

    fn members(
        &self,
        owner: &str,
        raw: &Value,
        walk: &mut Walk,
        in_structure: bool,
    ) -> Result<Vec<Member>> {
        let Some(ms) = raw.get("members") else {
            return Ok(Vec::new());
        };
        let ms = ms
            .as_object()
            .ok_or_else(|| Error::shape(owner, "`members` is not an object"))?;
        ms.iter()
            .map(|(n, m)| self.member(owner, n, m, walk, in_structure))
            .collect()
    }

    fn collection_member(
        &self,
        owner: &str,
        raw: &Value,
        what: &str,
        key: &str,
        walk: &mut Walk,
    ) -> Result<Member> {
        let m = raw
            .get(key)
            .ok_or_else(|| Error::member(owner, key, format!("the {what} has no `{key}`")))?;
        self.member(owner, key, m, walk, false)
    }

    fn member(
        &self,
        owner: &str,
        name: &str,
        raw: &Value,
        walk: &mut Walk,
        in_structure: bool,
    ) -> Result<Member> {
        let err = |m: String| Error::member(owner, name, m);
        let target_id = raw
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| err("has no `target`".into()))?;
        let target = self.target(target_id).map_err(err)?;
        walk.push(target_id);
        let json_name = match trait_of(raw, "smithy.api#jsonName") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()).filter(|s| s != name),
            Some(other) => {
                return Err(err(format!(
                    "`smithy.api#jsonName` `{other}` is not a string"
                )))
            }
        };
        let default = match trait_of(raw, "smithy.api#default") {
            Some(Value::Null) => None,
            Some(v) => Some(v.clone()),
            None if self.v1 && in_structure => self.v1_default(target_id, raw),
            None => None,
        };
        let media_type = self
            .shapes
            .get(target_id)
            .and_then(|t| trait_of(t, "smithy.api#mediaType"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let has = |t: &str| trait_of(raw, t).is_some();
        Ok(Member {
            name: name.to_string(),
            target,
            documentation: doc_of(raw),
            required: has("smithy.api#required"),
            location: location(raw, name).map_err(err)?,
            json_name,
            timestamp_format: timestamp_format(raw).map_err(err)?,
            idempotency_token: has("smithy.api#idempotencyToken"),
            host_label: has("smithy.api#hostLabel"),
            default,
            deprecated: has("smithy.api#deprecated"),
            sensitive: has("smithy.api#sensitive"),
            media_type,
            constraints: constraints(raw).map_err(err)?,
            rust_name: String::new(),
            boxed: false,
        })
    }

    /// IDL 1.0: a member targeting an unboxed number or boolean defaults to zero.
    fn v1_default(&self, target_id: &str, member: &Value) -> Option<Value> {
        if trait_of(member, "smithy.api#box").is_some() {
            return None;
        }
        let zero = |ty: &str| match ty {
            "boolean" => Some(Value::Bool(false)),
            "byte" | "short" | "integer" | "long" | "float" | "double" => Some(Value::from(0)),
            _ => None,
        };
        if let Some(p) = target_id.strip_prefix("smithy.api#Primitive") {
            return zero(&p.to_lowercase());
        }
        if target_id.starts_with("smithy.api#") {
            return None;
        }
        let t = self.shapes.get(target_id)?;
        if trait_of(t, "smithy.api#box").is_some() {
            return None;
        }
        zero(type_of(t)?)
    }
}

/// Add a converted shape, refusing two ids with the same IR name (unless one is
/// a prelude shape and both are identical).
fn insert(
    out: &mut BTreeMap<String, Shape>,
    origin: &mut BTreeMap<String, String>,
    id: &str,
    shape: Shape,
) -> Result<()> {
    let name = shape.name.clone();
    let Some(prev) = origin.get(&name).cloned() else {
        origin.insert(name.clone(), id.to_string());
        out.insert(name, shape);
        return Ok(());
    };
    let with_prelude = prelude(&prev).is_some() || prelude(id).is_some();
    if with_prelude && out.get(&name) == Some(&shape) {
        if prelude(&prev).is_some() {
            origin.insert(name, id.to_string());
        }
        return Ok(());
    }
    let (a, b) = if prev.as_str() < id {
        (prev.as_str(), id)
    } else {
        (id, prev.as_str())
    };
    let why = if with_prelude {
        " and differ (a model shape may share a prelude shape's name only if identical)"
    } else {
        ""
    };
    Err(Error::shape(
        &name,
        format!("`{a}` and `{b}` would both be named `{name}`{why}"),
    ))
}

/// The IR name and kind of a prelude shape used as a target.
fn prelude(id: &str) -> Option<(&'static str, ShapeKind)> {
    Some(match id.strip_prefix("smithy.api#")? {
        "String" => ("String", ShapeKind::String),
        "Blob" => ("Blob", ShapeKind::Blob { streaming: false }),
        "Boolean" | "PrimitiveBoolean" => ("Boolean", ShapeKind::Boolean),
        "Byte" | "PrimitiveByte" => ("Byte", ShapeKind::Byte),
        "Short" | "PrimitiveShort" => ("Short", ShapeKind::Short),
        "Integer" | "PrimitiveInteger" => ("Integer", ShapeKind::Integer),
        "Long" | "PrimitiveLong" => ("Long", ShapeKind::Long),
        "Float" | "PrimitiveFloat" => ("Float", ShapeKind::Float),
        "Double" | "PrimitiveDouble" => ("Double", ShapeKind::Double),
        "BigInteger" => ("BigInteger", ShapeKind::BigInteger),
        "BigDecimal" => ("BigDecimal", ShapeKind::BigDecimal),
        "Timestamp" => ("Timestamp", ShapeKind::Timestamp(None)),
        "Document" => ("Document", ShapeKind::Document),
        "Unit" => ("Unit", ShapeKind::Structure(Vec::new())),
        _ => return None,
    })
}

fn synthesized(name: &str, kind: ShapeKind) -> Shape {
    Shape {
        name: name.to_string(),
        kind,
        documentation: None,
        sensitive: false,
        deprecated: false,
        event_stream: false,
        constraints: Constraints::default(),
        error: None,
        rust_name: String::new(),
        module: ShapeModule::None,
        fn_name: String::new(),
    }
}

/// A shape's `type`.
fn type_of(v: &Value) -> Option<&str> {
    v.get("type").and_then(Value::as_str)
}

/// The value of trait `name` on a shape or member.
fn trait_of<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.get("traits")?.get(name)
}

fn doc_of(v: &Value) -> Option<String> {
    trait_of(v, "smithy.api#documentation")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The id in `{"target": id}`.
fn target_of(v: &Value) -> Result<String, String> {
    v.get("target")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("`{v}` is not a `{{\"target\": ...}}` reference"))
}

/// The ids in a list of `{"target": id}`.
fn targets(v: Option<&Value>) -> Result<Vec<String>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => a.iter().map(target_of).collect(),
        Some(other) => Err(format!(
            "`{other}` is not a list of `{{\"target\": ...}}` references"
        )),
    }
}

/// Merge the operation's `@paginated` over the service's.
fn paginated(name: &str, op: &Value, service: &Value) -> Result<Option<Pagination>> {
    let Some(own) = trait_of(op, "smithy.api#paginated") else {
        return Ok(None);
    };
    let defaults = trait_of(service, "smithy.api#paginated");
    let field = |k: &str| -> Result<Option<String>> {
        match own.get(k).or_else(|| defaults.and_then(|d| d.get(k))) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(Error::shape(
                name,
                format!("`smithy.api#paginated` `{k}` `{other}` is not a string"),
            )),
        }
    };
    let required = |k: &str| {
        field(k)?.ok_or_else(|| {
            Error::shape(
                name,
                format!("is @paginated without `{k}` (on the operation or the service)"),
            )
        })
    };
    Ok(Some(Pagination {
        input_token: required("inputToken")?,
        output_token: required("outputToken")?,
        items: field("items")?,
        page_size: field("pageSize")?,
    }))
}

/// The HTTP binding of a member, from its traits.
fn location(raw: &Value, name: &str) -> Result<Location, String> {
    let text = |t: &str| match trait_of(raw, t) {
        Some(Value::String(s)) => Ok(s.clone()),
        other => Err(format!(
            "`{t}` must be a string, not `{}`",
            other.cloned().unwrap_or_default()
        )),
    };
    let mut found: Vec<(&str, Location)> = Vec::new();
    let traits = [
        "smithy.api#httpLabel",
        "smithy.api#httpQuery",
        "smithy.api#httpQueryParams",
        "smithy.api#httpHeader",
        "smithy.api#httpPrefixHeaders",
        "smithy.api#httpPayload",
        "smithy.api#httpResponseCode",
        "smithy.api#eventHeader",
        "smithy.api#eventPayload",
    ];
    for t in traits {
        if trait_of(raw, t).is_none() {
            continue;
        }
        let location = match t {
            "smithy.api#httpLabel" => Location::Label(name.to_string()),
            "smithy.api#httpQuery" => Location::Query(text(t)?),
            "smithy.api#httpQueryParams" => Location::QueryParams,
            "smithy.api#httpHeader" => Location::Header(text(t)?),
            "smithy.api#httpPrefixHeaders" => Location::PrefixHeaders(text(t)?),
            "smithy.api#httpPayload" => Location::Payload,
            "smithy.api#eventHeader" => Location::EventHeader,
            "smithy.api#eventPayload" => Location::EventPayload,
            _ => Location::StatusCode,
        };
        found.push((t, location));
    }
    match found.as_slice() {
        [] => Ok(Location::Body),
        [(_, l)] => Ok(l.clone()),
        many => {
            let names: Vec<String> = many.iter().map(|(t, _)| format!("`{t}`")).collect();
            Err(format!(
                "has several HTTP binding traits ({})",
                names.join(", ")
            ))
        }
    }
}

fn timestamp_format(raw: &Value) -> Result<Option<TimestampFormat>, String> {
    match trait_of(raw, "smithy.api#timestampFormat") {
        None => Ok(None),
        Some(v) => match v.as_str() {
            Some("date-time") => Ok(Some(TimestampFormat::DateTime)),
            Some("http-date") => Ok(Some(TimestampFormat::HttpDate)),
            Some("epoch-seconds") => Ok(Some(TimestampFormat::EpochSeconds)),
            _ => Err(format!(
                "has unknown `smithy.api#timestampFormat` `{v}` (expected date-time, http-date or epoch-seconds)"
            )),
        },
    }
}

/// `@length`, `@range` and `@pattern`.
fn constraints(raw: &Value) -> Result<Constraints, String> {
    let length = match trait_of(raw, "smithy.api#length") {
        None => None,
        Some(l) => Some(Bounds {
            min: length_bound(l.get("min"), "`smithy.api#length` min")?,
            max: length_bound(l.get("max"), "`smithy.api#length` max")?,
        }),
    };
    let range = match trait_of(raw, "smithy.api#range") {
        None => None,
        Some(r) => Some(RangeBounds {
            min: range_bound(r.get("min"), "`smithy.api#range` min")?,
            max: range_bound(r.get("max"), "`smithy.api#range` max")?,
        }),
    };
    let pattern = match trait_of(raw, "smithy.api#pattern") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(format!("`smithy.api#pattern` `{other}` is not a string")),
    };
    Ok(Constraints {
        length,
        range,
        pattern,
        max_total_bytes: None,
    })
}

fn error_trait(name: &str, raw: &Value) -> Result<Option<ErrorTrait>> {
    let Some(e) = trait_of(raw, "smithy.api#error") else {
        return Ok(None);
    };
    let fault = match e.as_str() {
        Some("client") => Fault::Client,
        Some("server") => Fault::Server,
        _ => {
            return Err(Error::shape(
                name,
                format!("`smithy.api#error` `{e}` is neither \"client\" nor \"server\""),
            ))
        }
    };
    let http_status = http_status(
        trait_of(raw, "smithy.api#httpError"),
        "`smithy.api#httpError`",
    )
    .map_err(|m| Error::shape(name, m))?;
    let code = error_code(trait_of(raw, "aws.protocols#awsQueryError"), name);
    let retryable = retryable(trait_of(raw, "smithy.api#retryable"));
    Ok(Some(ErrorTrait {
        fault,
        http_status,
        code,
        retryable,
    }))
}

/// IDL 1.0 `@enum` on a string.
fn enum_trait(name: &str, v: &Value) -> Result<Vec<EnumValue>> {
    let entries = v
        .as_array()
        .ok_or_else(|| Error::shape(name, "`smithy.api#enum` is not a list"))?;
    entries
        .iter()
        .map(|e| {
            let value = e.get("value").and_then(Value::as_str).ok_or_else(|| {
                Error::shape(
                    name,
                    format!("`smithy.api#enum` entry `{e}` has no `value` string"),
                )
            })?;
            Ok(EnumValue {
                value: value.to_string(),
                documentation: e
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                rust_name: String::new(),
            })
        })
        .collect()
}

fn enum_shape_members<'a>(name: &str, raw: &'a Value) -> Result<&'a Map<String, Value>> {
    raw.get("members")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::shape(name, "has no `members` object"))
}

/// IDL 2.0 `enum`: each member's `@enumValue` (its name when absent).
fn enum_members(name: &str, raw: &Value) -> Result<Vec<EnumValue>> {
    enum_shape_members(name, raw)?
        .iter()
        .map(|(m, v)| {
            let value = match trait_of(v, "smithy.api#enumValue") {
                None => m.clone(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => {
                    return Err(Error::member(
                        name,
                        m,
                        format!("`smithy.api#enumValue` `{other}` is not a string"),
                    ))
                }
            };
            Ok(EnumValue {
                value,
                documentation: doc_of(v),
                rust_name: String::new(),
            })
        })
        .collect()
}

/// IDL 2.0 `intEnum`: each member's integer `@enumValue`.
fn int_enum_members(name: &str, raw: &Value) -> Result<Vec<IntEnumValue>> {
    enum_shape_members(name, raw)?
        .iter()
        .map(|(m, v)| {
            let value = trait_of(v, "smithy.api#enumValue")
                .and_then(Value::as_i64)
                .ok_or_else(|| Error::member(name, m, "has no integer `smithy.api#enumValue`"))?;
            Ok(IntEnumValue {
                name: m.clone(),
                value,
                documentation: doc_of(v),
                rust_name: String::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Retryable;
    use serde_json::json;

    fn service(extra: Value) -> Value {
        let mut svc = json!({
            "type": "service", "version": "2024-01-01",
            "traits": {"aws.api#service": {"sdkId": "Example Svc"}, "aws.protocols#restJson1": {}}
        });
        if let (Some(s), Some(e)) = (svc.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                s.insert(k.clone(), v.clone());
            }
        }
        svc
    }

    fn op(input: &str, output: &str) -> Value {
        json!({"type": "operation", "input": {"target": input}, "output": {"target": output},
               "traits": {"smithy.api#http": {"method": "POST", "uri": "/"}}})
    }

    fn model(shapes: Value) -> Value {
        json!({"smithy": "2.0", "shapes": shapes})
    }

    fn members_of(svc: &Service, shape: &str) -> Vec<Member> {
        match &svc.shape(shape).kind {
            ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn service_facts_default_sensibly() {
        let svc = load(&model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": op("smithy.api#Unit", "smithy.api#Unit"),
        })))
        .unwrap();
        assert_eq!(svc.service_id, "Example Svc");
        assert_eq!(
            svc.endpoint_prefix, "example svc",
            "sdkId lowercased without endpointPrefix/arnNamespace"
        );
        assert_eq!(svc.signing_name, "example svc");
        assert_eq!(svc.title, "Example Svc");
        let op = &svc.operations[0];
        assert_eq!(
            (op.input.as_deref(), op.output.as_deref()),
            (None, None),
            "Unit is no input/output"
        );
        assert!(svc.shapes.is_empty());
    }

    #[test]
    fn enums_prelude_and_unit_members() {
        let svc = load(&model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": op("ex#In", "smithy.api#Unit"),
            "ex#In": {"type": "structure", "members": {
                "old": {"target": "ex#Old"}, "new": {"target": "ex#New"}, "num": {"target": "ex#Num"},
                "p": {"target": "smithy.api#PrimitiveInteger", "traits": {"smithy.api#default": 0}},
                "i": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": null}},
                "s": {"target": "smithy.api#String"}, "s2": {"target": "ex#String"},
                "u": {"target": "ex#U"},
            }},
            "ex#String": {"type": "string"},
            "ex#Old": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "a-1", "name": "A1", "documentation": "first"}, {"value": "b"}]}},
            "ex#New": {"type": "enum", "members": {
                "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a-1"}},
                "B": {"target": "smithy.api#Unit"}}},
            "ex#Num": {"type": "intEnum", "members": {
                "ONE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}},
            "ex#U": {"type": "union", "members": {"nothing": {"target": "smithy.api#Unit"}}},
        })))
        .unwrap();
        let values = |n: &str| match &svc.shape(n).kind {
            ShapeKind::Enum(vs) => vs
                .iter()
                .map(|v| (v.value.clone(), v.documentation.clone()))
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            values("Old"),
            vec![("a-1".into(), Some("first".into())), ("b".into(), None)]
        );
        assert_eq!(
            values("New"),
            vec![("a-1".into(), None), ("B".into(), None)]
        );
        assert_eq!(
            svc.shape("Num").kind,
            ShapeKind::IntEnum(vec![IntEnumValue {
                name: "ONE".into(),
                value: 1,
                documentation: None,
                rust_name: String::new()
            }])
        );
        let names: Vec<_> = svc.shapes.keys().cloned().collect();
        assert_eq!(
            names,
            ["In", "Integer", "New", "Num", "Old", "String", "U", "Unit"]
        );
        assert_eq!(svc.shape("Unit").kind, ShapeKind::Structure(Vec::new()));
        let ms = members_of(&svc, "In");
        assert_eq!(ms[3].target, "Integer");
        assert_eq!(ms[3].default, Some(json!(0)));
        assert_eq!(ms[4].default, None, "@default(null) is no default");
        assert_eq!(
            (ms[5].target.as_str(), ms[6].target.as_str()),
            ("String", "String")
        );
    }

    #[test]
    fn a_prelude_name_taken_by_a_different_shape_is_an_error() {
        let e = load(&model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": op("ex#In", "smithy.api#Unit"),
            "ex#In": {"type": "structure", "members": {
                "a": {"target": "smithy.api#String"}, "b": {"target": "ex#String"}}},
            "ex#String": {"type": "string", "traits": {"smithy.api#pattern": "^a$"}},
        })))
        .unwrap_err()
        .into_only()
        .expect("one problem");
        assert_eq!(e.shape.as_deref(), Some("String"));
        assert!(
            e.message.starts_with(
                "`ex#String` and `smithy.api#String` would both be named `String` and differ"
            ),
            "{e}"
        );
    }

    #[test]
    fn an_error_code_is_its_aws_query_code_else_its_name() {
        let svc = load(&model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"},
                      "errors": [{"target": "ex#Coded"}, {"target": "ex#Plain"}],
                      "traits": {"smithy.api#http": {"method": "GET", "uri": "/"}}},
            "ex#In": {"type": "structure", "members": {}},
            "ex#Coded": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client",
                         "aws.protocols#awsQueryError": {"code": "Coded.Old", "httpResponseCode": 400}}},
            "ex#Plain": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "server"}},
        })))
        .unwrap();
        let code = |n: &str| svc.shape(n).error.as_ref().map(|t| t.code.clone());
        assert_eq!(code("Coded").as_deref(), Some("Coded.Old"));
        assert_eq!(code("Plain").as_deref(), Some("Plain"));
    }

    #[test]
    fn resources_rename_common_errors_and_service_pagination() {
        let svc = load(&model(json!({
            "ex#Svc": service(json!({
                "resources": [{"target": "ex#Room"}],
                "errors": [{"target": "other#Oops"}],
                "rename": {"other#Item": "OtherItem"},
                "traits": {"aws.api#service": {"sdkId": "Ex", "arnNamespace": "exarn"},
                           "aws.protocols#restJson1": {}, "aws.auth#sigv4": {"name": "exsign"},
                           "smithy.api#title": "Example", "smithy.api#paginated": {"inputToken": "next", "outputToken": "next"}},
            })),
            "ex#Room": {"type": "resource", "read": {"target": "ex#GetRoom"}, "resources": [{"target": "ex#Msg"}]},
            "ex#Msg": {"type": "resource", "list": {"target": "ex#ListMsgs"}, "operations": [{"target": "ex#GetRoom"}]},
            "ex#GetRoom": op("ex#Item", "other#Item"),
            "ex#ListMsgs": {"type": "operation", "input": {"target": "ex#ListIn"}, "output": {"target": "ex#ListOut"},
                            "errors": [{"target": "other#Oops"}],
                            "traits": {"smithy.api#http": {"method": "GET", "uri": "/m", "code": 201},
                                       "smithy.api#readonly": {}, "smithy.api#paginated": {"items": "items", "pageSize": "max"}}},
            "ex#ListIn": {"type": "structure", "members": {"next": {"target": "smithy.api#String"}, "max": {"target": "smithy.api#Integer"}}},
            "ex#ListOut": {"type": "structure", "members": {"next": {"target": "smithy.api#String"}, "items": {"target": "ex#Items"}}},
            "ex#Items": {"type": "list", "member": {"target": "ex#Item"}},
            "ex#Item": {"type": "structure", "members": {}},
            "other#Item": {"type": "structure", "members": {}},
            "other#Oops": {"type": "structure", "members": {},
                           "traits": {"smithy.api#error": "server", "smithy.api#httpError": 503, "smithy.api#retryable": {}}},
        })))
        .unwrap();
        let names: Vec<_> = svc.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["GetRoom", "ListMsgs"]);
        assert_eq!(
            (
                svc.endpoint_prefix.as_str(),
                svc.signing_name.as_str(),
                svc.title.as_str()
            ),
            ("exarn", "exsign", "Example")
        );
        assert_eq!(svc.operations[0].output.as_deref(), Some("OtherItem"));
        assert_eq!(svc.operations[0].errors, ["Oops"]);
        let list = &svc.operations[1];
        assert_eq!(list.errors, ["Oops"], "errors are deduplicated");
        assert_eq!((list.http.code, list.readonly), (201, true));
        assert_eq!(
            list.pagination,
            Some(Pagination {
                input_token: "next".into(),
                output_token: "next".into(),
                items: Some("items".into()),
                page_size: Some("max".into()),
            })
        );
        assert_eq!(
            svc.operations[0].pagination, None,
            "service defaults apply only to @paginated operations"
        );
        let oops = svc.shape("Oops").error.clone().unwrap();
        assert_eq!(
            (oops.fault, oops.http_status, oops.retryable),
            (
                Fault::Server,
                Some(503),
                Some(Retryable { throttling: false })
            )
        );
    }

    #[test]
    fn member_traits() {
        let svc = load(&model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": op("ex#In", "ex#Out"),
            "ex#In": {"type": "structure", "members": {
                "id": {"target": "ex#Id", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}, "smithy.api#hostLabel": {}}},
                "q": {"target": "ex#Id", "traits": {"smithy.api#httpQuery": "q", "smithy.api#length": {"min": 2}, "smithy.api#pattern": "^x"}},
                "h": {"target": "ex#Json", "traits": {"smithy.api#httpHeader": "X-J"}},
                "meta": {"target": "ex#Meta", "traits": {"smithy.api#httpPrefixHeaders": "x-m-"}},
                "all": {"target": "ex#Meta", "traits": {"smithy.api#httpQueryParams": {}}},
                "tok": {"target": "ex#Id", "traits": {"smithy.api#idempotencyToken": {}, "smithy.api#jsonName": "Tok"}},
                "when": {"target": "ex#When", "traits": {"smithy.api#timestampFormat": "epoch-seconds"}},
            }},
            "ex#Out": {"type": "structure", "members": {
                "body": {"target": "ex#Data", "traits": {"smithy.api#httpPayload": {}}},
                "code": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpResponseCode": {}}},
            }},
            "ex#Id": {"type": "string"},
            "ex#Json": {"type": "string", "traits": {"smithy.api#mediaType": "application/json"}},
            "ex#Data": {"type": "blob", "traits": {"smithy.api#mediaType": "image/png", "smithy.api#streaming": {}}},
            "ex#Meta": {"type": "map", "key": {"target": "ex#Id"}, "value": {"target": "ex#Id"}},
            "ex#When": {"type": "timestamp", "traits": {"smithy.api#timestampFormat": "http-date"}},
        })))
        .unwrap();
        let ms = members_of(&svc, "In");
        let locs: Vec<_> = ms.iter().map(|m| m.location.clone()).collect();
        assert_eq!(
            locs,
            [
                Location::Label("id".into()),
                Location::Query("q".into()),
                Location::Header("X-J".into()),
                Location::PrefixHeaders("x-m-".into()),
                Location::QueryParams,
                Location::Body,
                Location::Body,
            ]
        );
        assert!(ms[0].required && ms[0].host_label);
        assert_eq!(
            ms[1].constraints.length,
            Some(Bounds {
                min: Some(2),
                max: None
            })
        );
        assert_eq!(ms[1].constraints.pattern.as_deref(), Some("^x"));
        assert_eq!(ms[2].media_type.as_deref(), Some("application/json"));
        assert!(ms[5].idempotency_token);
        assert_eq!(ms[5].json_name.as_deref(), Some("Tok"));
        assert_eq!(ms[6].timestamp_format, Some(TimestampFormat::EpochSeconds));
        assert_eq!(
            svc.shape("When").kind,
            ShapeKind::Timestamp(Some(TimestampFormat::HttpDate))
        );
        let out = members_of(&svc, "Out");
        assert_eq!(
            (out[0].location.clone(), out[0].media_type.as_deref()),
            (Location::Payload, Some("image/png"))
        );
        assert_eq!(svc.shape("Data").kind, ShapeKind::Blob { streaming: true });
        assert_eq!(out[1].location, Location::StatusCode);
    }

    #[test]
    fn event_stream_traits() {
        let svc = load(&model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": op("smithy.api#Unit", "ex#Out"),
            "ex#Out": {"type": "structure", "members": {
                "events": {"target": "ex#Events", "traits": {"smithy.api#httpPayload": {}}},
            }},
            "ex#Events": {"type": "union", "traits": {"smithy.api#streaming": {}}, "members": {
                "chunk": {"target": "ex#Chunk"},
            }},
            "ex#Chunk": {"type": "structure", "members": {
                "seq": {"target": "smithy.api#Integer", "traits": {"smithy.api#eventHeader": {}}},
                "data": {"target": "smithy.api#Blob", "traits": {"smithy.api#eventPayload": {}}},
            }},
        })))
        .unwrap();
        let out = members_of(&svc, "Out");
        assert_eq!(out[0].location, Location::EventStream);
        assert!(out[0].required);
        let chunk: Vec<_> = members_of(&svc, "Chunk")
            .iter()
            .map(|m| m.location.clone())
            .collect();
        assert_eq!(chunk, [Location::EventHeader, Location::EventPayload]);
    }

    #[test]
    fn idl_1_unboxed_members_default_to_zero() {
        let mut m = model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": op("ex#In", "smithy.api#Unit"),
            "ex#In": {"type": "structure", "members": {
                "a": {"target": "ex#Count"}, "b": {"target": "ex#Boxed"},
                "c": {"target": "smithy.api#PrimitiveBoolean"}, "d": {"target": "smithy.api#Integer"},
                "e": {"target": "ex#Count", "traits": {"smithy.api#box": {}}},
            }},
            "ex#Count": {"type": "integer"},
            "ex#Boxed": {"type": "integer", "traits": {"smithy.api#box": {}}},
        }));
        m["smithy"] = json!("1.0");
        let svc = load(&m).unwrap();
        let defaults: Vec<_> = members_of(&svc, "In")
            .into_iter()
            .map(|m| m.default)
            .collect();
        assert_eq!(
            defaults,
            [Some(json!(0)), None, Some(json!(false)), None, None]
        );
    }

    #[test]
    fn several_bindings_on_one_member_are_an_error() {
        let e = load(&model(json!({
            "ex#Svc": service(json!({"operations": [{"target": "ex#Op"}]})),
            "ex#Op": op("ex#In", "smithy.api#Unit"),
            "ex#In": {"type": "structure", "members": {
                "x": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "X", "smithy.api#httpQuery": "x"}}}},
        })))
        .unwrap_err()
        .into_only()
        .expect("one problem");
        assert_eq!(
            (e.shape.as_deref(), e.member.as_deref()),
            (Some("In"), Some("x"))
        );
        assert_eq!(
            e.message,
            "has several HTTP binding traits (`smithy.api#httpQuery`, `smithy.api#httpHeader`)"
        );
    }
}
