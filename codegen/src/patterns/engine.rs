//! Patterns matched at run time: the syntax tree printed for `fancy-regex`
//! (the engine behind `awsrt::pattern`, whose syntax is `regex`'s plus
//! lookaround and backreferences), with ECMA-262's meaning spelled out so
//! that nothing depends on the engine's defaults: `.` is a class without the
//! four line terminators, `\d`, `\w`, `\s` are their ECMA-262 sets, `\b` is
//! an ASCII word boundary written as lookaround, and a whole-value pattern
//! is wrapped in `^(?:..)$`.

use std::fmt::Write;

use super::syntax::{Assert, Class, Item, Node, Set, WORD};
use super::{PatternError, Semantics};

/// `node` read with `semantics`, as the run-time engine's pattern text.
pub fn print(node: &Node, semantics: Semantics) -> String {
    let mut out = String::new();
    match semantics {
        Semantics::Search => print_node(node, &mut out),
        Semantics::WholeValue => {
            out.push_str("^(?:");
            print_node(node, &mut out);
            out.push_str(")$");
        }
    }
    out
}

/// Compile `pattern` as `awsrt::pattern::Pattern` will, so that a pattern the
/// engine refuses stops generation instead of failing at run time.
pub fn check(pattern: &str) -> Result<(), PatternError> {
    fancy_regex::Regex::new(pattern)
        .map(|_| ())
        .map_err(|e| PatternError {
            offset: 0,
            reason: format!("the run-time engine (fancy-regex) refuses it: {e}"),
        })
}

fn print_node(node: &Node, out: &mut String) {
    match node {
        Node::Empty => {}
        Node::Char(c) => push_char(*c, out),
        Node::Class(c) => print_class(c, out),
        Node::Assert(a) => {
            let w = word_class();
            // ECMA-262's `\b` looks at ASCII word characters only; the
            // engine's own `\b` is Unicode-aware, so it is spelled out.
            match a {
                Assert::Start => out.push('^'),
                Assert::End => out.push('$'),
                Assert::WordBoundary => {
                    let _ = write!(out, "(?:(?<={w})(?!{w})|(?<!{w})(?={w}))");
                }
                Assert::NotWordBoundary => {
                    let _ = write!(out, "(?:(?<={w})(?={w})|(?<!{w})(?!{w}))");
                }
            }
        }
        Node::Concat(v) => {
            for n in v {
                if matches!(n, Node::Alternation(_)) {
                    out.push_str("(?:");
                    print_node(n, out);
                    out.push(')');
                } else {
                    print_node(n, out);
                }
            }
        }
        Node::Alternation(v) => {
            for (i, n) in v.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                print_node(n, out);
            }
        }
        Node::Repeat {
            min,
            max,
            greedy,
            possessive,
            sub,
        } => {
            if matches!(
                **sub,
                Node::Char(_) | Node::Class(_) | Node::Group { .. } | Node::Backref(_)
            ) {
                print_node(sub, out);
            } else {
                out.push_str("(?:");
                print_node(sub, out);
                out.push(')');
            }
            let _ = match (min, max) {
                (0, None) => write!(out, "*"),
                (1, None) => write!(out, "+"),
                (0, Some(1)) => write!(out, "?"),
                (n, None) => write!(out, "{{{n},}}"),
                (n, Some(m)) if n == m => write!(out, "{{{n}}}"),
                (n, Some(m)) => write!(out, "{{{n},{m}}}"),
            };
            if !greedy {
                out.push('?');
            } else if *possessive {
                out.push('+');
            }
        }
        Node::Group { capture, sub } => {
            out.push_str(if *capture { "(" } else { "(?:" });
            print_node(sub, out);
            out.push(')');
        }
        Node::LookAround {
            behind,
            negated,
            sub,
        } => {
            out.push_str(match (behind, negated) {
                (false, false) => "(?=",
                (false, true) => "(?!",
                (true, false) => "(?<=",
                (true, true) => "(?<!",
            });
            print_node(sub, out);
            out.push(')');
        }
        // In a group, so that a digit after it is not read as part of the number.
        Node::Backref(n) => {
            let _ = write!(out, "(?:\\{n})");
        }
    }
}

fn word_class() -> String {
    let mut out = String::new();
    print_class(
        &Class {
            negated: false,
            items: WORD.iter().map(|&(a, b)| Item::Range(a, b)).collect(),
        },
        &mut out,
    );
    out
}

fn print_class(c: &Class, out: &mut String) {
    if c.items.is_empty() {
        // `[^]` (ECMA-262) is any character; `[]` is none.
        out.push_str(if c.negated {
            "(?s:.)"
        } else {
            "[^\\x{0}-\\x{10FFFF}]"
        });
        return;
    }
    out.push('[');
    if c.negated {
        out.push('^');
    }
    for item in &c.items {
        match item {
            Item::Range(a, b) => push_range(*a, *b, out),
            Item::Set {
                set: Set::Ranges(r),
                negated,
            } => {
                if *negated {
                    out.push_str("[^");
                }
                for &(a, b) in *r {
                    push_range(a, b, out);
                }
                if *negated {
                    out.push(']');
                }
            }
            Item::Set {
                set: Set::Property(name),
                negated,
            } => {
                let _ = write!(out, "\\{}{{{name}}}", if *negated { 'P' } else { 'p' });
            }
        }
    }
    out.push(']');
}

fn push_range(a: char, b: char, out: &mut String) {
    push_char(a, out);
    if b != a {
        out.push('-');
        push_char(b, out);
    }
}

/// A character as itself when it is printable ASCII (escaped when it means
/// something), else as `\x{..}`.
fn push_char(c: char, out: &mut String) {
    let named = match c {
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        _ => None,
    };
    if let Some(escape) = named {
        out.push_str(escape);
    } else if c.is_ascii_graphic() || c == ' ' {
        if regex_syntax::is_meta_character(c) {
            out.push('\\');
        }
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
    }
}
