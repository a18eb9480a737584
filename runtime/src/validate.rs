//! Validation errors returned by generated `validate()` methods, and the
//! checks those methods call.
//!
//! A generated `validate()` walks an operation's input once and records every
//! broken constraint in a [`Violations`] list; [`Violations::finish`] turns it
//! into `Ok(())` or a [`ValidationError`] that lists all of them, each with the
//! [`Path`] of the value in the model's member names
//! (`destinationConfiguration.s3.bucketName`, `tags["team"]`,
//! `loggingConfigurationIdentifiers[3]`), the [`Rule`] with its limit, and the
//! measured size.
//!
//! Nothing here allocates until a violation is found: paths are a chain of
//! [`Path`] values on the caller's stack and become text only when reported.
//! No message contains the value of a string; map keys under a sensitive member
//! and numbers of a sensitive member are replaced by placeholders.
//!
//! Patterns are not matched here: the generator compiles each pattern into a
//! matcher function in the generated crate and passes its verdict to
//! [`Violations::pattern`].

use std::fmt;

/// Where a value sits in an operation's input, in the model's member names.
///
/// Generated code builds a path one segment at a time on the stack
/// (`root.member("tags", false).key("team")`); it is turned into text only when
/// a violation is recorded.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
    sensitive: bool,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Member(&'static str),
    Index(usize),
    Key(&'a str),
    MapKey,
}

/// What a redacted map key prints as.
const REDACTED_KEY: &str = "[*** redacted ***]";

impl Path<'static> {
    /// The path of the input itself.
    pub const fn root() -> Path<'static> {
        Path {
            parent: None,
            segment: Segment::Root,
            sensitive: false,
        }
    }
}

impl<'a> Path<'a> {
    /// The member `name` (model name) of the structure or union at this path.
    /// `sensitive` marks a member whose target or trait is `@sensitive`;
    /// everything below a sensitive member is sensitive too.
    pub fn member(&self, name: &'static str, sensitive: bool) -> Path<'_> {
        Path {
            parent: Some(self),
            segment: Segment::Member(name),
            sensitive: self.sensitive || sensitive,
        }
    }

    /// The element at `index` of the list at this path.
    pub fn index(&self, index: usize) -> Path<'_> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
            sensitive: self.sensitive,
        }
    }

    /// The entry with key `key` of the map at this path (its key and its value).
    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
            sensitive: self.sensitive,
        }
    }

    /// The key itself of the map entry at this path (a path made by
    /// [`Path::key`]): prints as `tags["team"] (key)`.
    pub fn map_key(&self) -> Path<'_> {
        Path {
            parent: Some(self),
            segment: Segment::MapKey,
            sensitive: self.sensitive,
        }
    }

    /// The same place, marked sensitive when `yes` (for a list element or map
    /// entry whose target shape is `@sensitive`, or before the key of a map
    /// whose keys are). Adds no segment.
    pub fn sensitive(self, yes: bool) -> Path<'a> {
        Path {
            sensitive: self.sensitive || yes,
            ..self
        }
    }

    /// Whether the value at this path belongs to a sensitive member.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }

    /// The path as text: `destinationConfiguration.s3.bucketName`,
    /// `tags["team"]` (the value of an entry), `tags["team"] (key)` (its key),
    /// `loggingConfigurationIdentifiers[3]`; empty for the root.
    /// Keys of a map under a sensitive member print as `[*** redacted ***]`.
    pub fn render(&self) -> String {
        let mut chain = Vec::new();
        let mut node = Some(self);
        while let Some(p) = node {
            chain.push(p);
            node = p.parent;
        }
        let mut out = String::new();
        for p in chain.iter().rev() {
            match p.segment {
                Segment::Root => {}
                Segment::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Segment::MapKey => out.push_str(" (key)"),
                Segment::Key(_) if p.sensitive => out.push_str(REDACTED_KEY),
                Segment::Key(k) => {
                    out.push('[');
                    // Debug quotes the key and escapes quotes, backslashes and
                    // control characters, so the path stays one unambiguous line.
                    out.push_str(&format!("{k:?}"));
                    out.push(']');
                }
            }
        }
        out
    }
}

/// What is counted by a `@length` constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values of a string (not bytes, not UTF-16 units).
    Characters,
    /// Entries of a list or a map.
    Entries,
    /// Bytes of a blob.
    Bytes,
}

impl LengthUnit {
    fn name(self, n: u64) -> &'static str {
        match (self, n == 1) {
            (LengthUnit::Characters, true) => "character",
            (LengthUnit::Characters, false) => "characters",
            (LengthUnit::Entries, true) => "entry",
            (LengthUnit::Entries, false) => "entries",
            (LengthUnit::Bytes, true) => "byte",
            (LengthUnit::Bytes, false) => "bytes",
        }
    }
}

/// A number in a `@range` violation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer (byte, short, integer, long, intEnum).
    Int(i64),
    /// A floating-point number (float, double).
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(n) => write!(f, "{n}"),
        }
    }
}

/// The constraint a value broke, with its limit and what was measured.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// A `@required` member is not set.
    Required,
    /// `@length`: `actual` is outside `min..=max`.
    Length {
        /// What was counted.
        unit: LengthUnit,
        /// The least allowed, if bounded below.
        min: Option<u64>,
        /// The most allowed, if bounded above.
        max: Option<u64>,
        /// What was counted.
        actual: u64,
    },
    /// `@range`: the number is outside `min..=max` (or is NaN).
    Range {
        /// The least allowed, if bounded below.
        min: Option<Number>,
        /// The most allowed, if bounded above.
        max: Option<Number>,
        /// The number, or `None` when the member is sensitive.
        actual: Option<Number>,
    },
    /// `@pattern`: the string does not match.
    Pattern {
        /// The pattern, as the value must match it (anchors included when the
        /// whole value must match).
        pattern: &'static str,
    },
    /// A documented limit on the total size of a map: the UTF-8 bytes of
    /// every key and every value, added up.
    TotalBytes {
        /// The most allowed.
        max: u64,
        /// What was counted.
        actual: u64,
    },
    /// A union holds a member this version of the crate does not know, so no
    /// known member is set.
    UnknownUnionMember,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("required: the member is not set"),
            Rule::Length {
                unit,
                min,
                max,
                actual,
            } => {
                write!(f, "length: {actual} {}, ", unit.name(*actual))?;
                match (min, max) {
                    (Some(lo), Some(hi)) if lo == hi => write!(f, "exactly {lo}"),
                    (Some(lo), _) if actual < lo => write!(f, "at least {lo}"),
                    (_, Some(hi)) => write!(f, "at most {hi}"),
                    (Some(lo), None) => write!(f, "at least {lo}"),
                    (None, None) => f.write_str("no limit"),
                }
            }
            Rule::Range { min, max, actual } => {
                f.write_str("range: ")?;
                match actual {
                    Some(n) => write!(f, "{n}, ")?,
                    None => f.write_str("the value (sensitive, not shown) is ")?,
                }
                match (min, max) {
                    (Some(lo), Some(hi)) => write!(f, "must be {lo} to {hi}"),
                    (Some(lo), None) => write!(f, "at least {lo}"),
                    (None, Some(hi)) => write!(f, "at most {hi}"),
                    (None, None) => f.write_str("not a number"),
                }
            }
            Rule::Pattern { pattern } => write!(f, "pattern: does not match `{pattern}`"),
            Rule::TotalBytes { max, actual } => write!(
                f,
                "total size: {actual} {} of keys and values (UTF-8), at most {max}",
                LengthUnit::Bytes.name(*actual)
            ),
            Rule::UnknownUnionMember => f.write_str("union: no known member is set"),
        }
    }
}

/// One broken constraint: where, and which rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    path: String,
    rule: Rule,
}

impl Violation {
    /// A violation of `rule` at `path`.
    pub fn new(path: &Path<'_>, rule: Rule) -> Self {
        Violation {
            path: path.render(),
            rule,
        }
    }

    /// The path of the value, in model member names (see [`Path::render`]).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The rule that was broken.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(input)"
        } else {
            self.path.as_str()
        };
        write!(f, "{path}: {}", self.rule)
    }
}

/// An operation input breaks constraints of the model; lists every violation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    type_name: &'static str,
    violations: Vec<Violation>,
}

impl ValidationError {
    /// An error for the type `type_name` with `violations` (in the order found).
    pub fn new(type_name: &'static str, violations: Vec<Violation>) -> Self {
        ValidationError {
            type_name,
            violations,
        }
    }

    /// The Rust name of the input type that was checked (`CreateRoomInput`).
    pub fn type_name(&self) -> &str {
        self.type_name
    }

    /// Every violation, in model member order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Take the violations.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "invalid `{}`: {n} constraint violation{}",
            self.type_name,
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// The violations found so far; the checks generated code calls.
///
/// Each check records a [`Violation`] when its constraint is broken and does
/// nothing (and allocates nothing) otherwise.
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// No violations yet.
    pub const fn new() -> Self {
        Violations(Vec::new())
    }

    /// `Ok(())` when nothing was recorded, else a [`ValidationError`] for `type_name`.
    pub fn finish(self, type_name: &'static str) -> Result<(), ValidationError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(type_name, self.0))
        }
    }

    /// The violations recorded so far.
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    /// A mark to pass to [`Violations::sort_since`].
    pub fn mark(&self) -> usize {
        self.0.len()
    }

    /// Sort the violations recorded since `mark` by path. Generated code calls
    /// this after walking a map, whose order is unspecified, so that messages
    /// are the same from run to run. Costs nothing when none were recorded.
    pub fn sort_since(&mut self, mark: usize) {
        if let Some(tail) = self.0.get_mut(mark..) {
            if tail.len() > 1 {
                tail.sort_by(|a, b| a.path.cmp(&b.path));
            }
        }
    }

    #[cold]
    fn record(&mut self, path: &Path<'_>, rule: Rule) {
        self.0.push(Violation::new(path, rule));
    }

    /// A `@required` member is missing.
    pub fn required(&mut self, path: &Path<'_>) {
        self.record(path, Rule::Required);
    }

    /// A union holds no known member.
    pub fn unknown_union_member(&mut self, path: &Path<'_>) {
        self.record(path, Rule::UnknownUnionMember);
    }

    /// `@length` of a string: its Unicode scalar values, within `min..=max`.
    #[inline]
    pub fn length_chars(
        &mut self,
        path: &Path<'_>,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        // A string of n bytes has between ceil(n / 4) and n characters: decide
        // from the byte length when that settles it, count otherwise.
        let bytes = value.len() as u64;
        if within(bytes.div_ceil(4), bytes, min, max) {
            return;
        }
        let chars = value.chars().count() as u64;
        self.length(path, LengthUnit::Characters, chars, min, max);
    }

    /// `@length` of a list or map: its entries, within `min..=max`.
    #[inline]
    pub fn length_entries(
        &mut self,
        path: &Path<'_>,
        entries: usize,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        self.length(path, LengthUnit::Entries, entries as u64, min, max);
    }

    /// `@length` of a blob: its bytes, within `min..=max`.
    #[inline]
    pub fn length_bytes(
        &mut self,
        path: &Path<'_>,
        bytes: usize,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        self.length(path, LengthUnit::Bytes, bytes as u64, min, max);
    }

    #[inline]
    fn length(
        &mut self,
        path: &Path<'_>,
        unit: LengthUnit,
        actual: u64,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        if !within(actual, actual, min, max) {
            self.record(
                path,
                Rule::Length {
                    unit,
                    min,
                    max,
                    actual,
                },
            );
        }
    }

    /// `@range` of an integer, within `min..=max`.
    #[inline]
    pub fn range_int(&mut self, path: &Path<'_>, value: i64, min: Option<i64>, max: Option<i64>) {
        if min.is_some_and(|lo| value < lo) || max.is_some_and(|hi| value > hi) {
            let actual = (!path.is_sensitive()).then_some(Number::Int(value));
            self.record(
                path,
                Rule::Range {
                    min: min.map(Number::Int),
                    max: max.map(Number::Int),
                    actual,
                },
            );
        }
    }

    /// `@range` of a floating-point number, within `min..=max`; NaN is outside
    /// every range.
    #[inline]
    pub fn range_float(&mut self, path: &Path<'_>, value: f64, min: Option<f64>, max: Option<f64>) {
        let below = min.is_some_and(|lo| value.is_nan() || value < lo);
        let above = max.is_some_and(|hi| value.is_nan() || value > hi);
        if below || above {
            let actual = (!path.is_sensitive()).then_some(Number::Float(value));
            self.record(
                path,
                Rule::Range {
                    min: min.map(Number::Float),
                    max: max.map(Number::Float),
                    actual,
                },
            );
        }
    }

    /// `@pattern`: `matched` is the verdict of the pattern's generated matcher.
    #[inline]
    pub fn pattern(&mut self, path: &Path<'_>, matched: bool, pattern: &'static str) {
        if !matched {
            self.record(path, Rule::Pattern { pattern });
        }
    }

    /// A documented limit on a map's total size: the UTF-8 bytes of every key
    /// and every value (a missing value of a sparse map counts 0), at most `max`.
    #[inline]
    pub fn total_bytes<'v>(
        &mut self,
        path: &Path<'_>,
        entries: impl IntoIterator<Item = (&'v str, &'v str)>,
        max: u64,
    ) {
        let actual = entries.into_iter().fold(0u64, |sum, (k, v)| {
            sum.saturating_add(k.len() as u64)
                .saturating_add(v.len() as u64)
        });
        if actual > max {
            self.record(path, Rule::TotalBytes { max, actual });
        }
    }
}

/// Whether every count in `low..=high` lies within `min..=max`.
#[inline]
fn within(low: u64, high: u64, min: Option<u64>, max: Option<u64>) -> bool {
    min.is_none_or(|lo| low >= lo) && max.is_none_or(|hi| high <= hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_use_model_names() {
        let root = Path::root();
        let dc = root.member("destinationConfiguration", false);
        let s3 = dc.member("s3", false);
        assert_eq!(
            s3.member("bucketName", false).render(),
            "destinationConfiguration.s3.bucketName"
        );
        let tags = root.member("tags", false);
        assert_eq!(tags.key("team").render(), r#"tags["team"]"#);
        assert_eq!(tags.key("a\"b\n").render(), r#"tags["a\"b\n"]"#);
        assert_eq!(tags.key("team").map_key().render(), r#"tags["team"] (key)"#);
        let ids = root.member("loggingConfigurationIdentifiers", false);
        assert_eq!(ids.index(3).render(), "loggingConfigurationIdentifiers[3]");
        assert_eq!(root.render(), "");
    }

    #[test]
    fn keys_below_a_sensitive_member_are_redacted() {
        let root = Path::root();
        let attrs = root.member("attributes", true);
        let entry = attrs.key("secret-key");
        assert!(entry.is_sensitive());
        assert_eq!(entry.render(), "attributes[*** redacted ***]");
        assert!(!entry.render().contains("secret"));
        let nested = entry.member("inner", false);
        assert!(nested.is_sensitive());
        let plain = root.member("tags", false);
        assert_eq!(
            plain.sensitive(true).key("k").render(),
            "tags[*** redacted ***]"
        );
        assert_eq!(plain.key("k").sensitive(false).render(), r#"tags["k"]"#);
        assert!(plain.index(0).sensitive(true).is_sensitive());
    }

    #[test]
    fn violations_in_a_map_sort_by_path() {
        let root = Path::root();
        let tags = root.member("tags", false);
        let mut v = Violations::new();
        v.required(&root.member("first", false));
        let mark = v.mark();
        for k in ["b", "c", "a"] {
            v.length_chars(&tags.key(k), "", Some(1), None);
        }
        v.sort_since(mark);
        v.sort_since(99);
        let paths: Vec<&str> = v.as_slice().iter().map(Violation::path).collect();
        assert_eq!(
            paths,
            ["first", r#"tags["a"]"#, r#"tags["b"]"#, r#"tags["c"]"#]
        );
    }

    #[test]
    fn lengths_count_characters_entries_and_bytes() {
        let root = Path::root();
        let p = root.member("name", false);
        let mut v = Violations::new();
        v.length_chars(&p, &"€".repeat(128), Some(0), Some(128));
        v.length_chars(&p, "", None, Some(128));
        assert!(v.as_slice().is_empty());
        v.length_chars(&p, &"€".repeat(129), Some(0), Some(128));
        v.length_chars(&p, "", Some(1), Some(128));
        v.length_entries(&p, 51, Some(0), Some(50));
        v.length_bytes(&p, 2, Some(3), None);
        v.length_chars(&p, "abcdefghijk", Some(12), Some(12));
        let msgs: Vec<String> = v.as_slice().iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "name: length: 129 characters, at most 128",
                "name: length: 0 characters, at least 1",
                "name: length: 51 entries, at most 50",
                "name: length: 2 bytes, at least 3",
                "name: length: 11 characters, exactly 12",
            ]
        );
    }

    #[test]
    fn the_byte_shortcut_never_hides_a_violation() {
        let root = Path::root();
        let p = root.member("s", false);
        for s in ["", "a", "€", "😀😀", "a€😀", "abcd", "€€€€€"] {
            let n = s.chars().count() as u64;
            for min in 0..6u64 {
                for max in 0..6u64 {
                    let mut v = Violations::new();
                    v.length_chars(&p, s, Some(min), Some(max));
                    assert_eq!(
                        v.as_slice().is_empty(),
                        min <= n && n <= max,
                        "{s:?} {min} {max}"
                    );
                }
            }
        }
    }

    #[test]
    fn ranges_hide_sensitive_numbers() {
        let root = Path::root();
        let mut v = Violations::new();
        v.range_int(&root.member("maxResults", false), 51, Some(1), Some(50));
        v.range_int(&root.member("secret", true), 0, Some(1), None);
        v.range_float(&root.member("ratio", false), f64::NAN, Some(0.0), Some(1.0));
        v.range_float(&root.member("ratio", false), 0.5, Some(0.0), Some(1.0));
        v.range_int(&root.member("maxResults", false), 50, Some(1), Some(50));
        let msgs: Vec<String> = v.as_slice().iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "maxResults: range: 51, must be 1 to 50",
                "secret: range: the value (sensitive, not shown) is at least 1",
                "ratio: range: NaN, must be 0 to 1",
            ]
        );
    }

    #[test]
    fn total_bytes_add_keys_and_values() {
        let root = Path::root();
        let p = root.member("attributes", true);
        let mut v = Violations::new();
        v.total_bytes(&p, [("k", "€"), ("kk", "")], 6);
        assert!(v.as_slice().is_empty());
        v.total_bytes(&p, [("k", "€"), ("kk", "v")], 6);
        assert_eq!(
            v.as_slice()[0].rule(),
            &Rule::TotalBytes { max: 6, actual: 7 }
        );
        assert_eq!(
            v.as_slice()[0].to_string(),
            "attributes: total size: 7 bytes of keys and values (UTF-8), at most 6"
        );
    }

    #[test]
    fn errors_list_every_violation() {
        let root = Path::root();
        let mut v = Violations::new();
        v.required(&root.member("roomIdentifier", false));
        v.pattern(&root.member("name", false), false, "^[a-zA-Z0-9-_]*$");
        v.pattern(&root.member("name", false), true, "^[a-zA-Z0-9-_]*$");
        v.unknown_union_member(&root.member("destinationConfiguration", false));
        let err = v.finish("CreateRoomInput").unwrap_err();
        assert_eq!(err.type_name(), "CreateRoomInput");
        assert_eq!(err.violations().len(), 3);
        assert_eq!(
            err.to_string(),
            "invalid `CreateRoomInput`: 3 constraint violations: \
             roomIdentifier: required: the member is not set; \
             name: pattern: does not match `^[a-zA-Z0-9-_]*$`; \
             destinationConfiguration: union: no known member is set"
        );
        assert_eq!(Violations::new().finish("X"), Ok(()));
    }
}
