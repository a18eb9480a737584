//! A pattern's DFA (`patterns::Dfa`) written out as the body of a Rust
//! function `fn matches_<shape>(value: &str) -> bool`.
//!
//! The function walks the value's bytes with an index and a state number. A
//! state is emitted by what it does, so that most bytes cost no dispatch:
//!
//! - a run of states that each accept one byte only is a literal, compared as
//!   a slice (`arn:aws:ivschat:`);
//! - a state that loops on itself skips the bytes of its loop in a tight
//!   `while` before looking at the byte that leaves it (`[a-z0-9-]+`);
//! - any other state matches the next byte against its ranges.
//!
//! A byte with no transition means the value does not conform; reaching the
//! DFA's match state means it does, whatever follows. Only the states the
//! emitted code can reach are written (a literal skips the states inside it),
//! and a DFA whose start state never leads to another becomes straight-line
//! code. Indexing goes through `get`, so the function cannot panic.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::patterns::{Dfa, Next};

/// The longest literal compared at once.
const MAX_LITERAL: usize = 64;

/// What one state does.
enum Block {
    /// The next bytes must be `bytes`; then go to `end`.
    Literal { bytes: Vec<u8>, end: Next },
    /// Skip bytes in `skip` (a self-loop), then take the next byte through
    /// `arms`; at the end of the value, conform when `at_end`.
    Step {
        skip: Option<Vec<(u8, u8)>>,
        arms: Vec<(Vec<(u8, u8)>, Next)>,
        at_end: bool,
    },
}

impl Block {
    fn of(dfa: &Dfa, s: usize) -> Block {
        literal(dfa, s).unwrap_or_else(|| {
            let mut skip = None;
            let mut arms = Vec::new();
            for (next, ranges) in dfa.ranges(s) {
                if next == Next::State(s) {
                    skip = Some(ranges);
                } else {
                    arms.push((ranges, next));
                }
            }
            Block::Step {
                skip,
                arms,
                at_end: dfa.states[s].accept_at_end,
            }
        })
    }

    fn targets(&self) -> Vec<Next> {
        match self {
            Block::Literal { end, .. } => vec![*end],
            Block::Step { arms, .. } => arms.iter().map(|(_, n)| *n).collect(),
        }
    }

    fn moves_index(&self) -> bool {
        match self {
            Block::Literal { end, .. } => matches!(end, Next::State(_)),
            Block::Step { skip, arms, .. } => {
                skip.is_some() || arms.iter().any(|(_, n)| matches!(n, Next::State(_)))
            }
        }
    }
}

/// The body of a matcher function over `value: &str`.
pub fn body(dfa: &Dfa) -> TokenStream {
    let start = match dfa.start {
        Next::Dead => return quote! { let _ = value; false },
        Next::Match => return quote! { let _ = value; true },
        Next::State(i) => i,
    };
    let mut blocks = BTreeMap::new();
    let mut todo = vec![start];
    while let Some(s) = todo.pop() {
        if blocks.contains_key(&s) {
            continue;
        }
        let block = Block::of(dfa, s);
        todo.extend(block.targets().into_iter().filter_map(|t| match t {
            Next::State(j) => Some(j),
            _ => None,
        }));
        blocks.insert(s, block);
    }
    let index = if blocks.values().any(Block::moves_index) {
        quote!(let mut i = 0usize;)
    } else {
        quote!(let i = 0usize;)
    };
    let looping = blocks
        .values()
        .flat_map(Block::targets)
        .any(|t| matches!(t, Next::State(_)));
    if !looping {
        // Only the start state: no loop, and the verdict is the last expression.
        let code = straight(&blocks[&start]);
        return quote! {
            let bytes = value.as_bytes();
            #index
            #code
        };
    }
    // Below 256 states, so that the catch-all arm (states no value reaches)
    // is never unreachable, which rustc would warn about.
    let state_type = if dfa.states.len() < 256 {
        quote!(u8)
    } else if dfa.states.len() <= 65536 {
        quote!(u16)
    } else {
        quote!(u32)
    };
    let arms = blocks.iter().map(|(s, block)| {
        let n = state(*s);
        let code = in_loop(block);
        quote! { #n => { #code } }
    });
    let start = state(start);
    quote! {
        let bytes = value.as_bytes();
        #index
        let mut state: #state_type = #start;
        loop {
            match state {
                #(#arms)*
                _ => return false,
            }
        }
    }
}

fn state(i: usize) -> Literal {
    Literal::usize_unsuffixed(i)
}

/// An expression that goes to `next` from inside the loop.
fn go(next: Next) -> TokenStream {
    match next {
        Next::Match => quote!(return true),
        Next::Dead => quote!(return false),
        Next::State(j) => {
            let j = state(j);
            quote!(state = #j)
        }
    }
}

/// A state as statements inside the loop.
fn in_loop(block: &Block) -> TokenStream {
    match block {
        Block::Literal { bytes, end } => {
            let (len, lit) = (
                Literal::usize_unsuffixed(bytes.len()),
                Literal::byte_string(bytes),
            );
            let advance = matches!(end, Next::State(_)).then(|| quote!(i += #len;));
            let to = go(*end);
            quote! {
                if bytes.get(i..i + #len) != Some(#lit.as_slice()) {
                    return false;
                }
                #advance
                #to;
            }
        }
        Block::Step { skip, arms, at_end } => {
            let skip = skip.as_ref().map(|r| skip_loop(r));
            if arms.is_empty() {
                // Only the loop (or nothing) is left: the value must end here.
                let verdict = if *at_end {
                    quote!(i == bytes.len())
                } else {
                    quote!(false)
                };
                return quote! { #skip return #verdict; };
            }
            let advance = arms
                .iter()
                .any(|(_, n)| matches!(n, Next::State(_)))
                .then(|| quote!(i += 1;));
            let arms = arms.iter().map(|(ranges, next)| {
                let pats = patterns(ranges);
                let to = go(*next);
                quote! { #pats => #to, }
            });
            quote! {
                #skip
                let Some(&byte) = bytes.get(i) else { return #at_end; };
                #advance
                match byte {
                    #(#arms)*
                    _ => return false,
                }
            }
        }
    }
}

/// The start state as straight-line code ending in the verdict, for a DFA
/// whose start state leads only to a verdict.
fn straight(block: &Block) -> TokenStream {
    match block {
        Block::Literal { bytes, end } => {
            let (len, lit) = (
                Literal::usize_unsuffixed(bytes.len()),
                Literal::byte_string(bytes),
            );
            match end {
                Next::Match => quote!(bytes.get(i..i + #len) == Some(#lit.as_slice())),
                _ => quote!(false),
            }
        }
        Block::Step { skip, arms, at_end } => {
            let skip = skip.as_ref().map(|r| skip_loop(r));
            let matching: Vec<&Vec<(u8, u8)>> = arms
                .iter()
                .filter(|(_, n)| *n == Next::Match)
                .map(|(r, _)| r)
                .collect();
            let verdict = if matching.is_empty() {
                if *at_end {
                    quote!(i == bytes.len())
                } else {
                    quote!(false)
                }
            } else {
                let all: Vec<(u8, u8)> = matching.iter().flat_map(|r| r.iter().copied()).collect();
                let test = byte_test(&all);
                if *at_end {
                    quote! {
                        match bytes.get(i) {
                            None => true,
                            Some(byte) => #test,
                        }
                    }
                } else {
                    quote!(bytes.get(i).is_some_and(|byte| #test))
                }
            };
            quote! { #skip #verdict }
        }
    }
}

/// Whether `byte: &u8` is in `ranges`, as an expression (`u8`'s own ASCII
/// tests for a single standard range, as clippy prefers).
fn byte_test(ranges: &[(u8, u8)]) -> TokenStream {
    match ranges {
        [(b'a', b'z')] => quote!(byte.is_ascii_lowercase()),
        [(b'A', b'Z')] => quote!(byte.is_ascii_uppercase()),
        [(b'0', b'9')] => quote!(byte.is_ascii_digit()),
        _ => {
            let pats = patterns(ranges);
            quote!(matches!(byte, #pats))
        }
    }
}

fn skip_loop(ranges: &[(u8, u8)]) -> TokenStream {
    let pats = patterns(ranges);
    quote! {
        while let Some(#pats) = bytes.get(i) {
            i += 1;
        }
    }
}

/// The single byte state `s` accepts and where it leads, if it accepts one only.
fn only_byte(dfa: &Dfa, s: usize) -> Option<(u8, Next)> {
    let st = &dfa.states[s];
    if st.accept_at_end {
        return None;
    }
    let mut live = st
        .next
        .iter()
        .enumerate()
        .filter(|(_, n)| **n != Next::Dead);
    let (b, n) = live.next()?;
    if live.next().is_some() {
        return None;
    }
    Some((b as u8, *n))
}

/// States that each accept one byte, from `s`, as one literal (two bytes or more).
fn literal(dfa: &Dfa, s: usize) -> Option<Block> {
    let mut bytes = Vec::new();
    let mut at = s;
    let end = loop {
        let Some((b, next)) = only_byte(dfa, at) else {
            break Next::State(at);
        };
        bytes.push(b);
        match next {
            Next::State(j) if j != s && bytes.len() < MAX_LITERAL => at = j,
            other => break other,
        }
    };
    (bytes.len() >= 2).then_some(Block::Literal { bytes, end })
}

/// `b'a'..=b'z' | b'-'` for byte ranges.
fn patterns(ranges: &[(u8, u8)]) -> TokenStream {
    let pats = ranges.iter().map(|&(a, b)| {
        let (la, lb) = (byte(a), byte(b));
        if a == b {
            la
        } else {
            quote!(#la..=#lb)
        }
    });
    quote!(#(#pats)|*)
}

/// A byte as a pattern: `b'a'` when printable ASCII, else hex (`0xE2`).
fn byte(b: u8) -> TokenStream {
    if b.is_ascii_alphanumeric() || (b.is_ascii_punctuation() && b != b'\'' && b != b'\\') {
        let lit = Literal::byte_character(b);
        quote!(#lit)
    } else {
        match format!("0x{b:02X}").parse::<Literal>() {
            Ok(lit) => quote!(#lit),
            Err(_) => {
                let lit = Literal::u8_unsuffixed(b);
                quote!(#lit)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::{compile, Semantics};

    fn emitted(p: &str, s: Semantics) -> String {
        let body = body(&compile(p, s).unwrap());
        prettyplease::unparse(&syn::parse_quote! { fn f(value: &str) -> bool { #body } })
    }

    #[test]
    fn literals_compare_as_slices_and_loops_skip() {
        let code = emitted(
            "^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$",
            Semantics::Search,
        );
        assert!(code.contains(r#"b"arn:aws:ivschat:""#), "{code}");
        assert!(code.contains(r#"b"room/""#), "{code}");
        assert!(
            code.contains("while let Some(b'0'..=b'9') = bytes.get(i)"),
            "{code}"
        );
        // The states inside a literal are not written.
        assert!(!code.contains(r#"b"rn:aws"#), "{code}");
    }

    #[test]
    fn a_single_state_is_straight_line_code() {
        let code = emitted("[a-zA-Z0-9-_]*", Semantics::WholeValue);
        assert!(!code.contains("loop"), "{code}");
        assert!(code.trim_end().ends_with("i == bytes.len()\n}"), "{code}");
        let code = emitted("^ab", Semantics::Search);
        assert!(
            code.contains(r#"bytes.get(i..i + 2) == Some(b"ab".as_slice())"#),
            "{code}"
        );
        assert!(code.contains("let i = 0usize;"), "{code}");
        let code = emitted("x", Semantics::Search);
        assert!(!code.contains("loop"), "{code}");
    }

    #[test]
    fn constant_verdicts() {
        assert!(emitted("a*", Semantics::Search).contains("true"));
        assert!(emitted("[]", Semantics::Search).contains("false"));
    }
}
