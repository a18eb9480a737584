//! How text from outside (a response, the environment, the caller's input)
//! appears in an error message: one function, so that no message can carry
//! control characters, bidirectional overrides or an unbounded copy of a
//! hostile value.

/// `value` for an error message: control and other unusual characters
/// escaped (`\n`, `\u{202e}`), cut after 64 characters (then `...`).
pub(crate) fn shown(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(64)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().nth(64).is_some() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn escapes_and_bounds() {
        assert_eq!(shown("us-west-2"), "us-west-2");
        assert_eq!(shown("a\nb\u{202e}"), "a\\nb\\u{202e}");
        let long = "x".repeat(10_000);
        assert_eq!(shown(&long), format!("{}...", "x".repeat(64)));
        assert_eq!(shown(&"é".repeat(64)), "é".repeat(64));
    }
}
