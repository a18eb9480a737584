//! Patterns matched at run time (feature `runtime-patterns`).
//!
//! The generator writes most `@pattern`s out as plain Rust DFAs. The rest
//! (lookaround, a possessive quantifier, or a DFA too large to write out)
//! come here: the generator translates each one into the syntax of
//! [`fancy-regex`](https://docs.rs/fancy-regex) with ECMA-262's meaning spelled
//! out (`.`, `\d`, `\w`, `\s`, `\b` as ECMA-262 defines them), compiles it with
//! the same engine to make sure it compiles, and emits a `static` [`Pattern`]
//! that compiles it again, once, on first use.
//!
//! Matching never panics. Two outcomes cannot report a verdict, and both let
//! the value through, leaving the decision to the service (refusing a value the
//! service accepts is worse than sending one it refuses):
//!
//! - the pattern does not compile: impossible for generated code, which the
//!   generator compiled with this engine;
//! - the backtracking engine gives up (more than a million steps, which
//!   lookaround over a long value can take).

use std::fmt;
use std::sync::OnceLock;

/// A pattern compiled on first use and kept for the life of the program.
///
/// ```
/// use awsrt::pattern::Pattern;
///
/// static TAG_KEY: Pattern = Pattern::new("^(?:(?!aws:)[a-zA-Z0-9+\\-=._:/]+)$");
/// assert!(TAG_KEY.is_match("team"));
/// assert!(!TAG_KEY.is_match("aws:team"));
/// ```
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<fancy_regex::Regex>>,
}

impl Pattern {
    /// A pattern in `fancy-regex` syntax, not compiled yet.
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern's text.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether the pattern matches somewhere in `value` (a whole-value pattern
    /// carries its own `^` and `$`). `true` when no verdict can be reached:
    /// see the module docs.
    pub fn is_match(&self, value: &str) -> bool {
        let compiled = self.compiled.get_or_init(|| compile(self.source).ok());
        match compiled {
            Some(regex) => regex.is_match(value).unwrap_or(true),
            None => true,
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Compile `source` exactly as [`Pattern`] does (the generator calls the same
/// engine with the same defaults).
pub fn compile(source: &str) -> Result<fancy_regex::Regex, fancy_regex::Error> {
    fancy_regex::Regex::new(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_lookaround_and_unicode_classes() {
        static KEY: Pattern = Pattern::new("^(?:(?!aws:)[a-zA-Z+\\-=._:/]+)$");
        assert!(KEY.is_match("team:a"));
        assert!(!KEY.is_match("aws:team"));
        assert!(!KEY.is_match(""));
        static NAME: Pattern = Pattern::new("^(?:[\\p{L}\\p{N}_]+)$");
        assert!(NAME.is_match("Łódź_7") && NAME.is_match("東京"));
        assert!(!NAME.is_match("a b"));
        assert_eq!(NAME.as_str(), "^(?:[\\p{L}\\p{N}_]+)$");
        assert_eq!(
            format!("{NAME:?}"),
            "Pattern(\"^(?:[\\\\p{L}\\\\p{N}_]+)$\")"
        );
    }

    #[test]
    fn no_verdict_lets_the_value_through() {
        static BROKEN: Pattern = Pattern::new("(unclosed");
        assert!(BROKEN.is_match("anything"));
        // Catastrophic backtracking through a backreference: the engine gives up.
        static SLOW: Pattern = Pattern::new("^((a)\\2?)+b");
        assert!(SLOW.is_match(&"a".repeat(30)));
    }
}
