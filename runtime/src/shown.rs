//! How text from outside (a response, the environment, the caller's input)
//! appears in an error message: one escaping rule, so that no message can
//! carry control characters or bidirectional overrides; [`shown`] also
//! bounds a hostile value's copy, [`Escaped`] writes a service's message
//! whole.

use std::fmt::{self, Write};

/// Writes `text` with control and other unusual characters escaped as
/// `char::escape_debug` does (`\n`, `\u{1b}`, `\u{202e}`, `\\`), quotes
/// left as they are: the `Display` of text from a response (an error code
/// or a service's message), written whole.
///
/// ```
/// use awsrt::client::Escaped;
/// assert_eq!(Escaped("Value 'x'\r\n\u{202e}").to_string(), r"Value 'x'\r\n\u{202e}");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.chars().try_for_each(|c| write_escaped(c, f))
    }
}

/// The one escaping rule: `c` as `char::escape_debug` writes it, except
/// quotes (printable and harmless, and common in services' messages).
fn write_escaped(c: char, out: &mut impl Write) -> fmt::Result {
    match c {
        '\'' | '"' => out.write_char(c),
        _ => c.escape_debug().try_for_each(|e| out.write_char(e)),
    }
}

/// `value` for an error message: escaped as [`Escaped`] does, cut after 64
/// characters (then `...`).
pub(crate) fn shown(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars().take(64) {
        // Writing to a String cannot fail.
        let _ = write_escaped(c, &mut out);
    }
    if value.chars().nth(64).is_some() {
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
}
