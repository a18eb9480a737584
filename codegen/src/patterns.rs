//! `@pattern`: what a model's pattern means, compiled into a DFA when the
//! generator runs.
//!
//! **Meaning.** Smithy says a pattern is an ECMA-262 regular expression that is
//! not implicitly anchored: a value conforms when the pattern matches somewhere
//! in it ([`Semantics::Search`]). botocore's `service-2.json` carries the same
//! patterns with their anchors removed (`^[a-zA-Z0-9]+$` becomes
//! `[a-zA-Z0-9]+`, and the unanchored tail of `^$|^arn:...:function:.+` becomes
//! `$|^arn:...:function:.+.*`): there a pattern must match the whole value
//! ([`Semantics::WholeValue`]), which is how we read it. botocore itself never
//! evaluates `pattern`. `docs/validation.md` has the evidence and the rule.
//!
//! **Engine.** [`parse`] reads the ECMA-262 subset that service models use
//! (literals, escapes, classes, `.`, `^`, `$`, groups, alternation, greedy or
//! lazy quantifiers) into a `regex-syntax` HIR with ECMA-262's meaning (`.`
//! excludes the four line terminators, `\d`, `\w` are ASCII, `\s` is
//! ECMA-262's white space); anything else is a [`PatternError`] naming the
//! construct, so generation fails instead of guessing. [`compile`] builds a
//! minimal DFA over UTF-8 bytes with `regex-automata`; the validators emitter
//! writes it out as plain Rust code, so nothing is compiled at run time.
//! [`equivalent`] decides whether two DFAs accept the same strings, which
//! proves that a botocore pattern and its Smithy twin mean the same.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::start;
use regex_automata::Anchored;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, Look, Repetition};

use crate::error::{Error, Result};
use crate::ir::{Constraints, Service, ShapeKind, SourceFormat};

/// The most a `{n,m}` quantifier may count.
const MAX_REPEAT: u32 = 1000;
/// The deepest group nesting accepted.
const MAX_DEPTH: usize = 64;
/// Size limits for the automata (bytes of heap).
const NFA_LIMIT: usize = 1 << 20;
const DFA_LIMIT: usize = 4 << 20;

/// How a pattern applies to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Semantics {
    /// Smithy: the value conforms when the pattern matches anywhere in it.
    Search,
    /// botocore: the pattern must match the whole value, as if written `^(?:p)$`.
    WholeValue,
}

impl Semantics {
    /// The meaning of patterns in a model of format `source`.
    pub fn of(source: SourceFormat) -> Self {
        match source {
            SourceFormat::Smithy => Semantics::Search,
            SourceFormat::Botocore => Semantics::WholeValue,
        }
    }
}

/// A pattern the generator cannot compile, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Character offset (0-based) of the construct in the pattern.
    pub offset: usize,
    /// What is wrong, as a sentence fragment.
    pub reason: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Characters are counted from 1 for people.
        write!(f, "{} (at character {})", self.reason, self.offset + 1)
    }
}

impl std::error::Error for PatternError {}

/// A parsed pattern.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The pattern with ECMA-262 meaning, unanchored.
    pub hir: Hir,
    /// Top-level alternatives (`a|b` has 2).
    pub alternatives: usize,
    /// With one alternative: whether it starts with `^`.
    pub starts_with_caret: bool,
    /// With one alternative: whether it ends with `$`.
    pub ends_with_dollar: bool,
}

/// Where a transition goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Next {
    /// No continuation can match: the value does not conform.
    Dead,
    /// A match was found: the value conforms whatever follows.
    Match,
    /// The state with this index.
    State(usize),
}

/// One DFA state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The transition on each byte.
    pub next: Vec<Next>,
    /// Whether the value conforms if it ends here.
    pub accept_at_end: bool,
}

/// A minimal DFA over the UTF-8 bytes of a value, deciding conformance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dfa {
    /// Where matching starts.
    pub start: Next,
    /// The states, numbered in breadth-first order from `start`.
    pub states: Vec<State>,
}

impl Dfa {
    /// Whether `value` conforms.
    pub fn is_match(&self, value: &str) -> bool {
        let mut at = self.start;
        for &b in value.as_bytes() {
            match at {
                Next::Dead => return false,
                Next::Match => return true,
                Next::State(i) => at = self.states[i].next[usize::from(b)],
            }
        }
        accepts(self, at)
    }

    /// The transitions of state `i`, as sorted inclusive byte ranges per
    /// target (transitions to [`Next::Dead`] left out).
    pub fn ranges(&self, i: usize) -> Vec<(Next, Vec<(u8, u8)>)> {
        let mut by_target: BTreeMap<Next, Vec<(u8, u8)>> = BTreeMap::new();
        let next = &self.states[i].next;
        let mut b = 0usize;
        while b < 256 {
            let target = next[b];
            let mut end = b;
            while end + 1 < 256 && next[end + 1] == target {
                end += 1;
            }
            if target != Next::Dead {
                by_target
                    .entry(target)
                    .or_default()
                    .push((b as u8, end as u8));
            }
            b = end + 1;
        }
        by_target.into_iter().collect()
    }
}

fn accepts(dfa: &Dfa, at: Next) -> bool {
    match at {
        Next::Dead => false,
        Next::Match => true,
        Next::State(i) => dfa.states[i].accept_at_end,
    }
}

/// A pattern compiled for a model.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The pattern as written in the model.
    pub source: String,
    /// How it applies.
    pub semantics: Semantics,
    /// The pattern as a value must match it, for messages and docs: the model's
    /// text when it already means "the whole value" or is a Smithy pattern,
    /// else the text with the anchors botocore dropped put back.
    pub display: String,
    /// The matcher.
    pub dfa: Dfa,
}

/// Parse, check and compile `pattern` read with `semantics`.
pub fn compile_for(pattern: &str, semantics: Semantics) -> Result<Compiled, PatternError> {
    let parsed = parse(pattern)?;
    let dfa = build(&parsed, semantics)?;
    let display = match semantics {
        Semantics::Search => pattern.to_string(),
        Semantics::WholeValue => {
            let search = build(&parsed, Semantics::Search)?;
            if equivalent(&search, &dfa).is_none() {
                pattern.to_string()
            } else if parsed.alternatives == 1 {
                let caret = if parsed.starts_with_caret { "" } else { "^" };
                let dollar = if parsed.ends_with_dollar { "" } else { "$" };
                format!("{caret}{pattern}{dollar}")
            } else {
                format!("^(?:{pattern})$")
            }
        }
    };
    Ok(Compiled {
        source: pattern.to_string(),
        semantics,
        display,
        dfa,
    })
}

/// Compile `pattern` read with `semantics` into a minimal DFA.
pub fn compile(pattern: &str, semantics: Semantics) -> Result<Dfa, PatternError> {
    build(&parse(pattern)?, semantics)
}

/// Compile every pattern of `svc` (shapes and members), as the validators
/// emitter will: the first one that cannot be compiled is an error naming the
/// shape, the member if any, the pattern and the reason.
pub fn check_service(svc: &Service) -> Result<()> {
    let semantics = Semantics::of(svc.source);
    let check = |c: &Constraints, shape: &str, member: Option<&str>| -> Result<()> {
        let Some(p) = &c.pattern else { return Ok(()) };
        compile_for(p, semantics).map(|_| ()).map_err(|e| {
            let message = format!("unsupported @pattern `{p}`: {e}");
            match member {
                Some(m) => Error::member(shape, m, message),
                None => Error::shape(shape, message),
            }
        })
    };
    for (name, shape) in &svc.shapes {
        check(&shape.constraints, name, None)?;
        let members: Vec<&crate::ir::Member> = match &shape.kind {
            ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms.iter().collect(),
            ShapeKind::List { member, .. } => vec![member],
            ShapeKind::Map { key, value, .. } => vec![key, value],
            _ => Vec::new(),
        };
        for m in members {
            check(&m.constraints, name, Some(&m.name))?;
        }
    }
    Ok(())
}

fn build(parsed: &Parsed, semantics: Semantics) -> Result<Dfa, PatternError> {
    let hir = match semantics {
        Semantics::Search => parsed.hir.clone(),
        Semantics::WholeValue => Hir::concat(vec![
            Hir::look(Look::Start),
            parsed.hir.clone(),
            Hir::look(Look::End),
        ]),
    };
    let too_complex = |what: &str, e: &dyn fmt::Display| PatternError {
        offset: 0,
        reason: format!("the pattern is too complex to compile into a {what}: {e}"),
    };
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .which_captures(thompson::WhichCaptures::None)
                .nfa_size_limit(Some(NFA_LIMIT)),
        )
        .build_from_hir(&hir)
        .map_err(|e| too_complex("NFA", &e))?;
    let dense = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .minimize(true)
                .dfa_size_limit(Some(DFA_LIMIT))
                .determinize_size_limit(Some(DFA_LIMIT)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| too_complex("DFA", &e))?;
    let start = dense
        .start_state(&start::Config::new().anchored(Anchored::No))
        .map_err(|e| too_complex("DFA", &e))?;

    // Renumber the reachable states; a match state means "a match has been
    // seen" (regex-automata reports matches one byte late), so it becomes the
    // absorbing `Match`.
    let mut index: HashMap<regex_automata::util::primitives::StateID, usize> = HashMap::new();
    let mut order = Vec::new();
    let mut queue = VecDeque::new();
    let classify = |id,
                    index: &mut HashMap<_, usize>,
                    queue: &mut VecDeque<_>|
     -> Result<Next, PatternError> {
        if dense.is_match_state(id) {
            Ok(Next::Match)
        } else if dense.is_dead_state(id) {
            Ok(Next::Dead)
        } else if dense.is_quit_state(id) {
            Err(PatternError {
                offset: 0,
                reason: "the DFA gave up on a byte (quit state)".into(),
            })
        } else {
            let n = index.len();
            let i = *index.entry(id).or_insert_with(|| {
                queue.push_back(id);
                n
            });
            Ok(Next::State(i))
        }
    };
    let start = classify(start, &mut index, &mut queue)?;
    while let Some(id) = queue.pop_front() {
        let mut next = Vec::with_capacity(256);
        for b in 0..=255u8 {
            next.push(classify(dense.next_state(id, b), &mut index, &mut queue)?);
        }
        let accept_at_end = dense.is_match_state(dense.next_eoi_state(id));
        order.push(State {
            next,
            accept_at_end,
        });
    }
    Ok(minimize(&Dfa {
        start,
        states: order,
    }))
}

/// Moore's partition refinement, with `Dead` and `Match` as ordinary states so
/// that a state equivalent to either collapses into it.
fn minimize(dfa: &Dfa) -> Dfa {
    // Full table: 0 = Dead, 1 = Match, 2.. = states.
    let n = dfa.states.len() + 2;
    let id = |x: Next| match x {
        Next::Dead => 0,
        Next::Match => 1,
        Next::State(i) => i + 2,
    };
    let mut table: Vec<(bool, Vec<usize>)> = vec![(false, vec![0; 256]), (true, vec![1; 256])];
    for s in &dfa.states {
        table.push((s.accept_at_end, s.next.iter().map(|&x| id(x)).collect()));
    }
    let mut block: Vec<usize> = table.iter().map(|(a, _)| usize::from(*a)).collect();
    let mut count = 0;
    loop {
        let mut sigs: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
        let mut next_block = vec![0; n];
        for s in 0..n {
            let sig = (
                block[s],
                table[s].1.iter().map(|&t| block[t]).collect::<Vec<_>>(),
            );
            let len = sigs.len();
            next_block[s] = *sigs.entry(sig).or_insert(len);
        }
        let new_count = sigs.len();
        block = next_block;
        if new_count == count {
            break;
        }
        count = new_count;
    }
    // Rebuild in breadth-first order from the start.
    let (dead, matched) = (block[0], block[1]);
    let mut renumber: HashMap<usize, usize> = HashMap::new();
    let mut states = Vec::new();
    let mut queue = VecDeque::new();
    let to_next = |s: usize, renumber: &mut HashMap<usize, usize>, queue: &mut VecDeque<usize>| {
        let b = block[s];
        if b == dead {
            Next::Dead
        } else if b == matched {
            Next::Match
        } else {
            let len = renumber.len();
            Next::State(*renumber.entry(b).or_insert_with(|| {
                queue.push_back(s);
                len
            }))
        }
    };
    let start = to_next(id(dfa.start), &mut renumber, &mut queue);
    while let Some(s) = queue.pop_front() {
        let (accept_at_end, next) = &table[s];
        let next = next
            .iter()
            .map(|&t| to_next(t, &mut renumber, &mut queue))
            .collect();
        states.push(State {
            next,
            accept_at_end: *accept_at_end,
        });
    }
    Dfa { start, states }
}

/// The strings on which `a` and `b` disagree: `None` when they accept exactly
/// the same (valid UTF-8) strings, else a shortest string accepted by one only.
pub fn equivalent(a: &Dfa, b: &Dfa) -> Option<String> {
    let utf8 = utf8_dfa();
    let step = |d: &Dfa, x: Next, byte: u8| match x {
        Next::State(i) => d.states[i].next[usize::from(byte)],
        other => other,
    };
    let start = (a.start, b.start, utf8.start);
    // Each visited (a, b, utf8) triple and the triple and byte it was reached by.
    type Triple = (Next, Next, Next);
    let mut parent: HashMap<Triple, Option<(Triple, u8)>> = HashMap::new();
    parent.insert(start, None);
    let mut queue = VecDeque::from([start]);
    while let Some(t @ (x, y, u)) = queue.pop_front() {
        if accepts(&utf8, u) && accepts(a, x) != accepts(b, y) {
            let mut bytes = Vec::new();
            let mut at = t;
            while let Some(Some((prev, byte))) = parent.get(&at) {
                bytes.push(*byte);
                at = *prev;
            }
            bytes.reverse();
            return Some(String::from_utf8_lossy(&bytes).into_owned());
        }
        for byte in 0..=255u8 {
            let nu = step(&utf8, u, byte);
            if nu == Next::Dead {
                continue;
            }
            let nt = (step(a, x, byte), step(b, y, byte), nu);
            if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(nt) {
                e.insert(Some((t, byte)));
                queue.push_back(nt);
            }
        }
    }
    None
}

/// Accepts exactly the valid UTF-8 byte strings.
fn utf8_dfa() -> Dfa {
    let any = Hir::repetition(Repetition {
        min: 0,
        max: None,
        greedy: true,
        sub: Box::new(any_char()),
    });
    let parsed = Parsed {
        hir: any,
        alternatives: 1,
        starts_with_caret: false,
        ends_with_dollar: false,
    };
    match build(&parsed, Semantics::WholeValue) {
        Ok(dfa) => dfa,
        // `(?s:.)*` always compiles; an empty DFA would make every comparison vacuous.
        Err(_) => Dfa {
            start: Next::Dead,
            states: Vec::new(),
        },
    }
}

fn any_char() -> Hir {
    Hir::class(Class::Unicode(ClassUnicode::new([ClassUnicodeRange::new(
        '\0',
        char::MAX,
    )])))
}

fn class(ranges: &[(char, char)]) -> ClassUnicode {
    ClassUnicode::new(ranges.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)))
}

/// ECMA-262 LineTerminator: what `.` does not match.
const LINE_TERMINATORS: &[(char, char)] = &[('\n', '\n'), ('\r', '\r'), ('\u{2028}', '\u{2029}')];
/// ECMA-262 `\s`: WhiteSpace and LineTerminator.
const SPACE: &[(char, char)] = &[
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
const DIGIT: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

/// Parse an ECMA-262 pattern (no flags) into a HIR with ECMA-262 meaning.
pub fn parse(pattern: &str) -> Result<Parsed, PatternError> {
    let mut p = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let (alts, first) = p.disjunction()?;
    if let Some(c) = p.peek() {
        // Only an unmatched `)` stops the top-level disjunction early.
        return Err(p.error(format!("unmatched `{c}`")));
    }
    let alternatives = alts.len();
    let (starts_with_caret, ends_with_dollar) = first.unwrap_or((false, false));
    Ok(Parsed {
        hir: Hir::alternation(alts),
        alternatives,
        starts_with_caret,
        ends_with_dollar,
    })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

/// Whether an alternative starts with `^` and whether it ends with `$`.
type Anchors = (bool, bool);

/// One class item: a single character or a set (`\d`).
enum ClassAtom {
    Char(char),
    Set(ClassUnicode),
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
        PatternError {
            offset: self.pos,
            reason: reason.into(),
        }
    }

    fn error_at(&self, offset: usize, reason: impl Into<String>) -> PatternError {
        PatternError {
            offset,
            reason: reason.into(),
        }
    }

    /// Alternatives, and for the first one whether it is anchored at each end.
    fn disjunction(&mut self) -> Result<(Vec<Hir>, Option<Anchors>), PatternError> {
        let mut alts = Vec::new();
        let mut first = None;
        loop {
            let (terms, anchors) = self.alternative()?;
            if first.is_none() {
                first = Some(anchors);
            }
            alts.push(Hir::concat(terms));
            if !self.eat('|') {
                break;
            }
        }
        Ok((alts, first))
    }

    fn alternative(&mut self) -> Result<(Vec<Hir>, Anchors), PatternError> {
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

    fn term(&mut self) -> Result<Hir, PatternError> {
        let at = self.pos;
        let c = self.peek().unwrap_or('\0');
        let atom = match c {
            '^' | '$' => {
                self.pos += 1;
                let look = if c == '^' { Look::Start } else { Look::End };
                if self.quantifier_ahead() {
                    return Err(self.error(format!("`{c}` cannot be repeated")));
                }
                return Ok(Hir::look(look));
            }
            '(' => self.group()?,
            '[' => self.class()?,
            '.' => {
                self.pos += 1;
                let mut dot = class(LINE_TERMINATORS);
                dot.negate();
                Hir::class(Class::Unicode(dot))
            }
            '\\' => self.atom_escape()?,
            '*' | '+' | '?' => return Err(self.error(format!("nothing to repeat before `{c}`"))),
            '{' if self.braced_quantifier_ahead() => {
                return Err(self.error("nothing to repeat before `{`"));
            }
            _ => {
                self.pos += 1;
                literal(c)
            }
        };
        self.quantified(atom, at)
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

    fn quantified(&mut self, atom: Hir, at: usize) -> Result<Hir, PatternError> {
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
        // Laziness does not change whether a value conforms.
        let greedy = !self.eat('?');
        if self.quantifier_ahead() {
            return Err(self.error("nothing to repeat (a quantifier follows a quantifier)"));
        }
        Ok(Hir::repetition(Repetition {
            min,
            max,
            greedy,
            sub: Box::new(atom),
        }))
    }

    fn group(&mut self) -> Result<Hir, PatternError> {
        let at = self.pos;
        self.pos += 1; // (
        if self.eat('?') {
            match (self.peek(), self.peek_at(1)) {
                (Some(':'), _) => self.pos += 1,
                (Some('=' | '!'), _) => {
                    return Err(self.error_at(at, "lookahead `(?=`/`(?!` is not supported"))
                }
                (Some('<'), Some('=' | '!')) => {
                    return Err(self.error_at(at, "lookbehind `(?<=`/`(?<!` is not supported"));
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
                _ => return Err(self.error_at(at, "unknown group syntax after `(?`")),
            }
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(at, format!("groups nested deeper than {MAX_DEPTH}")));
        }
        let (alts, _) = self.disjunction()?;
        self.depth -= 1;
        if !self.eat(')') {
            return Err(self.error_at(at, "unclosed group"));
        }
        Ok(Hir::alternation(alts))
    }

    fn class(&mut self) -> Result<Hir, PatternError> {
        let at = self.pos;
        self.pos += 1; // [
        let negated = self.eat('^');
        let mut set = ClassUnicode::empty();
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
                match first {
                    ClassAtom::Char(c) => set.push(ClassUnicodeRange::new(c, c)),
                    ClassAtom::Set(s) => set.union(&s),
                }
                continue;
            }
            self.pos += 1; // -
            let second = self.class_atom()?;
            match (first, second) {
                (ClassAtom::Char(a), ClassAtom::Char(b)) if a <= b => {
                    set.push(ClassUnicodeRange::new(a, b))
                }
                (ClassAtom::Char(_), ClassAtom::Char(_)) => {
                    return Err(self.error_at(from, "range out of order in character class"));
                }
                _ => {
                    return Err(self.error_at(
                        from,
                        "a range with a class escape (`\\d`, `\\w`, `\\s`) at one end is not supported",
                    ));
                }
            }
        }
        if negated {
            set.negate();
        }
        Ok(Hir::class(Class::Unicode(set)))
    }

    fn class_atom(&mut self) -> Result<ClassAtom, PatternError> {
        let at = self.pos;
        let Some(c) = self.peek() else {
            return Err(self.error("unclosed character class"));
        };
        self.pos += 1;
        let atom = if c != '\\' {
            ClassAtom::Char(c)
        } else {
            match self.peek() {
                // In a class, `\b` is backspace and `\-` is `-`.
                Some('b') => {
                    self.pos += 1;
                    ClassAtom::Char('\u{8}')
                }
                Some('-') => {
                    self.pos += 1;
                    ClassAtom::Char('-')
                }
                _ => match self.escape(at, true)? {
                    Escape::Char(c) => ClassAtom::Char(c),
                    Escape::Set(s) => ClassAtom::Set(s),
                },
            }
        };
        if let ClassAtom::Char(c) = atom {
            if u32::from(c) > 0xFFFF {
                return Err(self.error_at(
                    at,
                    "a character outside the Basic Multilingual Plane in a class needs the `u` flag, which Smithy patterns do not have",
                ));
            }
        }
        Ok(atom)
    }

    fn atom_escape(&mut self) -> Result<Hir, PatternError> {
        let at = self.pos;
        self.pos += 1; // backslash
        match self.peek() {
            Some('b' | 'B') => Err(self.error_at(
                at,
                "word boundary assertions `\\b`, `\\B` are not supported",
            )),
            _ => Ok(match self.escape(at, false)? {
                Escape::Char(c) => literal(c),
                Escape::Set(s) => Hir::class(Class::Unicode(s)),
            }),
        }
    }

    /// The escape after a backslash (already consumed) at `at`.
    fn escape(&mut self, at: usize, in_class: bool) -> Result<Escape, PatternError> {
        let Some(c) = self.peek() else {
            return Err(self.error_at(at, "the pattern ends with a lone backslash"));
        };
        self.pos += 1;
        let set = |ranges: &[(char, char)], negate: bool| {
            let mut s = class(ranges);
            if negate {
                s.negate();
            }
            Ok(Escape::Set(s))
        };
        match c {
            'd' => set(DIGIT, false),
            'D' => set(DIGIT, true),
            'w' => set(WORD, false),
            'W' => set(WORD, true),
            's' => set(SPACE, false),
            'S' => set(SPACE, true),
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
            'x' => {
                let v = self.hex(2).ok_or_else(|| self.error_at(at, "`\\x` needs two hex digits"))?;
                Ok(Escape::Char(char::from(v as u8)))
            }
            'u' => self.unicode_escape(at, in_class),
            '0'..='9' => Err(self.error_at(at, "backreferences and octal escapes are not supported")),
            'k' => Err(self.error_at(at, "named backreferences `\\k` are not supported")),
            'p' | 'P' => Err(self.error_at(
                at,
                "Unicode property escapes `\\p{..}` need the `u` flag, which Smithy patterns do not have",
            )),
            c if c.is_ascii_alphanumeric() || c == '_' => {
                Err(self.error_at(at, format!("the escape `\\{c}` has no meaning in ECMA-262")))
            }
            // Any other character escapes itself (`\.`, `\-`, `\/`, `\\`, ...).
            c => Ok(Escape::Char(c)),
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
        if (0xD800..0xDC00).contains(&v)
            && !in_class
            && self.peek() == Some('\\')
            && self.peek_at(1) == Some('u')
        {
            // A surrogate pair written as two escapes is one character.
            let save = self.pos;
            self.pos += 2;
            if let Some(lo) = self.hex(4).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                let c = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                if let Some(c) = char::from_u32(c) {
                    return Ok(Escape::Char(c));
                }
            }
            self.pos = save;
        }
        char::from_u32(v)
            .map(Escape::Char)
            .ok_or_else(|| self.error_at(at, "a lone surrogate can never match a string"))
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

enum Escape {
    Char(char),
    Set(ClassUnicode),
}

fn literal(c: char) -> Hir {
    let mut buf = [0u8; 4];
    Hir::literal(c.encode_utf8(&mut buf).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(p: &str) -> Dfa {
        compile(p, Semantics::Search).unwrap()
    }

    fn whole(p: &str) -> Dfa {
        compile(p, Semantics::WholeValue).unwrap()
    }

    fn reason(p: &str) -> String {
        parse(p).unwrap_err().reason
    }

    #[test]
    fn search_finds_a_match_anywhere_and_whole_value_needs_all() {
        let s = search("[a-z]+");
        assert!(s.is_match("123abc456"));
        assert!(!s.is_match("123"));
        let w = whole("[a-z]+");
        assert!(w.is_match("abc"));
        assert!(!w.is_match("123abc456"));
        assert!(!w.is_match(""));
        let anchored = search("^[a-z]+$");
        assert!(
            anchored.is_match("abc") && !anchored.is_match("abc1") && !anchored.is_match("abc\n")
        );
    }

    #[test]
    fn dot_and_class_escapes_follow_ecma_262() {
        let dot = whole(".");
        for c in ["a", "€", "😀", "\u{85}"] {
            assert!(dot.is_match(c), "{c:?}");
        }
        for c in ["\n", "\r", "\u{2028}", "\u{2029}"] {
            assert!(!dot.is_match(c), "{c:?}");
        }
        let d = whole("\\d");
        assert!(d.is_match("7") && !d.is_match("٣"));
        let w = whole("\\w+");
        assert!(w.is_match("a_Z9") && !w.is_match("é"));
        let s = whole("\\s");
        for c in ["\t", "\u{b}", " ", "\u{a0}", "\u{3000}", "\u{feff}", "\n"] {
            assert!(s.is_match(c), "{c:?}");
        }
        assert!(!s.is_match("\u{85}"));
        let any = whole("[^]*");
        assert!(any.is_match("a\nb"));
        let none = search("[]");
        assert!(!none.is_match("") && !none.is_match("x"));
    }

    #[test]
    fn the_model_classes_parse_as_browsers_do() {
        // `-` after a range, before `]`, or escaped is a literal.
        let bucket = whole("[a-z0-9-.]+");
        assert!(bucket.is_match("my-bucket.logs") && !bucket.is_match("My_Bucket"));
        let name = whole("[a-zA-Z0-9-_]*");
        assert!(name.is_match("room_1-a") && name.is_match("") && !name.is_match("a b"));
        let group = whole("[\\.\\-_/#A-Za-z0-9]+");
        assert!(group.is_match("/aws/ivschat/#logs_1.-") && !group.is_match("a b"));
        let lambda = search("^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+");
        assert!(lambda.is_match(""));
        assert!(lambda.is_match("arn:aws:lambda:us-west-2:123456789012:function:my-fn:1"));
        assert!(!lambda.is_match("arn:aws:lambda:us-west-2:12345678901:function:f"));
        assert!(!lambda.is_match("arn:aws:lambda:us-west-2:123456789012:function:"));
    }

    #[test]
    fn quantifiers_escapes_and_groups() {
        let p = whole("(?:ab){2,3}c?d*?e+x{2}(?<n>y|z)");
        assert!(p.is_match("ababexxy") && p.is_match("abababcddeexxz"));
        assert!(!p.is_match("abexxy") && !p.is_match("ababababexxy"));
        let esc = whole("\\x41\\u00e9\\t\\.\\/\\\\\\cJ\\0");
        assert!(esc.is_match("Aé\t./\\\n\0"));
        let pair = whole("\\uD83D\\uDE00");
        assert!(pair.is_match("😀"));
        let lit = whole("a{,2}]}");
        assert!(lit.is_match("a{,2}]}"));
    }

    #[test]
    fn unsupported_constructs_are_named() {
        assert!(reason("(?=a)").contains("lookahead"));
        assert!(reason("(?<!a)b").contains("lookbehind"));
        assert!(reason("(a)\\1").contains("backreference"));
        assert!(reason("\\bword").contains("word boundary"));
        assert!(reason("\\p{L}").contains("`u` flag"));
        assert!(reason("\\u{1F600}").contains("`u` flag"));
        assert!(reason("[😀]").contains("Basic Multilingual Plane"));
        assert!(reason("[\\d-z]").contains("class escape"));
        assert!(reason("[z-a]").contains("out of order"));
        assert!(reason("a{3,2}").contains("out of order"));
        assert!(reason("a{1001}").contains("above the supported"));
        assert!(reason("*a").contains("nothing to repeat"));
        assert!(reason("a**").contains("nothing to repeat"));
        assert!(reason("^*").contains("cannot be repeated"));
        assert!(reason("(ab").contains("unclosed group"));
        assert!(reason("ab)").contains("unmatched"));
        assert!(reason("[ab").contains("unclosed"));
        assert!(reason("\\q").contains("no meaning"));
        assert!(reason("ab\\").contains("lone backslash"));
        assert!(reason(&"(".repeat(70)).contains("nested deeper"));
        let e = parse("ab(?=c)").unwrap_err();
        assert_eq!(e.offset, 2);
        assert_eq!(
            e.to_string(),
            "lookahead `(?=`/`(?!` is not supported (at character 3)"
        );
    }

    #[test]
    fn equivalence_finds_a_shortest_counterexample() {
        assert_eq!(equivalent(&search("^[a-z]+$"), &whole("[a-z]+")), None);
        assert_eq!(equivalent(&search("^a|^b"), &search("^[ab]")), None);
        let diff = equivalent(&search("[a-z]+"), &whole("[a-z]+")).unwrap();
        assert_eq!(diff.chars().count(), 2, "{diff:?}");
        assert!(search("[a-z]+").is_match(&diff) && !whole("[a-z]+").is_match(&diff));
        // Smithy's unanchored tail and botocore's `.+.*` differ only after a line terminator.
        let smithy = search("^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+");
        let botocore = whole("$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+.*");
        let diff = equivalent(&smithy, &botocore).unwrap();
        assert!(
            diff.contains(":function:") && diff.contains(['\n', '\r', '\u{2028}', '\u{2029}']),
            "{diff:?}"
        );
        assert!(smithy.is_match(&diff) && !botocore.is_match(&diff));
    }

    #[test]
    fn display_puts_back_the_anchors_botocore_dropped() {
        let d = |p: &str| compile_for(p, Semantics::WholeValue).unwrap().display;
        assert_eq!(d("[a-zA-Z0-9]+"), "^[a-zA-Z0-9]+$");
        assert_eq!(d("$|^arn:x:.+.*"), "^(?:$|^arn:x:.+.*)$");
        assert_eq!(d("^[a-z]+$"), "^[a-z]+$");
        assert_eq!(d("^$|^arn:x:.+$"), "^$|^arn:x:.+$");
        assert_eq!(d("^abc"), "^abc$");
        assert_eq!(
            compile_for("[a-z]", Semantics::Search).unwrap().display,
            "[a-z]"
        );
    }

    #[test]
    fn minimal_dfas_agree_with_regex_automata() {
        use regex_automata::dfa::regex::Regex;
        let patterns = [
            "^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$",
            "^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+",
            "[a-z0-9-.]+",
            "ab|cd",
        ];
        let corpus = [
            "",
            "a",
            "ab",
            "xcdx",
            "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6",
            "arn:aws:lambda:us-west-2:123456789012:function:f",
            "ARN",
            "€€",
            "a\nb",
            "..--",
        ];
        for p in patterns {
            let ours = search(p);
            // Our parser's meaning coincides with regex-syntax's for these.
            let reference = Regex::new(p).unwrap();
            for s in corpus {
                assert_eq!(ours.is_match(s), reference.is_match(s), "{p} on {s:?}");
            }
        }
    }

    #[test]
    fn every_state_is_reachable_and_the_start_comes_first() {
        let dfa = search("^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$");
        assert_eq!(dfa.start, Next::State(0));
        let mut seen = vec![false; dfa.states.len()];
        seen[0] = true;
        for s in &dfa.states {
            for n in &s.next {
                if let Next::State(i) = n {
                    seen[*i] = true;
                }
            }
        }
        assert!(seen.iter().all(|&x| x));
        // One state per fixed character plus the loops: small enough to read.
        assert!(dfa.states.len() < 40, "{}", dfa.states.len());
    }
}
