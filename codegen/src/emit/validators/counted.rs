//! A pattern that is one class repeated (`patterns::CountedClass`, `^C{m,n}$`)
//! written out as the body of `fn matches_<shape>(value: &str) -> bool`: every
//! character must be in the class, and there must be between `m` and `n` of
//! them. No automaton, no regex engine.
//!
//! The class test is the shorter of `matches!` over its ranges and
//! `!matches!` over the ranges it leaves out (`\S`, `.`); for a class of many
//! ranges both ways (`\P{C}`), `matches!` for ASCII and a binary search in a
//! `const` table of the other ranges, one table per distinct class in the
//! file ([`Tables`]). Characters are counted as `chars()` (Unicode scalar
//! values), as `@length` counts them; counting stops one past the maximum.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::patterns::CountedClass;

/// The most ranges a `matches!` lists before a table is used instead.
const MAX_INLINE_RANGES: usize = 16;

/// The tables of the classes that need one, shared by the matchers of a file.
#[derive(Default)]
pub struct Tables {
    /// Each table's ranges and name, in the order first used.
    named: Vec<(Vec<(char, char)>, Ident)>,
}

impl Tables {
    /// The name of the table of `ranges`, made for the matcher `f` if new.
    fn name(&mut self, ranges: Vec<(char, char)>, f: &Ident) -> Ident {
        if let Some((_, name)) = self.named.iter().find(|(r, _)| *r == ranges) {
            return name.clone();
        }
        let name = crate::names::matcher_table(f);
        self.named.push((ranges, name.clone()));
        name
    }

    /// The tables as `const` items.
    pub fn items(&self) -> Vec<TokenStream> {
        self.named
            .iter()
            .map(|(ranges, name)| {
                let entries = ranges.iter().map(|&(lo, hi)| {
                    let (lo, hi) = (char_lit(lo), char_lit(hi));
                    quote!((#lo, #hi))
                });
                quote! {
                    /// The characters beyond ASCII of a pattern's class, as sorted ranges.
                    const #name: &[(char, char)] = &[#(#entries),*];
                }
            })
            .collect()
    }
}

/// The body of the matcher function `f` over `value: &str`.
pub fn body(c: &CountedClass, f: &Ident, tables: &mut Tables) -> TokenStream {
    let min = Literal::u32_unsuffixed(c.min);
    if c.chars.is_empty() || c.max == Some(0) {
        // Nothing to repeat: only the empty value can conform.
        return if c.min == 0 {
            quote!(value.is_empty())
        } else {
            quote! { let _ = value; false }
        };
    }
    let (setup, outside) = match test(&c.chars, f, tables) {
        Test::Always => {
            // Any characters: only the count matters.
            let max = c.max.map(Literal::u32_unsuffixed);
            return match (c.min, max) {
                (0, None) => quote! { let _ = value; true },
                (_, None) => quote!(value.chars().count() >= #min),
                (0, Some(max)) => quote!(value.chars().count() <= #max),
                (_, Some(max)) => quote!((#min..=#max).contains(&value.chars().count())),
            };
        }
        Test::Expr { setup, outside } => (setup, outside),
    };
    let Some(max) = c.max else {
        let verdict = (c.min > 0).then(|| quote!(&& value.chars().count() >= #min));
        return quote! {
            #setup
            !value.chars().any(|c| #outside) #verdict
        };
    };
    let max = Literal::u32_unsuffixed(max);
    let verdict = if c.min == 0 {
        quote!(true)
    } else {
        quote!(count >= #min)
    };
    quote! {
        #setup
        let mut count = 0usize;
        for c in value.chars() {
            count += 1;
            if count > #max || #outside {
                return false;
            }
        }
        #verdict
    }
}

/// How to tell a character outside the class.
enum Test {
    /// Every character is in the class.
    Always,
    /// `outside` (an expression over `c: char`) is true for characters
    /// outside the class, after the statements `setup`.
    Expr {
        setup: Option<TokenStream>,
        outside: TokenStream,
    },
}

fn test(chars: &[(char, char)], f: &Ident, tables: &mut Tables) -> Test {
    let others = complement(chars);
    if others.is_empty() {
        return Test::Always;
    }
    // The shorter list, of the characters in the class or of those outside it.
    let outside = if others.len() < chars.len() {
        (others.len() <= MAX_INLINE_RANGES).then(|| is_in(&others))
    } else {
        (chars.len() <= MAX_INLINE_RANGES).then(|| negated(chars))
    };
    if let Some(outside) = outside {
        return Test::Expr {
            setup: None,
            outside,
        };
    }
    // A table: ASCII by `matches!`, the rest by binary search.
    let ascii: Vec<(char, char)> = chars
        .iter()
        .filter(|&&(lo, _)| lo.is_ascii())
        .map(|&(lo, hi)| (lo, hi.min('\x7f')))
        .collect();
    let table: Vec<(char, char)> = chars
        .iter()
        .filter(|&&(_, hi)| !hi.is_ascii())
        .map(|&(lo, hi)| (lo.max('\u{80}'), hi))
        .collect();
    let ascii_test = if ascii.is_empty() {
        quote!(false)
    } else {
        is_in(&ascii)
    };
    let table = tables.name(table, f);
    let setup = quote! {
        let in_class = |c: char| {
            if c.is_ascii() {
                #ascii_test
            } else {
                let i = #table.partition_point(|&(_, hi)| hi < c);
                #table.get(i).is_some_and(|&(lo, _)| lo <= c)
            }
        };
    };
    Test::Expr {
        setup: Some(setup),
        outside: quote!(!in_class(c)),
    }
}

/// The scalar values outside `chars` (sorted ranges), as sorted ranges.
fn complement(chars: &[(char, char)]) -> Vec<(char, char)> {
    let mut class = regex_syntax::hir::ClassUnicode::new(
        chars
            .iter()
            .map(|&(lo, hi)| regex_syntax::hir::ClassUnicodeRange::new(lo, hi)),
    );
    class.negate();
    class.iter().map(|r| (r.start(), r.end())).collect()
}

/// Whether `c` is in `ranges`, as an expression (`char`'s own ASCII tests
/// for a single standard range, as clippy prefers).
fn is_in(ranges: &[(char, char)]) -> TokenStream {
    match ascii_method(ranges) {
        Some(method) => quote!(c.#method()),
        None => {
            let pats = patterns(ranges);
            quote!(matches!(c, #pats))
        }
    }
}

/// Whether `c` is outside `ranges`, as an expression.
fn negated(ranges: &[(char, char)]) -> TokenStream {
    match ascii_method(ranges) {
        Some(method) => quote!(!c.#method()),
        None => {
            let pats = patterns(ranges);
            quote!(!matches!(c, #pats))
        }
    }
}

fn ascii_method(ranges: &[(char, char)]) -> Option<proc_macro2::Ident> {
    let name = match ranges {
        [('a', 'z')] => "is_ascii_lowercase",
        [('A', 'Z')] => "is_ascii_uppercase",
        [('0', '9')] => "is_ascii_digit",
        _ => return None,
    };
    Some(proc_macro2::Ident::new(
        name,
        proc_macro2::Span::call_site(),
    ))
}

/// `'a'..='z' | '-'` for character ranges.
fn patterns(ranges: &[(char, char)]) -> TokenStream {
    let pats = ranges.iter().map(|&(a, b)| {
        let (la, lb) = (char_lit(a), char_lit(b));
        if a == b {
            quote!(#la)
        } else {
            quote!(#la..=#lb)
        }
    });
    quote!(#(#pats)|*)
}

/// A character literal: itself when printable ASCII, else `'\u{..}'`.
fn char_lit(c: char) -> Literal {
    if c.is_ascii_graphic() || c == ' ' {
        return Literal::character(c);
    }
    let named = match c {
        '\t' => Some("'\\t'"),
        '\n' => Some("'\\n'"),
        '\r' => Some("'\\r'"),
        _ => None,
    };
    let text = named.map_or_else(|| format!("'\\u{{{:x}}}'", u32::from(c)), String::from);
    text.parse().unwrap_or_else(|_| Literal::character(c))
}

#[cfg(test)]
mod tests;
