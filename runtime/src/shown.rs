//! How text from outside (a response, the environment, the caller's input)
//! appears in an error message: one escaping rule, so that no message can
//! carry control characters or bidirectional overrides; [`shown`] also
//! bounds a hostile value's copy, [`Escaped`] writes a service's message
//! whole.

use std::fmt::{self, Write};

/// Writes `text` with control and other unusual characters escaped as
/// `str::escape_debug` does (`\n`, `\u{1b}`, `\u{202e}`, `\\`), quotes
/// left as they are: the `Display` of text from a response (an error code
/// or a service's message), written whole (`Value 'x'\r\n\u{202e}` for
/// `Value 'x'`, a line break and a right-to-left override).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(self.0, f)
    }
}

/// The one escaping rule: `text` as `str::escape_debug` writes it (which,
/// unlike `char::escape_debug`, keeps combining marks that follow a base
/// character, so accented and Indic text stays readable), except quotes
/// (printable and harmless, and common in services' messages).
fn write_escaped(text: &str, out: &mut impl Write) -> fmt::Result {
    let mut pieces = text.split(['\'', '"']);
    let mut rest = text;
    if let Some(first) = pieces.next() {
        write!(out, "{}", first.escape_debug())?;
        rest = &rest[first.len()..];
    }
    for piece in pieces {
        // The quote the split consumed, then the piece after it.
        let quote = rest.chars().next().unwrap_or('"');
        out.write_char(quote)?;
        write!(out, "{}", piece.escape_debug())?;
        rest = &rest[quote.len_utf8() + piece.len()..];
    }
    Ok(())
}

/// `value` for an error message: escaped as [`Escaped`] does, cut after 64
/// characters (then `...`).
pub(crate) fn shown(value: &str) -> String {
    let (head, cut) = match value.char_indices().nth(64) {
        Some((end, _)) => (&value[..end], true),
        None => (value, false),
    };
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_escaped(head, &mut out);
    if cut {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{shown, Escaped};

    #[test]
    fn escapes_and_bounds() {
        assert_eq!(shown("us-west-2"), "us-west-2");
        assert_eq!(shown("a\nb\u{202e}"), "a\\nb\\u{202e}");
        let long = "x".repeat(10_000);
        assert_eq!(shown(&long), format!("{}...", "x".repeat(64)));
        assert_eq!(shown(&"é".repeat(64)), "é".repeat(64));
    }

    #[test]
    fn escaped_writes_everything_with_the_same_rule() {
        let hostile = "Value 'x' at \"name\"\r\n\u{1b}[31mred\u{202e}\u{7}\t\\";
        let expected = "Value 'x' at \"name\"\\r\\n\\u{1b}[31mred\\u{202e}\\u{7}\\t\\\\";
        assert_eq!(Escaped(hostile).to_string(), expected);
        assert_eq!(shown(hostile), expected);
        // Not cut: a long service message stays whole.
        let long = format!("{}\n", "é".repeat(10_000));
        assert_eq!(
            Escaped(&long).to_string(),
            format!("{}\\n", "é".repeat(10_000))
        );
        assert_eq!(Escaped("").to_string(), "");
    }

    #[test]
    fn combining_marks_after_a_character_stay_as_they_are() {
        // A decomposed "é" and a Devanagari vowel sign: printable text.
        for text in ["cafe\u{301}", "\u{915}\u{93f}", "'e\u{301}'"] {
            assert_eq!(Escaped(text).to_string(), text);
            assert_eq!(shown(text), text);
        }
        // One with nothing to attach to is escaped, as str::escape_debug does.
        assert_eq!(Escaped("\u{301}x").to_string(), "\\u{301}x");
    }
}
