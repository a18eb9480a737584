//! JSON for generated serializers and deserializers.
//!
//! Writing goes straight into a `String` through [`ObjectWriter`],
//! [`ArrayWriter`] and [`ValueWriter`] (string escaping is serde_json's).
//! Reading parses the body once into a [`serde_json::Value`] and generated
//! code walks it with the `read_*` helpers, which name what they expected.

use std::fmt;

use base64::Engine as _;
use serde_json::Value;

use crate::primitives::{Blob, DateTime, Format};

/// Writes one JSON value.
#[derive(Debug)]
pub struct ValueWriter<'a>(&'a mut String);

/// Writes the members of a JSON object; closes it on [`ObjectWriter::finish`].
#[derive(Debug)]
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

/// Writes the elements of a JSON array; closes it on [`ArrayWriter::finish`].
#[derive(Debug)]
pub struct ArrayWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

/// Start writing one top-level value into `out`.
pub fn value(out: &mut String) -> ValueWriter<'_> {
    ValueWriter(out)
}

/// What a request body usually needs: writing into a buffer of this size
/// saves the reallocations of growing from nothing.
const INITIAL_CAPACITY: usize = 256;

/// Start writing a top-level object into `out` (which gets room for a
/// typical request body first, if it has none).
pub fn object(out: &mut String) -> ObjectWriter<'_> {
    if out.capacity() == 0 {
        out.reserve(INITIAL_CAPACITY);
    }
    out.push('{');
    ObjectWriter { out, empty: true }
}

/// Lets serde_json write into a `String` directly. serde_json's escaped
/// string is written in pieces cut only before or after ASCII escapes, so
/// each piece is UTF-8 of its own; a piece that is not is refused.
struct StringWriter<'a>(&'a mut String);

impl std::io::Write for StringWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let s = std::str::from_utf8(buf)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        self.0.push_str(s);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn push_str_escaped(out: &mut String, s: &str) {
    // serde_json's escaping of a `str`, written in place (no string per value).
    let start = out.len();
    if serde_json::to_writer(StringWriter(out), s).is_err() {
        out.truncate(start);
        out.push_str("\"\"");
    }
}

impl<'a> ObjectWriter<'a> {
    /// Start the member `key`.
    pub fn key(&mut self, key: &str) -> ValueWriter<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        push_str_escaped(self.out, key);
        self.out.push(':');
        ValueWriter(self.out)
    }

    /// Close the object.
    pub fn finish(self) {
        self.out.push('}');
    }
}

impl<'a> ArrayWriter<'a> {
    /// Start the next element.
    pub fn value(&mut self) -> ValueWriter<'_> {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        ValueWriter(self.out)
    }

    /// Close the array.
    pub fn finish(self) {
        self.out.push(']');
    }
}

impl<'a> ValueWriter<'a> {
    /// A string.
    pub fn string(self, v: &str) {
        push_str_escaped(self.0, v);
    }

    /// A boolean.
    pub fn boolean(self, v: bool) {
        self.0.push_str(if v { "true" } else { "false" });
    }

    /// An integer.
    pub fn integer(self, v: i64) {
        self.0.push_str(&v.to_string());
    }

    /// A float; NaN and infinities are written as the strings AWS uses.
    pub fn float(self, v: f64) {
        if v.is_nan() {
            self.0.push_str("\"NaN\"");
        } else if v.is_infinite() {
            self.0.push_str(if v > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            });
        } else if v.fract() == 0.0 && v.abs() < 1e15 {
            self.0.push_str(&format!("{v:.1}"));
        } else {
            self.0.push_str(&v.to_string());
        }
    }

    /// A blob, base64-encoded.
    pub fn blob(self, v: &Blob) {
        self.string(&base64::engine::general_purpose::STANDARD.encode(v.as_ref()));
    }

    /// A timestamp in `format` (epoch seconds as a number, the others as strings).
    pub fn timestamp(self, v: &DateTime, format: Format) {
        match (format, v.fmt(format)) {
            (Format::EpochSeconds, Ok(text)) => self.0.push_str(&text),
            (_, Ok(text)) => self.string(&text),
            // Only years outside 0..=9999 fail; fall back to epoch seconds.
            (_, Err(_)) => self.float(v.as_secs_f64()),
        }
    }

    /// An untyped document.
    pub fn document(self, v: &Value) {
        self.0.push_str(&v.to_string());
    }

    /// `null`.
    pub fn null(self) {
        self.0.push_str("null");
    }

    /// Start an object.
    pub fn object(self) -> ObjectWriter<'a> {
        object(self.0)
    }

    /// Start an array.
    pub fn array(self) -> ArrayWriter<'a> {
        self.0.push('[');
        ArrayWriter {
            out: self.0,
            empty: true,
        }
    }
}

/// A JSON body did not have the shape the model says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError {
    message: String,
    path: Vec<String>,
}

impl DeserializeError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        DeserializeError {
            message: message.into(),
            path: Vec::new(),
        }
    }

    /// Add the member or index the error is under (innermost first).
    pub fn at(mut self, segment: impl Into<String>) -> Self {
        self.path.push(segment.into());
        self
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str(&self.message);
        }
        let mut path = String::new();
        for seg in self.path.iter().rev() {
            if seg.starts_with('[') || path.is_empty() {
                path.push_str(seg);
            } else {
                path.push('.');
                path.push_str(seg);
            }
        }
        write!(f, "{} at `{path}`", self.message)
    }
}

impl std::error::Error for DeserializeError {}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, v: &Value) -> DeserializeError {
    DeserializeError::new(format!("expected {what}, found {}", kind(v)))
}

/// Parse a body. An empty body reads as an empty object.
pub fn parse(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| DeserializeError::new(format!("invalid JSON: {e}")))
}

/// An object's members.
pub fn read_object(v: &Value) -> Result<&serde_json::Map<String, Value>, DeserializeError> {
    v.as_object().ok_or_else(|| expected("an object", v))
}

/// An array's elements.
pub fn read_array(v: &Value) -> Result<&[Value], DeserializeError> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| expected("an array", v))
}

/// A string.
pub fn read_string(v: &Value) -> Result<String, DeserializeError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| expected("a string", v))
}

/// A boolean.
pub fn read_bool(v: &Value) -> Result<bool, DeserializeError> {
    v.as_bool().ok_or_else(|| expected("a boolean", v))
}

/// An integer that fits `T`.
pub fn read_integer<T: TryFrom<i64>>(v: &Value) -> Result<T, DeserializeError> {
    v.as_i64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| match v {
            Value::Number(n) => DeserializeError::new(format!("integer {n} is out of range")),
            _ => expected("an integer", v),
        })
}

/// A float; accepts the strings `NaN`, `Infinity` and `-Infinity`.
pub fn read_float(v: &Value) -> Result<f64, DeserializeError> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| expected("a float", v)),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(expected("a float", v)),
        },
        _ => Err(expected("a float", v)),
    }
}

/// A base64 blob.
pub fn read_blob(v: &Value) -> Result<Blob, DeserializeError> {
    let s = v.as_str().ok_or_else(|| expected("a base64 string", v))?;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map(Blob::new)
        .map_err(|e| DeserializeError::new(format!("invalid base64: {e}")))
}

/// A timestamp in `format`; numbers are always read as epoch seconds.
pub fn read_timestamp(v: &Value, format: Format) -> Result<DateTime, DeserializeError> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .map(DateTime::from_secs_f64)
            .ok_or_else(|| expected("a timestamp", v)),
        Value::String(s) => {
            DateTime::from_str(s, format).map_err(|e| DeserializeError::new(e.to_string()))
        }
        _ => Err(expected("a timestamp", v)),
    }
}

/// Base64 (standard alphabet, padded), as blobs travel in JSON and headers.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A header carrying base64 of UTF-8 text (a string with a media type).
pub fn base64_decode_text(text: &str) -> Result<String, DeserializeError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| DeserializeError::new(format!("invalid base64: {e}")))?;
    String::from_utf8(bytes).map_err(|e| DeserializeError::new(format!("invalid UTF-8: {e}")))
}

/// A float as text in a URI, query or header: `NaN`, `Infinity`, `-Infinity`
/// for the special values.
pub fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        v.to_string()
    }
}

/// An `f32` as the `f64` nearest its shortest decimal form, so that `1.1f32`
/// is written `1.1` (not `1.100000023841858`), as other SDKs write it.
pub fn widen_f32(v: f32) -> f64 {
    if v.is_finite() {
        v.to_string().parse().unwrap_or(f64::from(v))
    } else {
        f64::from(v)
    }
}

/// Split a header holding a list of HTTP dates, whose commas also separate
/// the weekday from the date (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`):
/// every second comma ends an element.
pub fn split_http_date_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut commas = 0;
    for (i, c) in text.char_indices() {
        if c == ',' {
            commas += 1;
            if commas % 2 == 0 {
                out.push(text[start..i].trim().to_string());
                start = i + 1;
            }
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() {
        out.push(last.to_string());
    }
    out
}

/// One element of a list header: quoted when it holds a comma or a quote.
pub fn header_list_item(item: &str) -> String {
    if item.contains([',', '"']) {
        format!("\"{}\"", item.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        item.to_string()
    }
}

/// Split a list header on commas outside double quotes, unquoting elements.
pub fn split_header_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => out.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    if !current.trim().is_empty() || !out.is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// A header value parsed as `T` (integers, booleans).
pub fn parse_header_value<T: std::str::FromStr>(text: &str) -> Result<T, DeserializeError> {
    text.trim().parse().map_err(|_| {
        DeserializeError::new(format!(
            "header value `{text}` is not a valid {}",
            std::any::type_name::<T>()
        ))
    })
}

/// A float header value, accepting `NaN`, `Infinity` and `-Infinity`.
pub fn parse_header_float(text: &str) -> Result<f64, DeserializeError> {
    match text.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => parse_header_value(other),
    }
}

#[cfg(test)]
mod tests {
    /// Strings written in place come out as serde_json's own `to_string`
    /// writes them, inside a document serde_json reads back.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let samples = [
            "",
            "plain",
            "quote \" backslash \\ slash /",
            "controls \u{0}\u{1}\n\r\t\u{1f}\u{7f}",
            "ünïcödé, 中文, emoji 😀, separators \u{2028}\u{2029}",
            "\\u0000 not an escape",
        ];
        for sample in samples {
            let mut out = String::new();
            super::push_str_escaped(&mut out, sample);
            assert_eq!(out, serde_json::to_string(sample).unwrap());
            let mut doc = String::new();
            let mut object = super::object(&mut doc);
            object.key(sample).string(sample);
            object.finish();
            let back: serde_json::Value = serde_json::from_str(&doc).unwrap();
            assert_eq!(back[sample], sample);
        }
    }

    #[test]
    fn f32_values_keep_their_shortest_form() {
        assert_eq!(super::widen_f32(1.1).to_string(), "1.1");
        assert_eq!(super::widen_f32(5.5), 5.5);
        assert!(super::widen_f32(f32::NAN).is_nan());
        assert_eq!(super::widen_f32(f32::NEG_INFINITY), f64::NEG_INFINITY);
    }

    #[test]
    fn http_date_lists_split_on_every_second_comma() {
        assert_eq!(
            super::split_http_date_list(
                "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 00:00:00 GMT"
            ),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 00:00:00 GMT"
            ]
        );
        assert!(super::split_http_date_list("").is_empty());
    }

    #[test]
    fn header_helpers() {
        assert_eq!(
            super::split_header_list(r#"a, "b,c", "d\"e""#),
            ["a", "b,c", "d\"e"]
        );
        assert_eq!(super::header_list_item("b,c"), r#""b,c""#);
        assert_eq!(super::parse_header_value::<i32>(" 5 ").unwrap(), 5);
        assert!(super::parse_header_value::<bool>("yes").is_err());
        assert_eq!(super::float_text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(super::base64_decode_text("aGk=").unwrap(), "hi");
    }

    use super::*;

    #[test]
    fn writes_nested_values() {
        let mut out = String::new();
        let mut o = object(&mut out);
        o.key("name").string("a\"b");
        let mut tags = o.key("tags").object();
        tags.key("k").string("v");
        tags.finish();
        let mut list = o.key("list").array();
        list.value().integer(1);
        list.value().float(1.5);
        list.value().float(f64::NAN);
        list.value().boolean(true);
        list.finish();
        o.key("t")
            .timestamp(&DateTime::from_secs(0), Format::DateTime);
        o.key("e")
            .timestamp(&DateTime::from_secs(1), Format::EpochSeconds);
        o.key("b").blob(&Blob::from("hi"));
        o.finish();
        assert_eq!(
            out,
            r#"{"name":"a\"b","tags":{"k":"v"},"list":[1,1.5,"NaN",true],"t":"1970-01-01T00:00:00Z","e":1,"b":"aGk="}"#
        );
    }

    #[test]
    fn reads_with_clear_errors() {
        let v = parse(br#"{"n": 5, "s": "x", "f": "Infinity", "big": 4294967296}"#).unwrap();
        let o = read_object(&v).unwrap();
        assert_eq!(read_integer::<i32>(&o["n"]).unwrap(), 5);
        assert_eq!(read_float(&o["f"]).unwrap(), f64::INFINITY);
        assert_eq!(
            read_integer::<i32>(&o["big"]).unwrap_err().to_string(),
            "integer 4294967296 is out of range"
        );
        let e = read_string(&o["n"]).unwrap_err().at("[0]").at("rooms");
        assert_eq!(
            e.to_string(),
            "expected a string, found a number at `rooms[0]`"
        );
        assert!(parse(b"").unwrap().as_object().unwrap().is_empty());
        assert!(parse(b"{").is_err());
        assert_eq!(
            read_blob(&Value::String("aGk=".into())).unwrap(),
            Blob::from("hi")
        );
    }
}
