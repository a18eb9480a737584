//! Patterns as minimal DFAs over UTF-8 bytes: lowering the syntax tree to a
//! `regex-syntax` HIR, building the DFA with `regex-automata` within size
//! limits, minimizing it with "match found" and "no match possible" as
//! ordinary states, and deciding whether two DFAs are equivalent.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::start;
use regex_automata::Anchored;
use regex_syntax::hir::{
    Class as HirClass, ClassUnicode, ClassUnicodeRange, Hir, Look, Repetition,
};

use super::syntax::{Assert, Class, Item, Node, Set};
use super::{PatternError, Semantics};

/// Size limits for the automata (bytes of heap): past them a pattern is
/// matched at run time instead. Determinizing stops at the DFA limit, so it
/// also bounds the time spent on a pattern (a few tens of milliseconds).
const NFA_LIMIT: usize = 1 << 20;
/// See [`Budget`].
const DFA_LIMIT: usize = 2 << 20;
const SMALL_DFA_LIMIT: usize = 256 << 10;

/// How much a DFA may cost to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// For a matcher: up to 2 MiB while determinizing.
    Matcher,
    /// For a side question (how to display a pattern): up to 256 KiB.
    Small,
}
/// The most states a DFA may have before minimization, and after
/// regex-automata's (ours also merges states equivalent to "match found").
const MAX_BUILT_STATES: usize = 16 * super::MAX_DFA_STATES;
const MAX_MINIMIZED_STATES: usize = 2 * super::MAX_DFA_STATES;

/// Why a pattern has no HIR: a construct no finite automaton here handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRegular(pub &'static str);

/// The pattern as a HIR with its ECMA-262 meaning, or the construct that
/// has none (lookaround, backreferences).
pub fn lower(node: &Node) -> Result<Hir, NotRegular> {
    Ok(match node {
        Node::Empty => Hir::empty(),
        Node::Char(c) => literal(*c),
        Node::Class(c) => Hir::class(HirClass::Unicode(class(c))),
        Node::Assert(a) => Hir::look(match a {
            Assert::Start => Look::Start,
            Assert::End => Look::End,
            Assert::WordBoundary => Look::WordAscii,
            Assert::NotWordBoundary => Look::WordAsciiNegate,
        }),
        Node::Concat(v) => Hir::concat(v.iter().map(lower).collect::<Result<_, _>>()?),
        Node::Alternation(v) => Hir::alternation(v.iter().map(lower).collect::<Result<_, _>>()?),
        Node::Repeat {
            possessive: true, ..
        } => return Err(NotRegular("a possessive quantifier")),
        Node::Repeat {
            min,
            max,
            greedy,
            sub,
            ..
        } => Hir::repetition(Repetition {
            min: *min,
            max: *max,
            greedy: *greedy,
            sub: Box::new(lower(sub)?),
        }),
        Node::Group { sub, .. } => lower(sub)?,
        Node::LookAround { .. } => return Err(NotRegular("lookaround")),
        Node::Backref(_) => return Err(NotRegular("a backreference")),
    })
}

/// The characters of a class.
pub fn class(c: &Class) -> ClassUnicode {
    let mut set = ClassUnicode::empty();
    for item in &c.items {
        match item {
            Item::Range(a, b) => set.push(ClassUnicodeRange::new(*a, *b)),
            Item::Set { set: s, negated } => {
                let mut members = match s {
                    Set::Ranges(r) => ranges(r),
                    Set::Property(name) => property(name),
                };
                if *negated {
                    members.negate();
                }
                set.union(&members);
            }
        }
    }
    if c.negated {
        set.negate();
    }
    set
}

/// The characters of a Unicode property, from `regex-syntax`'s tables (the
/// parser only makes names those tables have; an unknown one is empty).
pub fn property(name: &str) -> ClassUnicode {
    match regex_syntax::parse(&format!("\\p{{{name}}}")).map(|h| h.into_kind()) {
        Ok(regex_syntax::hir::HirKind::Class(HirClass::Unicode(c))) => c,
        _ => ClassUnicode::empty(),
    }
}

fn ranges(r: &[(char, char)]) -> ClassUnicode {
    ClassUnicode::new(r.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)))
}

fn literal(c: char) -> Hir {
    let mut buf = [0u8; 4];
    Hir::literal(c.encode_utf8(&mut buf).as_bytes())
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

pub(super) fn accepts(dfa: &Dfa, at: Next) -> bool {
    match at {
        Next::Dead => false,
        Next::Match => true,
        Next::State(i) => dfa.states[i].accept_at_end,
    }
}

/// Compile `hir` read with `semantics` into a minimal DFA, within the size
/// limits above.
pub fn build(hir: &Hir, semantics: Semantics, budget: Budget) -> Result<Dfa, PatternError> {
    let limit = match budget {
        Budget::Matcher => DFA_LIMIT,
        Budget::Small => SMALL_DFA_LIMIT,
    };
    let hir = match semantics {
        Semantics::Search => hir.clone(),
        Semantics::WholeValue => Hir::concat(vec![
            Hir::look(Look::Start),
            hir.clone(),
            Hir::look(Look::End),
        ]),
    };
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .which_captures(thompson::WhichCaptures::None)
                .nfa_size_limit(Some(NFA_LIMIT)),
        )
        .build_from_hir(&hir)
        .map_err(|e| too_complex("NFA", &e))?;
    // Determinized without minimizing first: most DFAs are small, and
    // `minimize` below does it on the reachable states. A large one is
    // minimized by regex-automata (Hopcroft's algorithm, fast on thousands
    // of states where Moore's rounds are not) before it is judged.
    let mut read = read_dense(&determinize(&nfa, false, limit)?, MAX_BUILT_STATES)?;
    if read.0.accept.len() > super::MAX_DFA_STATES {
        read = read_dense(&determinize(&nfa, true, limit)?, MAX_BUILT_STATES)?;
    }
    let (table, start, class_of) = read;
    if table.accept.len() > MAX_MINIMIZED_STATES {
        return Err(PatternError {
            offset: 0,
            reason: format!("its DFA has more than {MAX_MINIMIZED_STATES} states"),
        });
    }
    Ok(minimize(&table, start, &class_of))
}

fn too_complex(what: &str, e: &dyn fmt::Display) -> PatternError {
    PatternError {
        offset: 0,
        reason: format!("the pattern is too complex to compile into a {what}: {e}"),
    }
}

fn determinize(
    nfa: &thompson::NFA,
    minimize: bool,
    limit: usize,
) -> Result<dense::DFA<Vec<u32>>, PatternError> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .minimize(minimize)
                .dfa_size_limit(Some(limit))
                .determinize_size_limit(Some(limit)),
        )
        .build_from_nfa(nfa)
        .map_err(|e| too_complex("DFA", &e))
}

/// The states of `dense` reachable from its start, as a [`Table`], with the
/// start's number and each byte's class; an error past `limit` states.
fn read_dense(
    dense: &dense::DFA<Vec<u32>>,
    limit: usize,
) -> Result<(Table, usize, [usize; 256]), PatternError> {
    let start = dense
        .start_state(&start::Config::new().anchored(Anchored::No))
        .map_err(|e| too_complex("DFA", &e))?;
    // Bytes that no state tells apart share a class: one representative each.
    let classes = dense.byte_classes();
    let reps: Vec<u8> = classes
        .representatives(0..=255)
        .filter_map(|unit| unit.as_u8())
        .collect();
    let mut class_of = [0usize; 256];
    for b in 0..=255u8 {
        class_of[usize::from(b)] = reps
            .iter()
            .position(|&r| classes.get(r) == classes.get(b))
            .unwrap_or(0);
    }

    // Number the reachable states (0 = Dead, 1 = Match); a match state means
    // "a match has been seen" (regex-automata reports matches one byte late),
    // so it becomes the absorbing `Match`.
    let mut table = Table {
        classes: reps.len(),
        accept: vec![false, true],
        next: [vec![DEAD; reps.len()], vec![MATCH; reps.len()]].concat(),
    };
    let mut index: HashMap<regex_automata::util::primitives::StateID, usize> = HashMap::new();
    let mut queue = VecDeque::new();
    let mut classify = |id, queue: &mut VecDeque<_>| -> Result<usize, PatternError> {
        if dense.is_match_state(id) {
            Ok(MATCH)
        } else if dense.is_dead_state(id) {
            Ok(DEAD)
        } else if dense.is_quit_state(id) {
            Err(PatternError {
                offset: 0,
                reason: "the DFA gave up on a byte (quit state)".into(),
            })
        } else {
            let n = index.len() + 2;
            if n > limit {
                return Err(PatternError {
                    offset: 0,
                    reason: format!("its DFA has more than {limit} states"),
                });
            }
            Ok(*index.entry(id).or_insert_with(|| {
                queue.push_back(id);
                n
            }))
        }
    };
    let start = classify(start, &mut queue)?;
    while let Some(id) = queue.pop_front() {
        for &b in &reps {
            let to = classify(dense.next_state(id, b), &mut queue)?;
            table.next.push(to);
        }
        table
            .accept
            .push(dense.is_match_state(dense.next_eoi_state(id)));
    }
    Ok((table, start, class_of))
}

/// Dead state's number in a [`Table`].
const DEAD: usize = 0;
/// Match state's number in a [`Table`].
const MATCH: usize = 1;

/// A DFA over byte classes: state `s` goes to `next[s * classes + c]` on a
/// byte of class `c`; states 0 and 1 are `Dead` and `Match`.
struct Table {
    classes: usize,
    accept: Vec<bool>,
    next: Vec<usize>,
}

/// Moore's partition refinement, with `Dead` and `Match` as ordinary states so
/// that a state equivalent to either collapses into it; the result has a
/// transition per byte (`class_of` gives each byte's class).
fn minimize(table: &Table, start: usize, class_of: &[usize; 256]) -> Dfa {
    let (n, k) = (table.accept.len(), table.classes);
    let mut block: Vec<usize> = table.accept.iter().map(|&a| usize::from(a)).collect();
    let mut count = 0;
    loop {
        let mut sigs: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut next_block = vec![0; n];
        for s in 0..n {
            let mut sig = Vec::with_capacity(k + 1);
            sig.push(block[s]);
            sig.extend(table.next[s * k..(s + 1) * k].iter().map(|&t| block[t]));
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
    let (dead, matched) = (block[DEAD], block[MATCH]);
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
    let start = to_next(start, &mut renumber, &mut queue);
    while let Some(s) = queue.pop_front() {
        let by_class: Vec<Next> = table.next[s * k..(s + 1) * k]
            .iter()
            .map(|&t| to_next(t, &mut renumber, &mut queue))
            .collect();
        states.push(State {
            next: class_of.iter().map(|&c| by_class[c]).collect(),
            accept_at_end: table.accept[s],
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
    // Bytes on which no state of the three DFAs differs lead to the same
    // triples: only the first of each kind is tried (the same shortest
    // string is found as when trying every byte).
    let mut seen: HashSet<Vec<Next>> = HashSet::new();
    let bytes: Vec<u8> = (0..=255u8)
        .filter(|&byte| {
            let column = [a, b, &utf8]
                .iter()
                .flat_map(|d| d.states.iter().map(move |s| s.next[usize::from(byte)]))
                .collect();
            seen.insert(column)
        })
        .collect();
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
        for &byte in &bytes {
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
    match build(&any, Semantics::WholeValue, Budget::Matcher) {
        Ok(dfa) => dfa,
        // `(?s:.)*` always compiles; an empty DFA would make every comparison vacuous.
        Err(_) => Dfa {
            start: Next::Dead,
            states: Vec::new(),
        },
    }
}

fn any_char() -> Hir {
    Hir::class(HirClass::Unicode(ClassUnicode::new([
        ClassUnicodeRange::new('\0', char::MAX),
    ])))
}
