//! A model's pattern text parsed into a [`Node`] tree.
//!
//! The grammar is ECMA-262's, without flags, with its Annex B leniencies: a
//! backslash before a character that is not a letter or a digit means the
//! character (`\:`, `\_`, `\-`, `\/`), and `]`, `{` that start nothing are
//! literals. On top of it, the forms of Java's `java.util.regex` that AWS
//! models use, where ECMA-262 without flags has no meaning for them or one no
//! model author intended (a syntax error, or `\p{L}` as the text `p{L}`):
//! `\p{..}`/`\P{..}` Unicode properties and POSIX classes, inline flags
//! `(?i)`, `(?s)` (alone or scoped, `(?i:..)`), and the anchors `\A`, `\z`.
//! The services themselves validate with Java, so these read as Java reads
//! them; everything ECMA-262 defines reads as ECMA-262 defines it.

use super::PatternError;

/// The most a `{n,m}` quantifier may count (the engines' size limits bound
/// the product of nested counts).
const MAX_REPEAT: u32 = 100_000;
/// The deepest group nesting accepted.
const MAX_DEPTH: usize = 64;

/// A parsed pattern (or part of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Matches the empty string.
    Empty,
    /// One character.
    Char(char),
    /// A set of characters.
    Class(Class),
    /// A zero-width assertion.
    Assert(Assert),
    /// One after the other.
    Concat(Vec<Node>),
    /// Any one of these.
    Alternation(Vec<Node>),
    /// `sub` between `min` and `max` times (`None`: no upper bound).
    Repeat {
        /// The fewest repetitions.
        min: u32,
        /// The most, if bounded.
        max: Option<u32>,
        /// Greedy (`*`) or lazy (`*?`); it changes no verdict.
        greedy: bool,
        /// Possessive (Java's `*+`): never gives back what it matched.
        possessive: bool,
        /// What repeats.
        sub: Box<Node>,
    },
    /// A group; capturing groups can be referred to by number.
    Group {
        /// Whether the group captures (for backreferences).
        capture: bool,
        /// The group's contents.
        sub: Box<Node>,
    },
    /// `(?=..)`, `(?!..)`, `(?<=..)`, `(?<!..)`.
    LookAround {
        /// Looks behind (else ahead).
        behind: bool,
        /// Succeeds when `sub` does not match.
        negated: bool,
        /// What is looked for.
        sub: Box<Node>,
    },
    /// `\1`: the text the capturing group with this number matched.
    Backref(u32),
}

/// A zero-width assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assert {
    /// `^`, `\A`: the start of the value.
    Start,
    /// `$`, `\z`: the end of the value.
    End,
    /// `\b`: between an ASCII word character and anything else.
    WordBoundary,
    /// `\B`: not at a word boundary.
    NotWordBoundary,
}

/// A set of characters: `[..]`, `.`, `\d`, `\p{L}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// Every character not in `items`.
    pub negated: bool,
    /// The union of these.
    pub items: Vec<Item>,
}

/// One member of a [`Class`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The characters from the first to the second, inclusive.
    Range(char, char),
    /// A named set, or (`negated`) everything outside it.
    Set {
        /// The set.
        set: Set,
        /// Its complement instead.
        negated: bool,
    },
}

/// A named set of characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Set {
    /// A fixed set: ECMA-262's `\d`, `\w`, `\s`, Java's POSIX classes
    /// (`\p{Alnum}`, ASCII only as in Java).
    Ranges(&'static [(char, char)]),
    /// A Unicode property, by its name in `regex-syntax` (`L`, `Alphabetic`,
    /// `White_Space`), from a Java `\p{..}`.
    Property(String),
}

/// ECMA-262 LineTerminator: what `.` does not match.
pub const LINE_TERMINATORS: &[(char, char)] =
    &[('\n', '\n'), ('\r', '\r'), ('\u{2028}', '\u{2029}')];
/// ECMA-262 `\s`: WhiteSpace and LineTerminator.
pub const SPACE: &[(char, char)] = &[
    ('\t', '\r'),
    (' ', ' '),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
    ('\u{feff}', '\u{feff}'),
];
/// ECMA-262 `\d`.
pub const DIGIT: &[(char, char)] = &[('0', '9')];
/// ECMA-262 `\w`, and the word characters of `\b`.
pub const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

impl Class {
    fn of(ranges: &[(char, char)], negated: bool) -> Class {
        Class {
            negated,
            items: ranges.iter().map(|&(a, b)| Item::Range(a, b)).collect(),
        }
    }
}

impl Node {
    /// Whether any part of the pattern satisfies `f`.
    pub fn any(&self, f: &dyn Fn(&Node) -> bool) -> bool {
        f(self)
            || match self {
                Node::Concat(v) | Node::Alternation(v) => v.iter().any(|n| n.any(f)),
                Node::Repeat { sub, .. }
                | Node::Group { sub, .. }
                | Node::LookAround { sub, .. } => sub.any(f),
                _ => false,
            }
    }
}

/// A parsed pattern and what the emitter needs to show it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The pattern, unanchored.
    pub node: Node,
    /// Top-level alternatives (`a|b` has 2).
    pub alternatives: usize,
    /// With one alternative: whether it starts with `^`.
    pub starts_with_caret: bool,
    /// With one alternative: whether it ends with `$`.
    pub ends_with_dollar: bool,
}

/// Parse a pattern (see the module docs for the grammar).
pub fn parse(pattern: &str) -> Result<Parsed, PatternError> {
    let mut p = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
        depth: 0,
        flags: Flags::default(),
        groups: 0,
        backrefs: Vec::new(),
    };
    let (alts, first) = p.disjunction()?;
    if let Some(c) = p.peek() {
        // Only an unmatched `)` stops the top-level disjunction early.
        return Err(p.error(format!("unmatched `{c}`")));
    }
    if let Some(&(at, n)) = p.backrefs.iter().find(|(_, n)| *n > p.groups) {
        return Err(p.error_at(
            at,
            format!(
                "`\\{n}` refers to group {n}, and the pattern has {} (octal escapes are not supported)",
                p.groups
            ),
        ));
    }
    let alternatives = alts.len();
    let (starts_with_caret, ends_with_dollar) = first.unwrap_or((false, false));
    Ok(Parsed {
        node: alternation(alts),
        alternatives,
        starts_with_caret,
        ends_with_dollar,
    })
}

fn alternation(mut alts: Vec<Node>) -> Node {
    if alts.len() == 1 {
        alts.remove(0)
    } else {
        Node::Alternation(alts)
    }
}

fn concat(mut terms: Vec<Node>) -> Node {
    terms.retain(|t| *t != Node::Empty);
    match terms.len() {
        0 => Node::Empty,
        1 => terms.remove(0),
        _ => Node::Concat(terms),
    }
}

/// Java's inline flags in effect.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    /// `(?i)`: ASCII letters match either case (Java's default for the flag).
    ignore_case: bool,
    /// `(?s)`: `.` matches line terminators too.
    dot_all: bool,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    flags: Flags,
    /// Capturing groups opened so far.
    groups: u32,
    /// Each backreference's offset and group number, checked at the end.
    backrefs: Vec<(usize, u32)>,
}

/// Whether an alternative starts with `^` and whether it ends with `$`.
type Anchors = (bool, bool);

/// One class atom: a UTF-16 code unit (a character, or a lone surrogate) or
/// a set (`\d`).
enum ClassAtom {
    Unit(u32),
    Set(Item),
}

fn push_atom(items: &mut Vec<Item>, atom: ClassAtom) {
    match atom {
        ClassAtom::Unit(c) => push_range(items, c, c),
        ClassAtom::Set(s) => items.push(s),
    }
}

/// The characters from `a` to `b`, without the surrogates (no value holds one).
fn push_range(items: &mut Vec<Item>, a: u32, b: u32) {
    for (lo, hi) in [(a, b.min(0xD7FF)), (a.max(0xE000), b)] {
        if let (Some(lo), Some(hi)) = (char::from_u32(lo), char::from_u32(hi)) {
            if lo <= hi {
                items.push(Item::Range(lo, hi));
            }
        }
    }
}

enum Escape {
    Char(char),
    Set(Item),
    Assert(Assert),
    Backref(u32),
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error(&self, reason: impl Into<String>) -> PatternError {
        self.error_at(self.pos, reason)
    }

    fn error_at(&self, offset: usize, reason: impl Into<String>) -> PatternError {
        PatternError {
            offset,
            reason: reason.into(),
        }
    }

    /// Alternatives, and for the first one whether it is anchored at each end.
    fn disjunction(&mut self) -> Result<(Vec<Node>, Option<Anchors>), PatternError> {
        let mut alts = Vec::new();
        let mut first = None;
        // Flags set by `(?i)` last until the end of the enclosing group.
        let flags = self.flags;
        loop {
            let (terms, anchors) = self.alternative()?;
            if first.is_none() {
                first = Some(anchors);
            }
            alts.push(concat(terms));
            if !self.eat('|') {
                break;
            }
        }
        self.flags = flags;
        Ok((alts, first))
    }

    fn alternative(&mut self) -> Result<(Vec<Node>, Anchors), PatternError> {
        let mut terms = Vec::new();
        let starts = self.peek() == Some('^');
        let mut ends = false;
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            ends = c == '$';
            terms.push(self.term()?);
        }
        Ok((terms, (starts, ends)))
    }

    fn term(&mut self) -> Result<Node, PatternError> {
        let at = self.pos;
        let c = self.peek().unwrap_or('\0');
        let atom = match c {
            '^' | '$' => {
                self.pos += 1;
                let a = if c == '^' { Assert::Start } else { Assert::End };
                return self.zero_width(Node::Assert(a), at);
            }
            '(' => match self.group()? {
                Node::Empty => {
                    if self.quantifier_ahead() {
                        return Err(self.error("an inline flag group cannot be repeated"));
                    }
                    return Ok(Node::Empty);
                }
                look @ Node::LookAround { .. } => return self.zero_width(look, at),
                node => node,
            },
            '[' => self.class()?,
            '.' => {
                self.pos += 1;
                if self.flags.dot_all {
                    Node::Class(Class::of(&[], true))
                } else {
                    Node::Class(Class::of(LINE_TERMINATORS, true))
                }
            }
            '\\' => match self.atom_escape()? {
                Escape::Char(c) => self.char_node(c),
                Escape::Set(item) => Node::Class(self.fold(Class {
                    negated: false,
                    items: vec![item],
                })),
                Escape::Assert(a) => return self.zero_width(Node::Assert(a), at),
                Escape::Backref(n) => {
                    self.backrefs.push((at, n));
                    Node::Backref(n)
                }
            },
            '*' | '+' | '?' => return Err(self.error(format!("nothing to repeat before `{c}`"))),
            '{' if self.braced_quantifier_ahead() => {
                return Err(self.error("nothing to repeat before `{`"));
            }
            _ => {
                self.pos += 1;
                self.char_node(c)
            }
        };
        self.quantified(atom, at)
    }

    /// A zero-width assertion or lookaround, and a quantifier after it:
    /// ECMA-262 refuses one on `^`, `$`, `\b` (Annex B allows it on
    /// lookahead), Java allows it. Repeating what consumes nothing is the same
    /// as doing it once, and optional when the count may be 0.
    fn zero_width(&mut self, node: Node, at: usize) -> Result<Node, PatternError> {
        Ok(match self.quantified(node, at)? {
            Node::Repeat { min: 0, .. } => Node::Empty,
            Node::Repeat { sub, .. } => *sub,
            node => node,
        })
    }

    /// A literal character, both cases of an ASCII letter under `(?i)`.
    fn char_node(&self, c: char) -> Node {
        if self.flags.ignore_case && c.is_ascii_alphabetic() {
            Node::Class(self.fold(Class::of(&[(c, c)], false)))
        } else {
            Node::Char(c)
        }
    }

    /// Under `(?i)`, add the other case of every ASCII letter in the class's
    /// ranges (Java's case-insensitive matching is ASCII-only by default).
    fn fold(&self, mut class: Class) -> Class {
        if !self.flags.ignore_case {
            return class;
        }
        let mut extra = Vec::new();
        for item in &class.items {
            if let Item::Range(a, b) = *item {
                for (lo, hi, shift) in [('a', 'z', -32i32), ('A', 'Z', 32)] {
                    let (from, to) = (a.max(lo), b.min(hi));
                    if from <= to {
                        let moved = |c: char| char::from((c as i32 + shift) as u8);
                        extra.push(Item::Range(moved(from), moved(to)));
                    }
                }
            }
        }
        class.items.extend(extra);
        class
    }

    fn quantifier_ahead(&self) -> bool {
        matches!(self.peek(), Some('*' | '+' | '?')) || self.braced_quantifier_ahead()
    }

    /// Whether `{n}`, `{n,}` or `{n,m}` starts here.
    fn braced_quantifier_ahead(&self) -> bool {
        let mut i = self.pos;
        let get = |i: usize| self.chars.get(i).copied();
        if get(i) != Some('{') {
            return false;
        }
        i += 1;
        let digits_from = i;
        while get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == digits_from {
            return false;
        }
        if get(i) == Some(',') {
            i += 1;
            while get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        }
        get(i) == Some('}')
    }

    fn number(&mut self) -> Result<u32, PatternError> {
        let from = self.pos;
        let mut n: u64 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            n = (n * 10 + u64::from(d)).min(u64::from(u32::MAX));
            self.pos += 1;
        }
        if n > u64::from(MAX_REPEAT) {
            return Err(self.error_at(
                from,
                format!("repetition count {n} is above the supported {MAX_REPEAT}"),
            ));
        }
        Ok(n as u32)
    }

    fn quantified(&mut self, atom: Node, at: usize) -> Result<Node, PatternError> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') if self.braced_quantifier_ahead() => {
                self.pos += 1;
                let min = self.number()?;
                let max = if self.eat(',') {
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.number()?)
                    }
                } else {
                    Some(min)
                };
                self.eat('}');
                if max.is_some_and(|m| m < min) {
                    return Err(self.error_at(at, "numbers out of order in a `{}` quantifier"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        // Laziness does not change whether a value conforms; a possessive
        // quantifier (Java's `*+`) can.
        let greedy = !self.eat('?');
        let possessive = greedy && self.eat('+');
        if self.quantifier_ahead() {
            return Err(self.error("nothing to repeat (a quantifier follows a quantifier)"));
        }
        Ok(Node::Repeat {
            min,
            max,
            greedy,
            possessive,
            sub: Box::new(atom),
        })
    }

    fn group(&mut self) -> Result<Node, PatternError> {
        let at = self.pos;
        self.pos += 1; // (
        let mut capture = true;
        let mut look = None;
        let saved = self.flags;
        if self.eat('?') {
            match (self.peek(), self.peek_at(1)) {
                (Some(':'), _) => {
                    self.pos += 1;
                    capture = false;
                }
                (Some(c @ ('=' | '!')), _) => {
                    self.pos += 1;
                    look = Some((false, c == '!'));
                }
                (Some('<'), Some(c @ ('=' | '!'))) => {
                    self.pos += 2;
                    look = Some((true, c == '!'));
                }
                (Some('<'), _) => {
                    // A named group matches like any group.
                    self.pos += 1;
                    let name_at = self.pos;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
                    {
                        self.pos += 1;
                    }
                    if self.pos == name_at || !self.eat('>') {
                        return Err(self.error_at(at, "malformed group name"));
                    }
                }
                (Some(c), _) if c.is_ascii_alphabetic() || c == '-' => {
                    // Java's inline flags: `(?i)` for the rest of the group,
                    // `(?i:..)` for its contents.
                    let flags = self.inline_flags(at)?;
                    if self.eat(')') {
                        self.flags = flags;
                        return Ok(Node::Empty);
                    }
                    self.pos += 1; // `:`, checked by inline_flags
                    self.flags = flags;
                    capture = false;
                }
                _ => return Err(self.error_at(at, "unknown group syntax after `(?`")),
            }
        }
        if capture && look.is_none() {
            self.groups += 1;
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(at, format!("groups nested deeper than {MAX_DEPTH}")));
        }
        let (alts, _) = self.disjunction()?;
        self.depth -= 1;
        self.flags = saved;
        if !self.eat(')') {
            return Err(self.error_at(at, "unclosed group"));
        }
        let sub = Box::new(alternation(alts));
        Ok(match look {
            Some((behind, negated)) => Node::LookAround {
                behind,
                negated,
                sub,
            },
            None => Node::Group { capture, sub },
        })
    }

    /// The flags after `(?` up to a `)` or `:` (not consumed): `i`, `s`,
    /// turned off after a `-`.
    fn inline_flags(&mut self, at: usize) -> Result<Flags, PatternError> {
        let mut flags = self.flags;
        let mut on = true;
        loop {
            match self.peek() {
                Some('i') => flags.ignore_case = on,
                Some('s') => flags.dot_all = on,
                Some('-') if on => on = false,
                Some(')' | ':') => return Ok(flags),
                Some(c) => {
                    return Err(self.error_at(
                        at,
                        format!("the inline flag `{c}` is not supported (only `i` and `s` are)"),
                    ))
                }
                None => return Err(self.error_at(at, "unclosed group")),
            }
            self.pos += 1;
        }
    }

    fn class(&mut self) -> Result<Node, PatternError> {
        let at = self.pos;
        self.pos += 1; // [
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error_at(at, "unclosed character class"));
            };
            if c == ']' {
                self.pos += 1;
                break;
            }
            let from = self.pos;
            let first = self.class_atom()?;
            let is_range = self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']');
            if !is_range {
                push_atom(&mut items, first);
                continue;
            }
            self.pos += 1; // -
            let second = self.class_atom()?;
            match (first, second) {
                (ClassAtom::Unit(a), ClassAtom::Unit(b)) if a <= b => push_range(&mut items, a, b),
                (ClassAtom::Unit(_), ClassAtom::Unit(_)) => {
                    return Err(self.error_at(from, "range out of order in character class"));
                }
                // Annex B: with a class escape at either end, `-` is itself.
                (first, second) => {
                    push_atom(&mut items, first);
                    items.push(Item::Range('-', '-'));
                    push_atom(&mut items, second);
                }
            }
        }
        Ok(Node::Class(self.fold(Class { negated, items })))
    }

    fn class_atom(&mut self) -> Result<ClassAtom, PatternError> {
        let at = self.pos;
        let Some(c) = self.peek() else {
            return Err(self.error("unclosed character class"));
        };
        self.pos += 1;
        let atom = if c != '\\' {
            ClassAtom::Unit(u32::from(c))
        } else {
            match self.peek() {
                // In a class, `\b` is backspace and `\-` is `-`.
                Some('b') => {
                    self.pos += 1;
                    ClassAtom::Unit(8)
                }
                Some('-') => {
                    self.pos += 1;
                    ClassAtom::Unit(u32::from('-'))
                }
                Some('u') if self.peek_at(1) != Some('{') => {
                    // A surrogate pair written as two escapes is one character
                    // (as Java reads it); a lone surrogate is a code unit no
                    // string of scalar values contains: kept as a number, it
                    // matches nothing.
                    self.pos += 1;
                    let v = self
                        .hex(4)
                        .ok_or_else(|| self.error_at(at, "`\\u` needs four hex digits"))?;
                    ClassAtom::Unit(self.low_surrogate_after(v).unwrap_or(v))
                }
                _ => match self.escape(at, true)? {
                    Escape::Char(c) => ClassAtom::Unit(u32::from(c)),
                    Escape::Set(s) => ClassAtom::Set(s),
                    Escape::Assert(_) | Escape::Backref(_) => {
                        return Err(self.error_at(at, "an assertion or backreference in a class"))
                    }
                },
            }
        };
        Ok(atom)
    }

    fn atom_escape(&mut self) -> Result<Escape, PatternError> {
        let at = self.pos;
        self.pos += 1; // backslash
        match self.peek() {
            Some('b' | 'B') => {
                let negated = self.peek() == Some('B');
                self.pos += 1;
                Ok(Escape::Assert(if negated {
                    Assert::NotWordBoundary
                } else {
                    Assert::WordBoundary
                }))
            }
            Some('A') => {
                self.pos += 1;
                Ok(Escape::Assert(Assert::Start))
            }
            Some('z') => {
                self.pos += 1;
                Ok(Escape::Assert(Assert::End))
            }
            Some('1'..='9') => {
                let from = self.pos;
                let mut n: u32 = 0;
                while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(d);
                    self.pos += 1;
                }
                if self.pos - from > 5 {
                    return Err(self.error_at(at, "a backreference number that large"));
                }
                Ok(Escape::Backref(n))
            }
            _ => self.escape(at, false),
        }
    }

    /// The escape after a backslash (already consumed) at `at`.
    fn escape(&mut self, at: usize, in_class: bool) -> Result<Escape, PatternError> {
        let Some(c) = self.peek() else {
            return Err(self.error_at(at, "the pattern ends with a lone backslash"));
        };
        self.pos += 1;
        let set = |set: Set, negated: bool| Ok(Escape::Set(Item::Set { set, negated }));
        match c {
            'd' => set(Set::Ranges(DIGIT), false),
            'D' => set(Set::Ranges(DIGIT), true),
            'w' => set(Set::Ranges(WORD), false),
            'W' => set(Set::Ranges(WORD), true),
            's' => set(Set::Ranges(SPACE), false),
            'S' => set(Set::Ranges(SPACE), true),
            'f' => Ok(Escape::Char('\u{c}')),
            'n' => Ok(Escape::Char('\n')),
            'r' => Ok(Escape::Char('\r')),
            't' => Ok(Escape::Char('\t')),
            'v' => Ok(Escape::Char('\u{b}')),
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => Ok(Escape::Char('\0')),
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.pos += 1;
                    Ok(Escape::Char(char::from(l as u8 % 32)))
                }
                _ => Err(self.error_at(at, "`\\c` must be followed by a letter")),
            },
            'x' if self.peek() == Some('{') => {
                // Java's `\x{h..h}`.
                self.pos += 1;
                let from = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                    self.pos += 1;
                }
                let digits: String = self.chars[from..self.pos].iter().collect();
                let c = u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32);
                match c {
                    Some(c) if self.eat('}') => Ok(Escape::Char(c)),
                    _ => Err(self.error_at(at, "`\\x{..}` needs a character's hex code")),
                }
            }
            'x' => {
                let v = self
                    .hex(2)
                    .ok_or_else(|| self.error_at(at, "`\\x` needs two hex digits"))?;
                Ok(Escape::Char(char::from(v as u8)))
            }
            'u' => self.unicode_escape(at, in_class),
            'p' | 'P' => self.property(at, c == 'P'),
            '0'..='9' => Err(self.error_at(at, "octal escapes are not supported")),
            'k' => Err(self.error_at(at, "named backreferences `\\k` are not supported")),
            c if c.is_alphanumeric() => {
                Err(self.error_at(at, format!("the escape `\\{c}` has no meaning in ECMA-262")))
            }
            // Any other character escapes itself (`\.`, `\-`, `\/`, `\_`, `\:`,
            // ...): ECMA-262 Annex B's IdentityEscape.
            c => Ok(Escape::Char(c)),
        }
    }

    /// `\p{Name}` or `\P{Name}` (the backslash and letter consumed), as Java
    /// reads it.
    fn property(&mut self, at: usize, negated: bool) -> Result<Escape, PatternError> {
        if !self.eat('{') {
            return Err(self.error_at(at, "`\\p` needs a property name in braces"));
        }
        let from = self.pos;
        while self.peek().is_some_and(|c| c != '}') {
            self.pos += 1;
        }
        let name: String = self.chars[from..self.pos].iter().collect();
        if !self.eat('}') {
            return Err(self.error_at(at, "unclosed `\\p{`"));
        }
        match java_property(&name) {
            Some(set) => Ok(Escape::Set(Item::Set { set, negated })),
            None => Err(self.error_at(at, format!("unknown Unicode property `{name}`"))),
        }
    }

    fn unicode_escape(&mut self, at: usize, in_class: bool) -> Result<Escape, PatternError> {
        if self.peek() == Some('{') {
            return Err(self.error_at(
                at,
                "`\\u{...}` needs the `u` flag, which Smithy patterns do not have",
            ));
        }
        let v = self
            .hex(4)
            .ok_or_else(|| self.error_at(at, "`\\u` needs four hex digits"))?;
        if !in_class {
            if let Some(c) = self.low_surrogate_after(v).and_then(char::from_u32) {
                return Ok(Escape::Char(c));
            }
        }
        char::from_u32(v)
            .map(Escape::Char)
            .ok_or_else(|| self.error_at(at, "a lone surrogate can never match a string"))
    }

    /// After a high surrogate `high`, a `\uXXXX` low surrogate: consumed, and
    /// the character the pair encodes returned.
    fn low_surrogate_after(&mut self, high: u32) -> Option<u32> {
        if !(0xD800..0xDC00).contains(&high)
            || self.peek() != Some('\\')
            || self.peek_at(1) != Some('u')
        {
            return None;
        }
        let save = self.pos;
        self.pos += 2;
        match self.hex(4).filter(|lo| (0xDC00..0xE000).contains(lo)) {
            Some(lo) => Some(0x10000 + ((high - 0xD800) << 10) + (lo - 0xDC00)),
            None => {
                self.pos = save;
                None
            }
        }
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let digits: String = self.chars.get(self.pos..self.pos + n)?.iter().collect();
        if digits.len() != n || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += n;
        u32::from_str_radix(&digits, 16).ok()
    }
}

/// What Java's `\p{name}` means, as a [`Set`]; `None` for a name Java does
/// not know or one we do not support (Unicode blocks `In..`, `java..`
/// methods).
fn java_property(name: &str) -> Option<Set> {
    // POSIX classes: US-ASCII only, case-sensitive names.
    let posix: Option<&'static [(char, char)]> = match name {
        "Lower" => Some(&[('a', 'z')]),
        "Upper" => Some(&[('A', 'Z')]),
        "ASCII" => Some(&[('\0', '\x7f')]),
        "Alpha" => Some(&[('A', 'Z'), ('a', 'z')]),
        "Digit" => Some(DIGIT),
        "Alnum" => Some(&[('0', '9'), ('A', 'Z'), ('a', 'z')]),
        "Punct" => Some(PUNCT),
        "Graph" => Some(&[('!', '~')]),
        "Print" => Some(&[(' ', '~')]),
        "Blank" => Some(&[('\t', '\t'), (' ', ' ')]),
        "Cntrl" => Some(&[('\0', '\x1f'), ('\x7f', '\x7f')]),
        "XDigit" => Some(&[('0', '9'), ('A', 'F'), ('a', 'f')]),
        "Space" => Some(&[('\t', '\r'), (' ', ' ')]),
        "all" => Some(&[('\0', char::MAX)]),
        _ => None,
    };
    if let Some(ranges) = posix {
        return Some(Set::Ranges(ranges));
    }
    let property = |p: &str| Some(Set::Property(p.to_string()));
    // General categories: `L`, `IsL`, `gc=L`, `general_category=L`.
    let category = name
        .strip_prefix("Is")
        .or_else(|| name.strip_prefix("gc="))
        .or_else(|| name.strip_prefix("general_category="))
        .unwrap_or(name);
    if GENERAL_CATEGORIES.contains(&category) {
        return property(category);
    }
    // Binary properties: `IsAlphabetic`, `IsWhite_Space`, any case, `_` optional.
    let binary = name
        .strip_prefix("Is")?
        .replace(['_', ' ', '-'], "")
        .to_ascii_lowercase();
    match binary.as_str() {
        "alphabetic" => property("Alphabetic"),
        "ideographic" => property("Ideographic"),
        "letter" => property("L"),
        "lowercase" => property("Lowercase"),
        "uppercase" => property("Uppercase"),
        "titlecase" => property("Lt"),
        "punctuation" => property("P"),
        "control" => property("Cc"),
        "whitespace" => property("White_Space"),
        "digit" => property("Nd"),
        "hexdigit" => property("Hex_Digit"),
        "joincontrol" => property("Join_Control"),
        "noncharactercodepoint" => property("Noncharacter_Code_Point"),
        "emoji" => property("Emoji"),
        // `IsLatin`, `IsGreek`: scripts.
        _ => SCRIPTS
            .iter()
            .find(|s| s.eq_ignore_ascii_case(&binary))
            .and_then(|s| property(s)),
    }
}

/// Java's `\p{Punct}`: ASCII punctuation.
const PUNCT: &[(char, char)] = &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')];

/// The general categories Java and `regex-syntax` both name.
const GENERAL_CATEGORIES: &[&str] = &[
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C",
    "Cc", "Cf", "Cs", "Co", "Cn",
];

/// Scripts accepted after `Is` (the common ones; others are errors).
const SCRIPTS: &[&str] = &[
    "Latin",
    "Greek",
    "Cyrillic",
    "Arabic",
    "Hebrew",
    "Han",
    "Hiragana",
    "Katakana",
    "Hangul",
    "Thai",
    "Devanagari",
    "Common",
];
