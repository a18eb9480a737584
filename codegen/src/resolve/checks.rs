//! Model checks that produce no resolved data: what event messages can
//! carry, that media types are media types and header names tokens, and
//! which constraints the validators can check on a value's kind (asked by
//! the validation plan's walk, `validation.rs`, for each constraint it
//! meets). Each problem becomes a diagnostic; the emitters rely
//! on these checks having passed. Pagination is checked where it is read
//! (`load::check_pagination`).

use crate::error::{quoted, Diagnostics, Error};
use crate::ir::{Constraints, Location, Service, Shape, ShapeKind};

/// Every event of an event stream (a member that is not an error) is a
/// structure, whose `@eventHeader` members are scalars a header can carry and
/// whose `@eventPayload` member is a blob, a string, a structure, a union or
/// a document.
pub(super) fn events(svc: &Service, problems: &mut Diagnostics) {
    for stream in svc.shapes.values().filter(|s| s.event_stream) {
        for m in svc.stream_events(stream) {
            let event = svc.shape(&m.target);
            let ShapeKind::Structure(members) = &event.kind else {
                problems.push(Error::shape(
                    &event.name,
                    "is an event of an event stream but not a structure",
                ));
                continue;
            };
            for m in members {
                let kind = &svc.shape(&m.target).kind;
                let (place, fits) = match m.location {
                    Location::EventHeader => ("header", header_fits(kind)),
                    Location::EventPayload => ("payload", payload_fits(kind)),
                    _ => continue,
                };
                if !fits {
                    problems.push(Error::member(
                        &event.name,
                        &m.name,
                        format!("an event {place} cannot be {}", kind.a_name()),
                    ));
                }
            }
        }
    }
}

/// Every member's media type (Smithy `@mediaType` on its target; botocore's
/// `jsonvalue` gives `application/json`) is a media type: it becomes the
/// `content-type` header of the requests that send the member, as a string
/// literal (which escaping alone would keep from becoming code, but not from
/// being a header no request can carry).
pub(super) fn media_types(svc: &Service, problems: &mut Diagnostics) {
    for shape in svc.shapes.values() {
        for m in shape.children() {
            let Some(media_type) = &m.media_type else {
                continue;
            };
            if let Err(why) = media_type_syntax(media_type) {
                let text = quoted(media_type);
                problems.push(Error::member(
                    &shape.name,
                    &m.name,
                    format!(
                        "media type {text}of `{}` is not a media type: {why}",
                        m.target
                    ),
                ));
            }
        }
    }
}

/// Every header a member is bound to (`@httpHeader`, botocore's `location:
/// header`) is named by an HTTP token, and every prefix of
/// `@httpPrefixHeaders` is made of token characters: the names become the
/// header names of the requests and responses that carry the member, and a
/// name that is not one would fail every call.
pub(super) fn header_names(svc: &Service, problems: &mut Diagnostics) {
    for shape in svc.shapes.values() {
        for m in shape.children() {
            let (name, what) = match &m.location {
                Location::Header(name) => (name, "header name"),
                Location::PrefixHeaders(prefix) => (prefix, "header prefix"),
                _ => continue,
            };
            let empty_name = name.is_empty() && matches!(m.location, Location::Header(_));
            if empty_name || !name.bytes().all(is_tchar) {
                let text = quoted(name);
                problems.push(Error::member(
                    &shape.name,
                    &m.name,
                    format!(
                        "{what} {text}is not an HTTP token \
                         (letters, digits and !#$%&'*+-.^_`|~, at least one)"
                    ),
                ));
            }
        }
    }
}

/// The longest media type accepted (RFC 6838 allows 127 characters for each
/// of type and subtype; parameters are short in practice).
const MAX_MEDIA_TYPE: usize = 256;

/// Whether `text` is a `media-type` of RFC 9110 (section 8.3.1):
/// `type "/" subtype *( OWS ";" OWS [ parameter ] )`, type and subtype
/// tokens, each parameter `token "=" ( token / quoted-string )`, in ASCII.
/// What passes is a valid HTTP header value (visible ASCII, spaces and tabs).
fn media_type_syntax(text: &str) -> Result<(), String> {
    if text.len() > MAX_MEDIA_TYPE {
        return Err(format!("longer than {MAX_MEDIA_TYPE} bytes"));
    }
    let mut rest = text.as_bytes();
    let token = |rest: &mut &[u8], what: &str| -> Result<(), String> {
        let n = rest.iter().take_while(|&&b| is_tchar(b)).count();
        if n == 0 {
            return Err(format!(
                "expected {what} (letters, digits and !#$%&'*+-.^_`|~)"
            ));
        }
        *rest = &rest[n..];
        Ok(())
    };
    let ows = |rest: &mut &[u8]| {
        let n = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        *rest = &rest[n..];
    };
    token(&mut rest, "a type")?;
    rest = rest
        .strip_prefix(b"/")
        .ok_or("expected `/` after the type")?;
    token(&mut rest, "a subtype")?;
    loop {
        ows(&mut rest);
        if rest.is_empty() {
            return Ok(());
        }
        rest = rest
            .strip_prefix(b";")
            .ok_or("expected `;` before a parameter")?;
        ows(&mut rest);
        if rest.is_empty() || rest[0] == b';' {
            continue;
        }
        token(&mut rest, "a parameter name")?;
        rest = rest
            .strip_prefix(b"=")
            .ok_or("expected `=` after a parameter name")?;
        match rest.strip_prefix(b"\"") {
            Some(quoted) => rest = after_quoted_string(quoted)?,
            None => token(&mut rest, "a parameter value")?,
        }
    }
}

/// What follows the quoted string `rest` starts (after its opening quote).
fn after_quoted_string(mut rest: &[u8]) -> Result<&[u8], String> {
    let text = |b: u8| b == b'\t' || (b' '..=b'~').contains(&b);
    loop {
        match rest {
            [b'"', after @ ..] => return Ok(after),
            [b'\\', c, after @ ..] if text(*c) => rest = after,
            [c, after @ ..] if text(*c) && *c != b'\\' => rest = after,
            [] => return Err("a quoted parameter value is not closed".into()),
            _ => return Err("a quoted parameter value holds a character it cannot".into()),
        }
    }
}

/// Whether `b` may be in a token (RFC 9110 `tchar`).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether an event header can carry a value of `kind`.
fn header_fits(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::String
            | ShapeKind::Enum(_)
            | ShapeKind::Boolean
            | ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Blob { .. }
            | ShapeKind::Timestamp(_)
    )
}

/// Whether an event payload can be a value of `kind`.
fn payload_fits(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Blob { .. }
            | ShapeKind::String
            | ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::Document
    )
}

/// The constraints `c` on a value of `shape` apply to its kind, and every
/// `@range` bound is a number the check can hold. The constraints are those
/// of shape `owner`, or of its member `member`.
pub(super) fn constraint(
    svc: &Service,
    shape: &Shape,
    c: &Constraints,
    (owner, member): (&str, Option<&str>),
    problems: &mut Diagnostics,
) {
    let problem = |message: String| match member {
        Some(member) => Error::member(owner, member, message),
        None => Error::shape(owner, message),
    };
    let unsupported = |what: &str| {
        problem(format!(
            "{what} is not supported on {} shapes",
            shape.kind.name()
        ))
    };
    if c.length.is_some() && !shape.kind.has_length() {
        problems.push(unsupported("@length"));
    }
    if let Some(r) = &c.range {
        let float = matches!(shape.kind, ShapeKind::Float | ShapeKind::Double);
        let int = matches!(
            shape.kind,
            ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::IntEnum(_)
                | ShapeKind::Long
        );
        if !float && !int {
            problems.push(unsupported("@range"));
        }
        for text in [&r.min, &r.max].into_iter().flatten() {
            let ok = if float {
                float_bound(text).is_some()
            } else {
                int_bound(text, true).is_some()
            };
            if (float || int) && !ok {
                let why = if text.parse::<f64>().is_ok() {
                    "is not finite"
                } else {
                    "is not a number"
                };
                problems.push(problem(format!("@range bound `{text}` {why}")));
            }
        }
    }
    if c.pattern.is_some() && !matches!(shape.kind, ShapeKind::String | ShapeKind::Enum(_)) {
        problems.push(unsupported("@pattern"));
    }
    if c.max_total_bytes.is_some() {
        match &shape.kind {
            ShapeKind::Map { key, value, .. } => {
                let stringy =
                    |t: &str| matches!(svc.shape(t).kind, ShapeKind::String | ShapeKind::Enum(_));
                if !stringy(&key.target) || !stringy(&value.target) {
                    problems.push(problem(
                        "a total size limit applies only to maps of strings".into(),
                    ));
                }
            }
            _ => problems.push(unsupported("a total size limit")),
        }
    }
}

/// An integer `@range` bound from its decimal text: a fractional minimum
/// (`up`) rounds up, a fractional maximum rounds down; `None` for text that
/// is no number.
pub fn int_bound(text: &str, up: bool) -> Option<i64> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    let f: f64 = text.parse().ok()?;
    let f = if up { f.ceil() } else { f.floor() };
    // `as` saturates: a bound beyond i64 bounds nothing an i64 can hold.
    Some(f as i64)
}

/// A float `@range` bound from its decimal text; `None` for text that is no
/// finite number.
pub fn float_bound(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::media_type_syntax;

    #[test]
    fn media_types_are_read_as_rfc_9110_reads_them() {
        for ok in [
            "application/json",
            "image/png",
            "text/plain; charset=utf-8",
            "text/plain;charset=UTF-8",
            "application/vnd.amazon.eventstream",
            "application/x-amz-json-1.1",
            "multipart/form-data; boundary=\"a b;c\\\"d\"",
            "text/plain ; a=b ;; c=d;",
            "application/*",
        ] {
            assert_eq!(media_type_syntax(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("", "expected a type (letters, digits and !#$%&'*+-.^_`|~)"),
            ("json", "expected `/` after the type"),
            (
                "application/",
                "expected a subtype (letters, digits and !#$%&'*+-.^_`|~)",
            ),
            (
                "image/png\r\nx-injected: 1",
                "expected `;` before a parameter",
            ),
            ("text/plain; charset", "expected `=` after a parameter name"),
            (
                "text/plain; charset=",
                "expected a parameter value (letters, digits and !#$%&'*+-.^_`|~)",
            ),
            (
                "text/plain; a=\"open",
                "a quoted parameter value is not closed",
            ),
            (
                "text/plain; a=\"new\nline\"",
                "a quoted parameter value holds a character it cannot",
            ),
            ("text/pl\u{e9}in", "expected `;` before a parameter"),
            ("te xt/plain", "expected `/` after the type"),
            ("text/plain; a=b\u{0}", "expected `;` before a parameter"),
        ] {
            assert_eq!(media_type_syntax(bad), Err(why.to_string()), "{bad:?}");
        }
        let long = format!("text/{}", "a".repeat(300));
        assert_eq!(
            media_type_syntax(&long),
            Err("longer than 256 bytes".to_string())
        );
    }
}
