//! Each operation's HTTP request as the emitter writes it: the method, and
//! the URI and endpoint host-prefix templates cut into literal pieces and
//! labels, each label bound to the input member that fills it.

use std::collections::BTreeMap;

use crate::error::{Diagnostics, Error};
use crate::ir::{Location, Member, Operation, Service, ShapeKind};

/// The request of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The URI template (`/tags/{resourceArn}`), possibly with a literal query.
    pub uri: Vec<Piece>,
    /// The endpoint host prefix (`{id}.data.`), if the operation has one.
    pub host_prefix: Option<Vec<Piece>>,
}

/// An HTTP method the generated crate sends (`awsrt::client::Method`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
    /// `PATCH`.
    Patch,
    /// `HEAD`.
    Head,
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text copied as is.
    Literal(String),
    /// A `{label}` (`{label+}`: greedy, its `/`s kept), filled from the
    /// input member at this index of the input's members.
    Label {
        /// Index in the input structure's members.
        member: usize,
        /// Whether the label is greedy.
        greedy: bool,
    },
}

/// The requests of every operation of `svc`, by operation name; each problem
/// (an unsupported method, an unclosed label, a label bound to no member, a
/// host label not targeting a string, an unsupported payload) goes to
/// `problems`.
pub(super) fn requests(svc: &Service, problems: &mut Diagnostics) -> BTreeMap<String, Request> {
    let mut out = BTreeMap::new();
    for op in &svc.operations {
        let members = svc.input_members(op);
        for m in members.iter().filter(|m| m.location == Location::Payload) {
            payload(svc, input_of(op), m, problems);
        }
        let method = method(op).map_err(|e| problems.push(e));
        let uri = uri(op, members).map_err(|e| problems.push(e));
        let host_prefix = host_prefix(svc, op, members).map_err(|e| problems.push(e));
        if let (Ok(method), Ok(uri), Ok(host_prefix)) = (method, uri, host_prefix) {
            out.insert(
                op.name.clone(),
                Request {
                    method,
                    uri,
                    host_prefix,
                },
            );
        }
    }
    out
}

fn method(op: &Operation) -> Result<Method, Error> {
    Ok(match op.http.method.as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "PATCH" => Method::Patch,
        "HEAD" => Method::Head,
        other => {
            return Err(Error::shape(
                op.name.clone(),
                format!("HTTP method `{other}` is not supported"),
            ))
        }
    })
}

/// The structure an operation's input members belong to, for problems
/// about them (the operation itself when it has no input).
fn input_of(op: &Operation) -> &str {
    op.input.as_deref().unwrap_or(&op.name)
}

/// A payload member (of structure `owner`) must be a blob, a string, an
/// enum, a structure, a union or a document.
fn payload(svc: &Service, owner: &str, m: &Member, problems: &mut Diagnostics) {
    if !matches!(
        svc.shape(&m.target).kind,
        ShapeKind::Blob { .. }
            | ShapeKind::String
            | ShapeKind::Enum(_)
            | ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::Document
    ) {
        problems.push(Error::member(
            owner,
            m.name.clone(),
            "an HTTP payload of this type is not supported by this generator",
        ));
    }
}

/// The URI template, each label bound to the input member with that
/// `@httpLabel`.
fn uri(op: &Operation, members: &[Member]) -> Result<Vec<Piece>, Error> {
    let mut out = Vec::new();
    for piece in pieces(op, &op.http.uri, "URI")? {
        let label = match piece {
            Text::Literal(literal) => {
                out.push(Piece::Literal(literal.to_string()));
                continue;
            }
            Text::Label(label) => label,
        };
        let (label, greedy) = match label.strip_suffix('+') {
            Some(l) => (l, true),
            None => (label, false),
        };
        let Some(member) = members
            .iter()
            .position(|m| m.location == Location::Label(label.to_string()))
        else {
            return Err(Error::shape(
                op.name.clone(),
                format!(
                    "URI label `{{{label}}}` in `{}` is bound to no input member",
                    op.http.uri
                ),
            ));
        };
        out.push(Piece::Label { member, greedy });
    }
    Ok(out)
}

/// The host prefix template, each label bound to the `@hostLabel` input
/// member of that name, which must target a string.
fn host_prefix(
    svc: &Service,
    op: &Operation,
    members: &[Member],
) -> Result<Option<Vec<Piece>>, Error> {
    let Some(template) = &op.host_prefix else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for piece in pieces(op, template, "the endpoint host prefix")? {
        let label = match piece {
            Text::Literal(literal) => {
                out.push(Piece::Literal(literal.to_string()));
                continue;
            }
            Text::Label(label) => label,
        };
        let Some(member) = members.iter().position(|m| m.host_label && m.name == label) else {
            return Err(Error::shape(
                op.name.clone(),
                format!("host prefix label `{{{label}}}` in `{template}` is bound to no `@hostLabel` input member"),
            ));
        };
        let m = &members[member];
        if !matches!(svc.shape(&m.target).kind, ShapeKind::String) {
            return Err(Error::member(
                input_of(op),
                m.name.clone(),
                "a host label must target a string shape",
            ));
        }
        out.push(Piece::Label {
            member,
            greedy: false,
        });
    }
    Ok(Some(out))
}

/// A piece of a template's text.
enum Text<'a> {
    Literal(&'a str),
    Label(&'a str),
}

/// `template` (`/tags/{resourceArn}`, `{id}.data.`) cut into its pieces; `what`
/// names it in the error for an unclosed label.
fn pieces<'a>(op: &Operation, template: &'a str, what: &str) -> Result<Vec<Text<'a>>, Error> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            out.push(Text::Literal(&rest[..start]));
        }
        let Some(end) = rest[start..].find('}') else {
            return Err(Error::shape(
                op.name.clone(),
                format!("unclosed label in {what} `{template}`"),
            ));
        };
        out.push(Text::Label(&rest[start + 1..start + end]));
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        out.push(Text::Literal(rest));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{Method, Piece, Request};
    use crate::pipeline;

    #[test]
    fn templates_are_cut_into_pieces_with_labels_bound_to_members() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("service-2.json");
        let doc = serde_json::json!({
            "version": "2.0",
            "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "ex", "protocol": "rest-json",
                         "serviceFullName": "Example", "serviceId": "Example"},
            "operations": {
                "Get": {"name": "Get", "http": {"method": "PUT", "requestUri": "/things/{Id}/{Key+}?x"},
                        "endpoint": {"hostPrefix": "{Account}."},
                        "input": {"shape": "GetRequest"}}
            },
            "shapes": {
                "GetRequest": {"type": "structure", "required": ["Id", "Key", "Account"], "members": {
                    "Account": {"shape": "S", "hostLabel": true},
                    "Key": {"shape": "S", "location": "uri", "locationName": "Key"},
                    "Id": {"shape": "S", "location": "uri", "locationName": "Id"}}},
                "S": {"type": "string"}
            }
        });
        std::fs::write(&path, doc.to_string()).expect("write the model");
        let resolved = pipeline::prepare(&path, None).unwrap_or_else(|e| panic!("{e}"));
        let literal = |s: &str| Piece::Literal(s.to_string());
        assert_eq!(
            resolved.requests["Get"],
            Request {
                method: Method::Put,
                uri: vec![
                    literal("/things/"),
                    Piece::Label {
                        member: 2,
                        greedy: false
                    },
                    literal("/"),
                    Piece::Label {
                        member: 1,
                        greedy: true
                    },
                    literal("?x"),
                ],
                host_prefix: Some(vec![
                    Piece::Label {
                        member: 0,
                        greedy: false
                    },
                    literal(".")
                ]),
            }
        );
    }
}
