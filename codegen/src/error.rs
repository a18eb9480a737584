//! Errors in the input: values with context, never panics.
//!
//! Every error names the file it came from and, where it applies, the shape and
//! the member. The command line prints them and exits with status 2. Model
//! text in an error is shown [`printable`]; which characters model text may
//! not carry unescaped is [`is_forbidden_char`] (also asked by the metadata
//! checks, the docs emitter and the writer).

use std::fmt;
use std::path::PathBuf;

/// An error in a model, an overlay, or while writing output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file the error is about, if any.
    pub file: Option<PathBuf>,
    /// The shape (or operation) the error is about, if any.
    pub shape: Option<String>,
    /// The member of that shape, if any.
    pub member: Option<String>,
    /// What is wrong, as a sentence fragment without a trailing period.
    pub message: String,
}

/// Result alias for the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            file: None,
            shape: None,
            member: None,
            message: message.into(),
        }
    }

    /// An error about a shape.
    pub fn shape(shape: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            shape: Some(shape.into()),
            ..Error::new(message)
        }
    }

    /// An error about a member of a shape.
    pub fn member(
        shape: impl Into<String>,
        member: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            shape: Some(shape.into()),
            member: Some(member.into()),
            ..Error::new(message)
        }
    }

    /// Attach the file, unless one is already set.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }
}

impl fmt::Display for Error {
    /// The file, shape and member, then the message, all through
    /// [`printable`]: model text (names, patterns, templates) cannot carry a
    /// control or bidirectional character to a terminal or a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        if let Some(file) = &self.file {
            text.push_str(&format!("{}: ", file.display()));
        }
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => {
                text.push_str(&format!("shape `{shape}`, member `{member}`: "))
            }
            (Some(shape), None) => text.push_str(&format!("shape `{shape}`: ")),
            _ => {}
        }
        text.push_str(&self.message);
        f.write_str(&printable(&text))
    }
}

/// Whether `c` is a character no metadata value (and no generated doc) may
/// carry: control characters (C0, DEL, C1), the bidirectional embedding,
/// override and isolate controls rustc refuses in source
/// (U+202A..U+202E, U+2066..U+2069), the marks U+200E/U+200F/U+061C,
/// zero-width characters, line and paragraph separators, and the byte-order
/// mark.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Text for a terminal or a log: each control character (terminal escapes,
/// carriage returns) and bidirectional or zero-width control is shown as
/// `\u{..}`; everything else as it is.
pub fn printable(message: &str) -> String {
    message
        .chars()
        .map(|c| {
            if is_forbidden_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Model text for a problem's message, in backquotes and followed by a
/// space; nothing when it is longer than [`MAX_QUOTED`] bytes (the message
/// says where the text is, e.g. the shape and member or the document's path;
/// a long text is not repeated whole). Controls are escaped later, by the
/// error's `Display` ([`printable`]).
pub fn quoted(text: &str) -> String {
    if text.len() > MAX_QUOTED {
        String::new()
    } else {
        format!("`{text}` ")
    }
}

/// The longest model text a problem's message repeats ([`quoted`]).
pub const MAX_QUOTED: usize = 256;

impl std::error::Error for Error {}

/// Every problem found in a model by one stage, sorted (file, shape, member,
/// message) so that a run reports the same list in the same order each time.
/// A stage collects all its problems; the pipeline stops at the end of the
/// first stage that found any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(Vec<Error>);

impl Diagnostics {
    /// No problems yet.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Record a problem.
    pub fn push(&mut self, e: Error) {
        self.0.push(e);
    }

    /// Record the problem of a check, if it found one.
    pub fn check(&mut self, result: Result<()>) {
        if let Err(e) = result {
            self.push(e);
        }
    }

    /// Record every problem of another stage's check.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &Error> {
        self.0.iter()
    }

    /// The problem, when exactly one was found.
    pub fn into_only(self) -> Option<Error> {
        let mut problems = self.0.into_iter();
        match (problems.next(), problems.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// The first problem, in sorted order.
    pub fn first(&self) -> Option<&Error> {
        self.0.first()
    }

    /// Attach the file to every problem that names none.
    pub fn in_file(self, file: impl Into<PathBuf>) -> Self {
        let file = file.into();
        Diagnostics(self.0.into_iter().map(|e| e.in_file(&file)).collect())
    }

    /// `Ok(value)` when nothing was found, else the problems, sorted and
    /// without repeats: the end of a stage.
    pub fn finish<T>(self, value: T) -> std::result::Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }

    /// Only the first problem of each place (file, shape, member), in the
    /// order found: one collision shows once, though every name derived
    /// from the colliding one (its builder, its file) collides too.
    pub fn first_per_place(self) -> Self {
        let mut seen = std::collections::BTreeSet::new();
        Diagnostics(
            self.0
                .into_iter()
                .filter(|e| seen.insert((e.file.clone(), e.shape.clone(), e.member.clone())))
                .collect(),
        )
    }

    /// The problems sorted (file, shape, member, message), without repeats.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, &a.shape, &a.member, &a.message)
                .cmp(&(&b.file, &b.shape, &b.member, &b.message))
        });
        self.0.dedup();
        self
    }
}

impl From<Error> for Diagnostics {
    fn from(e: Error) -> Self {
        Diagnostics(vec![e])
    }
}

impl fmt::Display for Diagnostics {
    /// One problem a line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::{quoted, Diagnostics, Error, MAX_QUOTED};

    #[test]
    fn model_text_is_quoted_up_to_a_limit_and_left_out_past_it() {
        assert_eq!(quoted("text/plain"), "`text/plain` ");
        let longest = "a".repeat(MAX_QUOTED);
        assert_eq!(quoted(&longest), format!("`{longest}` "));
        assert_eq!(quoted(&"a".repeat(MAX_QUOTED + 1)), "");
        // The limit counts bytes: 129 two-byte characters are 258 bytes.
        assert_eq!(quoted(&"é".repeat(129)), "");
    }

    #[test]
    fn model_text_in_a_problem_is_shown_without_controls() {
        let e = Error::member("Shape\u{1b}[31m", "m\u{202e}x", "pattern `a\rb`");
        let shown = e.to_string();
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{202e}') && !shown.contains('\r'));
        assert_eq!(
            shown,
            "shape `Shape\\u{1b}[31m`, member `m\\u{202e}x`: pattern `a\\u{d}b`"
        );
    }

    #[test]
    fn a_stage_ends_with_its_problems_sorted_and_without_repeats() {
        let mut problems = Diagnostics::new();
        problems.push(Error::member("B", "m", "second"));
        problems.push(Error::shape("A", "first"));
        problems.push(Error::new("about the model"));
        problems.push(Error::member("B", "m", "second"));
        problems.check(Ok(()));
        let e = problems.finish(()).expect_err("three problems");
        let listed: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(
            listed,
            [
                "about the model",
                "shape `A`: first",
                "shape `B`, member `m`: second"
            ]
        );
        assert_eq!(
            e.to_string(),
            "about the model\nshape `A`: first\nshape `B`, member `m`: second"
        );
        assert_eq!(Diagnostics::new().finish(7), Ok(7));
    }
}
