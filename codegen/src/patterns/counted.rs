//! Patterns that are one character class repeated: as matched, `^C{m,n}$`.
//!
//! Such a pattern means "every character of the value is in `C`, and there
//! are between `m` and `n` of them", which needs no automaton: the emitter
//! writes the class test and the count as plain Rust. It is the matcher for
//! the ones whose DFA is too large to write out (`\S{1,8192}`: one state per
//! count) and that the run-time engine refuses too.
//!
//! **Which patterns.** A pattern reduces to `C{m,n}` when, with its groups
//! taken away, it is one class (`[..]`, `\S`, `.`, `\p{..}`) or one character,
//! quantified or not, and it must match the whole value: a botocore pattern
//! ([`Semantics::WholeValue`]), where `^` before it and `$` after it add
//! nothing; a Smithy pattern ([`Semantics::Search`]) only when anchored at
//! both ends (`^C{m,n}$`, `\AC{m,n}\z`). An unanchored Smithy `\S{1,8192}`
//! means "contains a character that is not white space", which is not this
//! shape (its DFA is small). Lazy and possessive quantifiers give the same
//! verdicts here: the value must end where the repetition ends.
//!
//! **Searches.** A search for `C{m,n}` succeeds exactly where a search for
//! `C{m}` does (a run of `m` characters of `C` is a match, and every match
//! holds one), and the same holds for a class repeated at the start or at the
//! end of an alternative: [`trim_search`] cuts such counts to their minimum
//! before anything is built, so that Smithy's unanchored `\S{1,8192}` is the
//! small DFA of `\S`.
//!
//! **Counting.** Characters are Unicode scalar values, as the DFAs match them
//! and as `@length` counts them (and as Java counts code points): `😀` is one
//! character. ECMA-262 without the `u` flag would count it as two UTF-16 code
//! units; `docs/validation.md` records the difference.

use regex_syntax::hir::ClassUnicode;

use super::syntax::{Assert, Node};
use super::{dfa, Semantics};

/// "Every character in `chars`, between `min` and `max` of them."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedClass {
    /// The class: sorted, non-overlapping, non-adjacent inclusive ranges.
    pub chars: Vec<(char, char)>,
    /// The fewest characters.
    pub min: u32,
    /// The most, if bounded.
    pub max: Option<u32>,
}

impl CountedClass {
    /// Whether `value` conforms.
    pub fn is_match(&self, value: &str) -> bool {
        let mut count: u64 = 0;
        for c in value.chars() {
            count += 1;
            if self.max.is_some_and(|max| count > u64::from(max)) || !self.contains(c) {
                return false;
            }
        }
        count >= u64::from(self.min)
    }

    /// Whether `c` is in the class.
    pub fn contains(&self, c: char) -> bool {
        let i = self.chars.partition_point(|&(_, hi)| hi < c);
        self.chars.get(i).is_some_and(|&(lo, _)| lo <= c)
    }

    /// Whether the minimal DFA of this pattern certainly has more than
    /// `limit` states, so that building it is wasted time. With a non-empty
    /// class, the counts `0..=n` of `C{m,n}` are pairwise distinguishable
    /// states (from count `k`, `n - k` more characters conform, and from any
    /// larger count they do not), none of them "no match possible" or "match
    /// whatever follows": at least `n + 1` states. For `C{m,}` the counts
    /// `0..m` are (from `k`, `m - k` more conform, from a smaller count they
    /// do not): at least `m` states.
    pub fn dfa_exceeds(&self, limit: usize) -> bool {
        let at_least = match self.max {
            Some(n) => u64::from(n) + 1,
            None => u64::from(self.min),
        };
        !self.chars.is_empty() && at_least > limit as u64
    }
}

/// `node` read with `semantics` as a [`CountedClass`], when it is one.
pub fn reduce(node: &Node, semantics: Semantics) -> Option<CountedClass> {
    let mut items = Vec::new();
    flatten(node, &mut items);
    let mut start = false;
    while let Some(Node::Assert(Assert::Start)) = items.first() {
        items.remove(0);
        start = true;
    }
    let mut end = false;
    while let Some(Node::Assert(Assert::End)) = items.last() {
        items.pop();
        end = true;
    }
    if semantics == Semantics::Search && !(start && end) {
        return None;
    }
    let [item] = items[..] else { return None };
    let (min, max, sub) = match ungroup(item) {
        Node::Repeat { min, max, sub, .. } => (*min, *max, ungroup(sub)),
        single => (1, Some(1), single),
    };
    let class = match sub {
        Node::Char(c) => ClassUnicode::new([regex_syntax::hir::ClassUnicodeRange::new(*c, *c)]),
        Node::Class(c) => dfa::class(c),
        _ => return None,
    };
    Some(CountedClass {
        chars: class.iter().map(|r| (r.start(), r.end())).collect(),
        min,
        max,
    })
}

/// `node` read as a search, with every class or character repeated at the
/// start or at the end of a top-level alternative cut to its minimum count
/// (`C{m,n}` becomes `C{m}`), unless an anchor holds it there (`^` before
/// it, `$` after it). The searches succeed on the same values: if `C{k} X`
/// matches at `p`, `C{m} X` matches at `p + k - m` with `X` where it was; if
/// `X C{k}` matches, so does its prefix `X C{m}`; and the converses are
/// matches of the original. A possessive count is left alone (it can take
/// characters `X` needs), and so is a group's: only a plain class or
/// character is cut, so no backreference can see the difference.
pub fn trim_search(node: &Node) -> Node {
    match node {
        Node::Alternation(alts) => Node::Alternation(alts.iter().map(trim_alternative).collect()),
        other => trim_alternative(other),
    }
}

fn trim_alternative(node: &Node) -> Node {
    let mut terms = match node {
        Node::Concat(v) => v.clone(),
        other => vec![other.clone()],
    };
    if let Some(last) = terms.last_mut() {
        trim_term(last);
    }
    if terms.len() > 1 {
        trim_term(&mut terms[0]);
    }
    match terms.len() {
        1 => terms.remove(0),
        _ => Node::Concat(terms),
    }
}

/// `C{m,n}` as `C{m}`, for a plain class or character that is not possessive.
fn trim_term(term: &mut Node) {
    if let Node::Repeat {
        min,
        max,
        possessive: false,
        sub,
        ..
    } = term
    {
        if matches!(**sub, Node::Char(_) | Node::Class(_)) {
            *max = Some(*min);
        }
    }
}

/// The terms of a concatenation, through groups (which change no verdict
/// without backreferences, and a counted class has none).
fn flatten<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match node {
        Node::Concat(v) => v.iter().for_each(|n| flatten(n, out)),
        Node::Group { sub, .. } => flatten(sub, out),
        Node::Empty => {}
        other => out.push(other),
    }
}

fn ungroup(mut node: &Node) -> &Node {
    while let Node::Group { sub, .. } = node {
        node = sub;
    }
    node
}
