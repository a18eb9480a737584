//! `@pattern`: what a model's pattern means, and how the generated crate
//! matches it.
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
//! **Syntax** (`syntax`): ECMA-262 without flags, with Annex B's identity
//! escapes, plus the Java forms AWS models use where ECMA-262 gives them no
//! meaning (`\p{L}`, `(?i)`, `(?s)`, `\A`, `\z`). Anything else is a
//! [`PatternError`] naming the construct, so generation fails instead of
//! guessing.
//!
//! **Matchers.** A pattern whose meaning is regular (no lookaround, no
//! backreference) and whose minimal DFA is small is compiled here into a
//! [`Dfa`] over UTF-8 bytes (`dfa`); the validators emitter writes it out as
//! plain Rust, so nothing is compiled at run time. A pattern that is, as
//! matched, one class repeated (`^C{m,n}$`) and has no small DFA becomes a
//! [`CountedClass`] (`counted`): a class test and a count, also plain Rust.
//! Any other pattern is printed for the run-time engine (`engine`;
//! `awsrt::pattern`, behind awsrt's `runtime-patterns` feature), after the
//! generator has compiled it with that engine: generation fails on a pattern
//! the engine would refuse.
//! [`equivalent`] decides whether two DFAs accept the same strings, which
//! proves that a botocore pattern and its Smithy twin mean the same.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::ir::SourceFormat;

mod counted;
mod dfa;
mod engine;
mod syntax;

pub use counted::CountedClass;
use dfa::Budget;
pub use dfa::{equivalent, Dfa, Next, State};
pub use syntax::{parse, Parsed};

/// The most states a DFA written out as code may have; a pattern whose
/// minimal DFA is larger (`.{1,576}` needs one state per count) is matched at
/// run time.
pub const MAX_DFA_STATES: usize = 256;

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

/// How the generated crate decides whether a value conforms.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A minimal DFA, written out as code.
    Dfa(Dfa),
    /// One class repeated (`^C{m,n}$`): every character in the class, and
    /// between `m` and `n` of them; written out as code.
    Counted(CountedClass),
    /// The run-time engine (`awsrt::pattern::Pattern`).
    Runtime {
        /// The pattern in the engine's syntax, with ECMA-262's meaning spelled
        /// out and the semantics applied (`^(?:..)$` for a whole value).
        pattern: String,
        /// Why no DFA: `"lookaround"`, `"a backreference"`, or that it would be
        /// too large.
        why: String,
    },
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
    pub matcher: Matcher,
}

/// Every pattern of a model, compiled once (by `unsupported::apply`, which
/// checks them all), keyed by the pattern's text: the resolved model owns it.
pub type PatternSet = BTreeMap<String, Arc<Compiled>>;

/// Parse, check and compile `pattern` read with `semantics`.
pub fn compile_for(pattern: &str, semantics: Semantics) -> Result<Compiled, PatternError> {
    let parsed = parse(pattern)?;
    let node = matched(&parsed.node, semantics);
    let regular = dfa::lower(&node);
    let small = |hir: &regex_syntax::hir::Hir, semantics, budget| {
        dfa::build(hir, semantics, budget)
            .ok()
            .filter(|d| d.states.len() <= MAX_DFA_STATES)
    };
    let compiled = |display, matcher| {
        Ok(Compiled {
            source: pattern.to_string(),
            semantics,
            display,
            matcher,
        })
    };
    let counted = counted::reduce(&node, semantics);
    // Building a DFA known to be too large would only cost time.
    let hopeless = counted
        .as_ref()
        .is_some_and(|c| c.dfa_exceeds(MAX_DFA_STATES));
    let why = match &regular {
        Ok(_) if hopeless => format!("its DFA would have more than {MAX_DFA_STATES} states"),
        Ok(hir) => match small(hir, semantics, Budget::Matcher) {
            Some(dfa) => {
                // The model's text when it already means the whole value (an
                // unanchored pattern's search DFA is often huge: when it is,
                // the pattern is not whole-value already).
                let whole = semantics == Semantics::Search
                    || small(hir, Semantics::Search, Budget::Small)
                        .is_some_and(|search| equivalent(&search, &dfa).is_none());
                let display = if whole {
                    pattern.to_string()
                } else {
                    anchored(pattern, &parsed)
                };
                return compiled(display, Matcher::Dfa(dfa));
            }
            None => format!("its DFA would have more than {MAX_DFA_STATES} states"),
        },
        Err(not_regular) => not_regular.0.to_string(),
    };
    let display = match semantics {
        Semantics::Search => pattern.to_string(),
        Semantics::WholeValue => anchored(pattern, &parsed),
    };
    if let Some(counted) = counted {
        return compiled(display, Matcher::Counted(counted));
    }
    let printed = engine::print(&node, semantics);
    engine::check(&printed)?;
    compiled(
        display,
        Matcher::Runtime {
            pattern: printed,
            why,
        },
    )
}

/// What is matched: for a search, the pattern with the counts no verdict
/// depends on cut ([`counted::trim_search`]).
fn matched(node: &syntax::Node, semantics: Semantics) -> syntax::Node {
    match semantics {
        Semantics::Search => counted::trim_search(node),
        Semantics::WholeValue => node.clone(),
    }
}

/// A botocore pattern with the anchors that make it whole-value put back,
/// as far as the text shows them.
fn anchored(pattern: &str, parsed: &Parsed) -> String {
    if parsed.alternatives == 1 {
        let caret = if parsed.starts_with_caret { "" } else { "^" };
        let dollar = if parsed.ends_with_dollar { "" } else { "$" };
        format!("{caret}{pattern}{dollar}")
    } else {
        format!("^(?:{pattern})$")
    }
}

/// Compile `pattern` read with `semantics` into a minimal DFA: an error for a
/// pattern that has none (lookaround, backreferences) or whose DFA is past
/// the size limits.
pub fn compile(pattern: &str, semantics: Semantics) -> Result<Dfa, PatternError> {
    let node = matched(&parse(pattern)?.node, semantics);
    let hir = dfa::lower(&node).map_err(|e| PatternError {
        offset: 0,
        reason: format!("{} has no DFA", e.0),
    })?;
    dfa::build(&hir, semantics, Budget::Matcher)
}

#[cfg(test)]
mod tests;
