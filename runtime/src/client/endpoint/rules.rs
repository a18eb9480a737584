//! A small interpreter for Smithy endpoint rule sets (`smithy.rules#endpointRuleSet`).
//!
//! The JSON rule set is parsed once into [`RuleSet`] (unknown functions,
//! malformed rules and templates are reported then, with their JSON path) and
//! evaluated per parameter set: rules are tried in order; a rule applies when
//! every condition holds (a function result that is `false` or unset fails);
//! `assign` binds a condition's result for the rest of the rule; tree rules
//! are terminal (if their conditions hold, one of their rules must apply).

use serde_json::{Map, Value};

use super::functions;
use super::partitions::Partitions;
use super::{Endpoint, EndpointError};

/// A parsed endpoint rule set.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    pub(crate) params: Vec<ParamDef>,
    rules: Vec<Rule>,
}

/// One declared parameter.
#[derive(Debug, Clone)]
pub(crate) struct ParamDef {
    pub(crate) name: String,
    pub(crate) kind: ParamKind,
    pub(crate) required: bool,
    pub(crate) default: Option<Value>,
    pub(crate) builtin: Option<String>,
}

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    String,
    Boolean,
    StringArray,
}

#[derive(Debug, Clone)]
struct Rule {
    conditions: Vec<Condition>,
    kind: RuleKind,
}

#[derive(Debug, Clone)]
enum RuleKind {
    Endpoint {
        url: Expr,
        headers: Vec<(String, Vec<Expr>)>,
        properties: Expr,
    },
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone)]
struct Condition {
    call: Expr,
    assign: Option<String>,
}

#[derive(Debug, Clone)]
enum Expr {
    Template(Vec<Part>),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Ref(String),
    GetAttr(Box<Expr>, Vec<PathStep>),
    Call(Function, Vec<Expr>),
}

/// A piece of a template string: literal text, `{Ref}` or `{Ref#path}`.
#[derive(Debug, Clone)]
enum Part {
    Literal(String),
    Ref(String),
    Attr(String, Vec<PathStep>),
}

#[derive(Debug, Clone, PartialEq)]
enum PathStep {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    Partition,
    ParseArn,
    IsValidHostLabel,
    IsVirtualHostableS3Bucket,
    ParseUrl,
    Substring,
    UriEncode,
}

impl Function {
    fn from_name(name: &str) -> Option<(Function, usize)> {
        Some(match name {
            "isSet" => (Function::IsSet, 1),
            "not" => (Function::Not, 1),
            "booleanEquals" => (Function::BooleanEquals, 2),
            "stringEquals" => (Function::StringEquals, 2),
            "aws.partition" => (Function::Partition, 1),
            "aws.parseArn" => (Function::ParseArn, 1),
            "isValidHostLabel" => (Function::IsValidHostLabel, 2),
            "aws.isVirtualHostableS3Bucket" => (Function::IsVirtualHostableS3Bucket, 2),
            "parseURL" => (Function::ParseUrl, 1),
            "substring" => (Function::Substring, 4),
            "uriEncode" => (Function::UriEncode, 1),
            _ => return None,
        })
    }
}

// ---------------------------------------------------------------- parsing

fn invalid(path: &str, message: impl Into<String>) -> EndpointError {
    EndpointError::InvalidRuleSet {
        path: path.to_owned(),
        message: message.into(),
    }
}

fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, EndpointError> {
    value
        .as_object()
        .ok_or_else(|| invalid(path, "expected an object"))
}

fn array<'a>(value: Option<&'a Value>, path: &str) -> Result<&'a [Value], EndpointError> {
    value
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| invalid(path, "expected an array"))
}

fn string<'a>(value: Option<&'a Value>, path: &str) -> Result<&'a str, EndpointError> {
    value
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(path, "expected a string"))
}

impl RuleSet {
    /// Parses a rule set document.
    pub(crate) fn from_value(doc: &Value) -> Result<Self, EndpointError> {
        let root = object(doc, "$")?;
        let params = object(
            root.get("parameters").unwrap_or(&Value::Null),
            "$.parameters",
        )?
        .iter()
        .map(|(name, def)| parse_param(name, def))
        .collect::<Result<Vec<_>, _>>()?;
        let rules = parse_rules(root.get("rules"), "$.rules")?;
        Ok(RuleSet { params, rules })
    }

    /// Evaluates the rules against `params` (already validated and defaulted).
    pub(crate) fn evaluate(
        &self,
        params: &Map<String, Value>,
        partitions: &Partitions,
    ) -> Result<Endpoint, EndpointError> {
        let mut scope = Scope {
            params,
            locals: Vec::new(),
            partitions,
        };
        eval_rules(&self.rules, &mut scope)?.ok_or(EndpointError::NoRuleMatched)
    }
}

fn parse_param(name: &str, def: &Value) -> Result<ParamDef, EndpointError> {
    let path = format!("$.parameters.{name}");
    let def = object(def, &path)?;
    let kind = match string(def.get("type"), &format!("{path}.type"))?
        .to_ascii_lowercase()
        .as_str()
    {
        "string" => ParamKind::String,
        "boolean" => ParamKind::Boolean,
        "stringarray" => ParamKind::StringArray,
        other => return Err(invalid(&path, format!("unknown parameter type `{other}`"))),
    };
    Ok(ParamDef {
        name: name.to_owned(),
        kind,
        required: def
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        default: def.get("default").cloned(),
        builtin: def
            .get("builtIn")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

fn parse_rules(value: Option<&Value>, path: &str) -> Result<Vec<Rule>, EndpointError> {
    array(value, path)?
        .iter()
        .enumerate()
        .map(|(i, r)| parse_rule(r, &format!("{path}[{i}]")))
        .collect()
}

fn parse_rule(value: &Value, path: &str) -> Result<Rule, EndpointError> {
    let rule = object(value, path)?;
    let conditions = array(rule.get("conditions"), &format!("{path}.conditions"))?
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cpath = format!("{path}.conditions[{i}]");
            let call = parse_expr(c, &cpath)?;
            if !matches!(call, Expr::Call(..) | Expr::GetAttr(..)) {
                return Err(invalid(&cpath, "a condition must be a function call"));
            }
            let assign = object(c, &cpath)?
                .get("assign")
                .map(|a| string(Some(a), &cpath).map(str::to_owned))
                .transpose()?;
            Ok(Condition { call, assign })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let kind = match string(rule.get("type"), &format!("{path}.type"))? {
        "endpoint" => {
            let epath = format!("{path}.endpoint");
            let endpoint = object(rule.get("endpoint").unwrap_or(&Value::Null), &epath)?;
            let url = parse_expr(
                endpoint.get("url").unwrap_or(&Value::Null),
                &format!("{epath}.url"),
            )?;
            let headers = match endpoint.get("headers") {
                None => Vec::new(),
                Some(h) => object(h, &format!("{epath}.headers"))?
                    .iter()
                    .map(|(name, values)| {
                        let hpath = format!("{epath}.headers.{name}");
                        let exprs = array(Some(values), &hpath)?
                            .iter()
                            .map(|v| parse_expr(v, &hpath))
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok((name.clone(), exprs))
                    })
                    .collect::<Result<Vec<_>, EndpointError>>()?,
            };
            let properties = match endpoint.get("properties") {
                None => Expr::Object(Vec::new()),
                Some(p) => parse_expr(p, &format!("{epath}.properties"))?,
            };
            RuleKind::Endpoint {
                url,
                headers,
                properties,
            }
        }
        "error" => RuleKind::Error(parse_expr(
            rule.get("error").unwrap_or(&Value::Null),
            &format!("{path}.error"),
        )?),
        "tree" => RuleKind::Tree(parse_rules(rule.get("rules"), &format!("{path}.rules"))?),
        other => return Err(invalid(path, format!("unknown rule type `{other}`"))),
    };
    Ok(Rule { conditions, kind })
}

fn parse_expr(value: &Value, path: &str) -> Result<Expr, EndpointError> {
    match value {
        Value::String(s) => Ok(Expr::Template(parse_template(s, path)?)),
        Value::Bool(b) => Ok(Expr::Bool(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(Expr::Int)
            .ok_or_else(|| invalid(path, "expected an integer")),
        Value::Array(items) => Ok(Expr::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| parse_expr(v, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        )),
        Value::Object(map) => {
            if let Some(name) = map.get("ref") {
                return Ok(Expr::Ref(string(Some(name), path)?.to_owned()));
            }
            if let Some(name) = map.get("fn") {
                let name = string(Some(name), path)?;
                let argv = array(map.get("argv"), &format!("{path}.argv"))?;
                let args = argv
                    .iter()
                    .enumerate()
                    .map(|(i, a)| parse_expr(a, &format!("{path}.argv[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                if name == "getAttr" {
                    let [target, Expr::Template(parts)] = <[Expr; 2]>::try_from(args)
                        .map_err(|_| invalid(path, "getAttr takes an object and a path"))?
                    else {
                        return Err(invalid(path, "getAttr's path must be a literal string"));
                    };
                    let [Part::Literal(attr)] = parts.as_slice() else {
                        return Err(invalid(path, "getAttr's path must be a literal string"));
                    };
                    return Ok(Expr::GetAttr(
                        Box::new(target),
                        parse_attr_path(attr, path)?,
                    ));
                }
                let (function, arity) = Function::from_name(name)
                    .ok_or_else(|| invalid(path, format!("unknown function `{name}`")))?;
                if args.len() != arity {
                    return Err(invalid(
                        path,
                        format!("`{name}` takes {arity} arguments, got {}", args.len()),
                    ));
                }
                return Ok(Expr::Call(function, args));
            }
            Ok(Expr::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), parse_expr(v, &format!("{path}.{k}"))?)))
                    .collect::<Result<_, EndpointError>>()?,
            ))
        }
        Value::Null => Err(invalid(path, "missing value")),
    }
}

/// Parses `"https://{Region}.{PartitionResult#dnsSuffix}"`-style templates;
/// `{{` and `}}` stand for literal braces.
fn parse_template(text: &str, path: &str) -> Result<Vec<Part>, EndpointError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => inner.push(ch),
                        None => {
                            return Err(invalid(
                                path,
                                format!("unclosed `{{` in template `{text}`"),
                            ))
                        }
                    }
                }
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(match inner.split_once('#') {
                    Some((name, attr)) => Part::Attr(name.to_owned(), parse_attr_path(attr, path)?),
                    None => Part::Ref(inner),
                });
            }
            '}' => {
                return Err(invalid(
                    path,
                    format!("unmatched `}}` in template `{text}`"),
                ))
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(parts)
}

/// Parses a getAttr path such as `resourceId[2]` or `authSchemes[0].name`.
fn parse_attr_path(attr: &str, path: &str) -> Result<Vec<PathStep>, EndpointError> {
    let bad = || invalid(path, format!("invalid attribute path `{attr}`"));
    let mut steps = Vec::new();
    for segment in attr.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            steps.push(PathStep::Key(key.to_owned()));
        }
        while let Some(open) = rest.strip_prefix('[') {
            let (index, after) = open.split_once(']').ok_or_else(bad)?;
            steps.push(PathStep::Index(index.parse().map_err(|_| bad())?));
            rest = after;
        }
        if !rest.is_empty() || (key.is_empty() && steps.is_empty()) {
            return Err(bad());
        }
    }
    Ok(steps)
}

// ------------------------------------------------------------- evaluation

struct Scope<'a> {
    params: &'a Map<String, Value>,
    locals: Vec<(String, Value)>,
    partitions: &'a Partitions,
}

impl Scope<'_> {
    fn lookup(&self, name: &str) -> Option<Value> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .or_else(|| self.params.get(name).cloned())
            .filter(|v| !v.is_null())
    }
}

fn eval_rules(rules: &[Rule], scope: &mut Scope<'_>) -> Result<Option<Endpoint>, EndpointError> {
    for rule in rules {
        let mark = scope.locals.len();
        let result = eval_rule(rule, scope);
        scope.locals.truncate(mark);
        if let Some(endpoint) = result? {
            return Ok(Some(endpoint));
        }
    }
    Ok(None)
}

/// `Ok(None)` if the rule's conditions do not hold.
fn eval_rule(rule: &Rule, scope: &mut Scope<'_>) -> Result<Option<Endpoint>, EndpointError> {
    for condition in &rule.conditions {
        match eval(&condition.call, scope)? {
            None | Some(Value::Bool(false)) => return Ok(None),
            Some(value) => {
                if let Some(name) = &condition.assign {
                    scope.locals.push((name.clone(), value));
                }
            }
        }
    }
    match &rule.kind {
        RuleKind::Endpoint {
            url,
            headers,
            properties,
        } => {
            let url = eval_string(url, scope, "endpoint url")?;
            let mut out_headers = Vec::new();
            for (name, values) in headers {
                for value in values {
                    out_headers.push((name.clone(), eval_string(value, scope, "endpoint header")?));
                }
            }
            let properties = match eval(properties, scope)? {
                Some(Value::Object(map)) => map,
                _ => Map::new(),
            };
            Ok(Some(Endpoint {
                url,
                headers: out_headers,
                properties,
            }))
        }
        RuleKind::Error(message) => Err(EndpointError::Rule(eval_string(
            message,
            scope,
            "error message",
        )?)),
        RuleKind::Tree(rules) => eval_rules(rules, scope)?
            .map(Some)
            .ok_or(EndpointError::NoRuleMatched),
    }
}

fn eval_string(expr: &Expr, scope: &Scope<'_>, what: &str) -> Result<String, EndpointError> {
    match eval(expr, scope)? {
        Some(Value::String(s)) => Ok(s),
        other => Err(EndpointError::Evaluation(format!(
            "{what} evaluated to {other:?}, not a string"
        ))),
    }
}

/// Evaluates `expr`; `None` is "unset" (a missing parameter, a function
/// result of none, a missing attribute).
fn eval(expr: &Expr, scope: &Scope<'_>) -> Result<Option<Value>, EndpointError> {
    Ok(match expr {
        Expr::Template(parts) => {
            let mut out = String::new();
            for part in parts {
                let value = match part {
                    Part::Literal(text) => {
                        out.push_str(text);
                        continue;
                    }
                    Part::Ref(name) => scope.lookup(name),
                    Part::Attr(name, steps) => scope.lookup(name).and_then(|v| get_attr(&v, steps)),
                };
                match value {
                    Some(Value::String(s)) => out.push_str(&s),
                    other => {
                        return Err(EndpointError::Evaluation(format!(
                            "template value is {other:?}, not a string"
                        )))
                    }
                }
            }
            Some(Value::String(out))
        }
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Int(i) => Some(Value::from(*i)),
        Expr::Array(items) => Some(Value::Array(
            items
                .iter()
                .map(|i| Ok(eval(i, scope)?.unwrap_or(Value::Null)))
                .collect::<Result<_, EndpointError>>()?,
        )),
        Expr::Object(fields) => Some(Value::Object(
            fields
                .iter()
                .map(|(k, v)| Ok((k.clone(), eval(v, scope)?.unwrap_or(Value::Null))))
                .collect::<Result<_, EndpointError>>()?,
        )),
        Expr::Ref(name) => scope.lookup(name),
        Expr::GetAttr(target, steps) => eval(target, scope)?.and_then(|v| get_attr(&v, steps)),
        Expr::Call(function, args) => call(*function, args, scope)?,
    })
}

fn get_attr(value: &Value, steps: &[PathStep]) -> Option<Value> {
    let mut current = value;
    for step in steps {
        current = match step {
            PathStep::Key(key) => current.get(key.as_str())?,
            PathStep::Index(i) => current.get(*i)?,
        };
    }
    Some(current.clone()).filter(|v| !v.is_null())
}

fn call(
    function: Function,
    args: &[Expr],
    scope: &Scope<'_>,
) -> Result<Option<Value>, EndpointError> {
    let values = args
        .iter()
        .map(|a| eval(a, scope))
        .collect::<Result<Vec<_>, _>>()?;
    let str_arg = |i: usize| {
        values
            .get(i)
            .and_then(|v| v.as_ref())
            .and_then(Value::as_str)
    };
    let bool_arg = |i: usize| {
        values
            .get(i)
            .and_then(|v| v.as_ref())
            .and_then(Value::as_bool)
    };
    let int_arg = |i: usize| {
        values
            .get(i)
            .and_then(|v| v.as_ref())
            .and_then(Value::as_i64)
    };
    let type_error = |expected: &str| {
        EndpointError::Evaluation(format!("{function:?} expects {expected}, got {values:?}"))
    };
    Ok(match function {
        Function::IsSet => Some(Value::Bool(values.first().is_some_and(Option::is_some))),
        Function::Not => Some(Value::Bool(
            !bool_arg(0).ok_or_else(|| type_error("a boolean"))?,
        )),
        Function::BooleanEquals => Some(Value::Bool(
            matches!((bool_arg(0), bool_arg(1)), (Some(a), Some(b)) if a == b),
        )),
        Function::StringEquals => Some(Value::Bool(
            matches!((str_arg(0), str_arg(1)), (Some(a), Some(b)) if a == b),
        )),
        Function::Partition => str_arg(0).and_then(|region| scope.partitions.resolve(region)),
        Function::ParseArn => str_arg(0).and_then(functions::parse_arn),
        Function::ParseUrl => str_arg(0).and_then(functions::parse_url),
        Function::IsValidHostLabel => {
            Some(Value::Bool(str_arg(0).is_some_and(|s| {
                functions::is_valid_host_label(s, bool_arg(1).unwrap_or(false))
            })))
        }
        Function::IsVirtualHostableS3Bucket => Some(Value::Bool(str_arg(0).is_some_and(|s| {
            functions::is_virtual_hostable_s3_bucket(s, bool_arg(1).unwrap_or(false))
        }))),
        Function::Substring => match (str_arg(0), int_arg(1), int_arg(2), bool_arg(3)) {
            (Some(s), Some(start), Some(stop), Some(reverse)) => {
                functions::substring(s, start, stop, reverse).map(Value::String)
            }
            (None, ..) => None,
            _ => return Err(type_error("a string, two integers and a boolean")),
        },
        Function::UriEncode => str_arg(0).map(|s| Value::String(functions::uri_encode(s))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_templates_and_paths() {
        let parts = parse_template("https://{Region}.{P#a.b[1]}{{x}}", "$").unwrap();
        assert_eq!(parts.len(), 5);
        assert!(matches!(&parts[3], Part::Attr(n, s) if n == "P"
            && *s == [PathStep::Key("a".into()), PathStep::Key("b".into()), PathStep::Index(1)]));
        assert!(matches!(&parts[4], Part::Literal(l) if l == "{x}"));
        assert!(parse_template("{Region", "$").is_err());
        assert!(parse_attr_path("a[x]", "$").is_err());
        assert_eq!(parse_attr_path("[0]", "$").unwrap(), [PathStep::Index(0)]);
    }

    #[test]
    fn reports_unknown_functions_with_their_path() {
        let doc = json!({"version": "1.0", "parameters": {}, "rules": [
            {"type": "error", "conditions": [{"fn": "frobnicate", "argv": []}], "error": "x"}]});
        let err = RuleSet::from_value(&doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid endpoint rule set at $.rules[0].conditions[0]: unknown function `frobnicate`"
        );
    }
}
