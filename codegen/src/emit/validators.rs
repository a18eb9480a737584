//! Validators: `validate()` on every operation input, checking every
//! constraint of the model (and of the overlay) before anything is sent.
//!
//! Adds `src/validate.rs`: one `impl <Op>Input { pub fn validate(&self) }` per
//! operation, a private `validate_<shape>` function per shape whose values can
//! break a constraint (nested structures, unions, lists, maps and constrained
//! simple shapes), and a `matches_<shape>` function per distinct pattern: the
//! pattern's minimal DFA (see `patterns`) written out as plain Rust (see
//! `matcher`), so that no pattern is compiled at run time; for a pattern that
//! is one class repeated and has no small DFA (`^\S{1,8192}$`), a class test
//! and a count (see `counted`); or, for any other pattern no small DFA
//! matches (lookaround, counts in the hundreds), a `static`
//! runtime `Pattern` (awsrt's `runtime-patterns` feature, which the resolved
//! model lists among its `awsrt_features`), compiled on first use, which the
//! generator has compiled with the same engine. `docs/validation.md` explains the
//! choices.
//!
//! Checks: `@required` members of inputs (other structures hold required
//! members by type), `@length` (characters, entries or bytes), `@range`,
//! `@pattern`, a union with no known member, and the overlay's
//! `max_total_bytes` on maps of strings. Constraints on a member apply in
//! addition to those on its target. The checks themselves live in the
//! runtime (`Path`, `Violations`; see [`runtime_api`]).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::runtime_api::{self, PATH, PATTERN, VIOLATIONS};
use super::rust_type::{is_optional, named, value_type};
use super::{docs, Contents, Files};
use crate::ir::{
    Bounds, Constraints, Location, Member, Operation, RangeBounds, Service, Shape, ShapeKind,
};
use crate::names;
use crate::patterns::{Compiled, Matcher, Semantics};
use crate::resolve::{self, Resolved, Validation};

mod counted;
pub(super) mod matcher;

/// The file this emitter owns.
pub const FILE: &str = "src/validate.rs";

/// Emit `src/validate.rs`.
pub fn emit(svc: &Resolved, files: &mut Files) {
    let plan = Plan::new(svc, &svc.validation);
    let mut items = Vec::new();
    for op in &svc.operations {
        items.push(input_validate(svc, &plan, op));
    }
    for stream in svc.streams(true) {
        items.push(event_validate(svc, &plan, stream));
    }
    for name in plan.helpers {
        items.push(helper(svc, &plan, svc.shape(name)));
    }
    let mut tables = counted::Tables::default();
    for p in plan.patterns.values() {
        items.push(matcher(p, &mut tables));
    }
    items.extend(tables.items());
    let code = quote!(#(#items)*);
    let imports = runtime_api::imports(&code, &[PATH, VIOLATIONS]);
    let module_doc = " Validation of operation inputs against the model's constraints: \
                      `validate()` on every input, and the checks it calls.";
    files.insert(
        FILE.to_string(),
        Contents::Rust(quote! {
            #![doc = #module_doc]
            // Deprecated members are validated like the others.
            #![allow(deprecated)]

            #imports

            #code
        }),
    );
}

/// The resolved validation plan, with the names of the functions it needs.
struct Plan<'a> {
    /// Shapes that need a `validate_<shape>` function, sorted.
    helpers: &'a BTreeSet<String>,
    /// Function name of each helper.
    helper_fns: BTreeMap<String, proc_macro2::Ident>,
    /// Compiled patterns, keyed by the pattern's text.
    patterns: BTreeMap<&'a str, PatternFn<'a>>,
}

/// A pattern and the function that matches it.
struct PatternFn<'a> {
    ident: proc_macro2::Ident,
    compiled: &'a Compiled,
    /// Shapes (or `Shape.member`s) that carry the pattern.
    users: &'a BTreeSet<String>,
}

impl<'a> Plan<'a> {
    fn new(svc: &Service, plan: &'a Validation) -> Plan<'a> {
        let helper_fns = plan
            .helpers
            .iter()
            .map(|name| (name.clone(), names::validator(svc.shape(name))))
            .collect();
        let mut taken = BTreeSet::new();
        let patterns = plan
            .patterns
            .iter()
            .map(|(text, used)| {
                let first = used.users.iter().next().map_or("", String::as_str);
                let ident = unique_matcher(&mut taken, first);
                (
                    text.as_str(),
                    PatternFn {
                        ident,
                        compiled: &used.compiled,
                        users: &used.users,
                    },
                )
            })
            .collect();
        Plan {
            helpers: &plan.helpers,
            helper_fns,
            patterns,
        }
    }

    fn helper_call(&self, target: &str) -> Option<&proc_macro2::Ident> {
        self.helper_fns.get(target)
    }
}

/// The matcher named after `user`, numbered when another pattern's matcher
/// took the name.
fn unique_matcher(taken: &mut BTreeSet<String>, user: &str) -> proc_macro2::Ident {
    let mut n = 1;
    loop {
        let ident = names::matcher(user, n);
        if taken.insert(ident.to_string()) {
            return ident;
        }
        n += 1;
    }
}

/// Whether values under `m` must not be shown.
fn sensitive(svc: &Service, m: &Member) -> bool {
    m.sensitive || svc.shape(&m.target).sensitive
}

/// `validate()` for an operation's input.
fn input_validate(svc: &Service, plan: &Plan, op: &Operation) -> TokenStream {
    let module = names::operation_module(op);
    let input = names::input(op);
    let type_name = &op.names.input;
    let doc = docs::lines(&format!(
        "Check this input against every constraint the model states for {}: required \
         members, lengths, ranges, patterns and the documented limits.\n\n\
         Returns `Ok(())` or an error that lists every violation, each with the path of the \
         value in the model's member names. Values of sensitive members never appear in it.",
        docs::code(&op.name)
    ));
    let members = svc.input_members(op);
    let mut checks = Vec::new();
    for m in members {
        let field = names::field_ident(m);
        let name = &m.name;
        let sens = sensitive(svc, m);
        // A boxed field's `&Box<T>` coerces to the helper's `&T`. The events
        // of an event stream are checked one by one as they are sent
        // (`event_validate`).
        let inner = if m.location == Location::EventStream {
            TokenStream::new()
        } else {
            member_checks(svc, plan, m, &quote!(value))
        };
        let required = m.required && !m.idempotency_token;
        let check = match (inner.is_empty(), required) {
            (true, false) => continue,
            (true, true) => quote! {
                if self.#field.is_none() {
                    errors.required(&path.member(#name, #sens));
                }
            },
            (false, req) => {
                let missing = req.then(|| quote! { else { errors.required(path); } });
                quote! {
                    {
                        let path = &path.member(#name, #sens);
                        if let Some(value) = &self.#field {
                            #inner
                        } #missing
                    }
                }
            }
        };
        checks.push(check);
    }
    let body = if checks.is_empty() {
        quote!(Ok(()))
    } else {
        quote! {
            let mut violations = Violations::new();
            let errors = &mut violations;
            let path = &Path::root();
            #(#checks)*
            violations.finish(#type_name)
        }
    };
    quote! {
        impl crate::operation::#module::#input {
            #doc
            pub fn validate(&self) -> Result<(), crate::error::ValidationError> {
                #body
            }
        }
    }
}

/// `validate_event_<stream>(&Event)`: the checks of one event of an input
/// event stream, before it is sent.
fn event_validate(svc: &Service, plan: &Plan, stream: &Shape) -> TokenStream {
    let f = names::event_validator(stream);
    let ty = value_type(svc, &stream.name);
    let type_name = stream.name.as_str();
    let doc = docs::lines(&format!(
        "Check one event of the {} event stream against the model's constraints.",
        docs::code(type_name)
    ));
    let body = match plan.helper_call(&stream.name) {
        Some(helper) => quote! {
            let mut violations = Violations::new();
            #helper(event, &Path::root(), &mut violations);
            violations.finish(#type_name)
        },
        None => quote!(Ok(())),
    };
    let event = if plan.helper_call(&stream.name).is_some() {
        quote!(event)
    } else {
        quote!(_event)
    };
    quote! {
        #doc
        pub(crate) fn #f(#event: &#ty) -> Result<(), crate::error::ValidationError> {
            #body
        }
    }
}

/// Checks of the value `v` (an expression of type `&T`, `T` the member's value
/// type) of member `m` at `path`: the member's own constraints, then its
/// target's helper. Empty when nothing can be broken.
fn member_checks(svc: &Service, plan: &Plan, m: &Member, v: &TokenStream) -> TokenStream {
    let target = svc.shape(&m.target);
    let view = view(target, v);
    let own = constraint_checks(plan, target, &m.constraints, &view);
    let call = plan
        .helper_call(&m.target)
        .map(|f| quote! { #f(#view, path, errors); });
    quote! { #own #call }
}

/// The value `v: &T` of a `shape` as the checks and helpers take it: `&str`,
/// `&[u8]`, `i64`, `f64`, or `v` itself (structures, unions, lists, maps).
fn view(shape: &Shape, v: &TokenStream) -> TokenStream {
    match &shape.kind {
        ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal | ShapeKind::Enum(_) => {
            quote!(#v.as_str())
        }
        ShapeKind::Blob { .. } => quote!(AsRef::<[u8]>::as_ref(#v)),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::IntEnum(_) => {
            quote!(i64::from(*#v))
        }
        ShapeKind::Long | ShapeKind::Double => quote!(*#v),
        ShapeKind::Float => quote!(f64::from(*#v)),
        _ => quote!(#v),
    }
}

/// The parameter type of a helper for `shape`.
fn helper_param(svc: &Service, shape: &Shape) -> TokenStream {
    match &shape.kind {
        ShapeKind::String | ShapeKind::Enum(_) | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
            quote!(&str)
        }
        ShapeKind::Blob { .. } => quote!(&[u8]),
        ShapeKind::Byte
        | ShapeKind::Short
        | ShapeKind::Integer
        | ShapeKind::IntEnum(_)
        | ShapeKind::Long => {
            quote!(i64)
        }
        ShapeKind::Float | ShapeKind::Double => quote!(f64),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let t = named(shape);
            quote!(&#t)
        }
        ShapeKind::List { member, sparse } => {
            let t = value_type(svc, &member.target);
            if *sparse {
                quote!(&[Option<#t>])
            } else {
                quote!(&[#t])
            }
        }
        _ => {
            let t = value_type(svc, &shape.name);
            quote!(&#t)
        }
    }
}

/// Checks of `constraints` on the value `v` of a `shape`, given as its
/// [`view`]. Resolve checked that each constraint fits the shape's kind: one
/// that does not (never reached) adds no check.
fn constraint_checks(plan: &Plan, shape: &Shape, c: &Constraints, v: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(b) = &c.length {
        let (min, max) = bounds(b);
        out.extend(match &shape.kind {
            ShapeKind::String | ShapeKind::Enum(_) => {
                quote! { errors.length_chars(path, #v, #min, #max); }
            }
            ShapeKind::List { .. } | ShapeKind::Map { .. } => {
                quote! { errors.length_entries(path, #v.len(), #min, #max); }
            }
            ShapeKind::Blob { .. } => quote! { errors.length_bytes(path, #v.len(), #min, #max); },
            _ => TokenStream::new(),
        });
    }
    if let Some(r) = &c.range {
        out.extend(match &shape.kind {
            ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::IntEnum(_)
            | ShapeKind::Long => {
                let (min, max) = int_bounds(r);
                quote! { errors.range_int(path, #v, #min, #max); }
            }
            ShapeKind::Float | ShapeKind::Double => {
                let (min, max) = float_bounds(r);
                quote! { errors.range_float(path, #v, #min, #max); }
            }
            _ => TokenStream::new(),
        });
    }
    let pattern = c.pattern.as_deref().and_then(|p| plan.patterns.get(p));
    if let (Some(pf), ShapeKind::String | ShapeKind::Enum(_)) = (pattern, &shape.kind) {
        let f = &pf.ident;
        let display = &pf.compiled.display;
        out.extend(quote! { errors.pattern(path, #f(#v), #display); });
    }
    if let (Some(max), ShapeKind::Map { sparse, .. }) = (c.max_total_bytes, &shape.kind) {
        let val = if *sparse {
            quote!(v.as_ref().map_or("", |v| v.as_str()))
        } else {
            quote!(v.as_str())
        };
        let max = Literal::u64_unsuffixed(max);
        out.extend(quote! {
            errors.total_bytes(path, #v.iter().map(|(k, v)| (k.as_str(), #val)), #max);
        });
    }
    out
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

fn bounds(b: &Bounds) -> (TokenStream, TokenStream) {
    (opt_u64(b.min), opt_u64(b.max))
}

/// Integer bounds from decimal text: a fractional minimum rounds up, a
/// fractional maximum rounds down (see [`resolve::int_bound`], which
/// checked the text).
fn int_bounds(r: &RangeBounds) -> (TokenStream, TokenStream) {
    let bound = |text: &Option<String>, up: bool| match text
        .as_deref()
        .and_then(|t| resolve::int_bound(t, up))
    {
        Some(n) => {
            let n = Literal::i64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    (bound(&r.min, true), bound(&r.max, false))
}

/// Float bounds from decimal text (see [`resolve::float_bound`], which
/// checked the text).
fn float_bounds(r: &RangeBounds) -> (TokenStream, TokenStream) {
    let bound = |text: &Option<String>| match text.as_deref().and_then(resolve::float_bound) {
        Some(f) => {
            let f = Literal::f64_suffixed(f);
            quote!(Some(#f))
        }
        None => quote!(None),
    };
    (bound(&r.min), bound(&r.max))
}

/// `fn validate_<shape>(value, path, errors)` for a shape that needs it.
fn helper(svc: &Service, plan: &Plan, shape: &Shape) -> TokenStream {
    let Some(f) = plan.helper_call(&shape.name) else {
        return TokenStream::new();
    };
    let param = helper_param(svc, shape);
    // `value` arrives as the shape's view already.
    let own = constraint_checks(plan, shape, &shape.constraints, &quote!(value));
    let body = match &shape.kind {
        ShapeKind::Structure(members) => {
            let mut out = own;
            for m in members {
                let inner = member_checks(svc, plan, m, &quote!(value));
                if inner.is_empty() {
                    continue;
                }
                let field = names::field_ident(m);
                let name = &m.name;
                let sens = sensitive(svc, m);
                // A boxed field's `&Box<T>` coerces to the helper's `&T`.
                let bind = if is_optional(m, false) {
                    quote! { if let Some(value) = &value.#field { #inner } }
                } else {
                    quote! { let value = &value.#field; #inner }
                };
                out.extend(quote! {
                    {
                        let path = &path.member(#name, #sens);
                        #bind
                    }
                });
            }
            out
        }
        ShapeKind::Union(members) => {
            let t = named(shape);
            let mut arms = Vec::new();
            for m in members {
                let var = names::variant(m);
                let inner = member_checks(svc, plan, m, &quote!(value));
                if inner.is_empty() {
                    arms.push(quote! { #t::#var(_) => {} });
                    continue;
                }
                let name = &m.name;
                let sens = sensitive(svc, m);
                arms.push(quote! {
                    #t::#var(value) => {
                        let path = &path.member(#name, #sens);
                        #inner
                    }
                });
            }
            quote! {
                #own
                match value {
                    #(#arms)*
                    #t::Unknown => errors.unknown_union_member(path),
                }
            }
        }
        ShapeKind::List { member, sparse } => {
            let inner = member_checks(svc, plan, member, &quote!(value));
            let mut out = own;
            if !inner.is_empty() {
                let mark = sensitive(svc, member).then(|| quote!(.sensitive(true)));
                let each = if *sparse {
                    quote! { if let Some(value) = value { #inner } }
                } else {
                    inner
                };
                out.extend(quote! {
                    for (i, value) in value.iter().enumerate() {
                        let path = &path.index(i) #mark;
                        #each
                    }
                });
            }
            out
        }
        ShapeKind::Map {
            key,
            value: val,
            sparse,
        } => {
            let key_checks = member_checks(svc, plan, key, &quote!(key));
            let value_checks = member_checks(svc, plan, val, &quote!(value));
            let mut out = own;
            if !key_checks.is_empty() || !value_checks.is_empty() {
                let key_mark = sensitive(svc, key).then(|| quote!(.sensitive(true)));
                let value_mark = sensitive(svc, val).then(|| quote!(.sensitive(true)));
                let value_checks = if value_checks.is_empty() || !*sparse {
                    value_checks
                } else {
                    quote! { if let Some(value) = value { #value_checks } }
                };
                let value_part = (!value_checks.is_empty()).then(|| {
                    let mark = value_mark.map(|m| quote! { let path = &path #m; });
                    quote! { #mark #value_checks }
                });
                let entries = if value_part.is_some() {
                    quote!((key, value) in value)
                } else {
                    quote!(key in value.keys())
                };
                let key_path = match key_mark {
                    Some(m) => quote! { let path = &path #m; let path = &path.key(key); },
                    None => quote! { let path = &path.key(key); },
                };
                let key_checks = (!key_checks.is_empty()).then(|| {
                    quote! {
                        {
                            let path = &path.map_key();
                            #key_checks
                        }
                    }
                });
                out.extend(quote! {
                    let mark = errors.mark();
                    for #entries {
                        #key_path
                        #key_checks
                        #value_part
                    }
                    errors.sort_since(mark);
                });
            }
            out
        }
        _ => own,
    };
    let doc = format!("Check a value of {}.", docs::code(&shape.name));
    let doc = docs::lines(&doc);
    quote! {
        #doc
        fn #f(value: #param, path: &Path<'_>, errors: &mut Violations) {
            #body
        }
    }
}

/// `fn matches_<shape>(value: &str) -> bool`: the pattern's DFA as Rust code,
/// or a call to the run-time engine.
fn matcher(p: &PatternFn, tables: &mut counted::Tables) -> TokenStream {
    let f = &p.ident;
    let users = p
        .users
        .iter()
        .map(|u| docs::code(u))
        .collect::<Vec<_>>()
        .join(", ");
    let meaning = match p.compiled.semantics {
        Semantics::Search => "matches somewhere in",
        Semantics::WholeValue => "matches the whole of",
    };
    let (how, body) = match &p.compiled.matcher {
        Matcher::Dfa(dfa) => (
            "The pattern's minimal DFA over UTF-8 bytes, built when the crate was generated: \
             literals compare as slices, loops skip in place, other states match one byte."
                .to_string(),
            matcher::body(dfa),
        ),
        Matcher::Counted(c) => {
            let count = match (c.min, c.max) {
                (0, None) => "any number of them".to_string(),
                (min, None) => format!("at least {min} of them"),
                (min, Some(max)) => format!("between {min} and {max} of them"),
            };
            (
                format!(
                    "One class repeated: every character must be in the class, and there must be \
                     {count} (characters as `@length` counts them). Checked without a DFA (it \
                     would be too large) or a regex engine."
                ),
                counted::body(c, f, tables),
            )
        }
        Matcher::Runtime { pattern, why } => {
            let literal = raw_string(pattern);
            (
                format!(
                    "Matched at run time (no DFA: {}) by `{}`, compiled on first \
                     use; the generator compiled it with the same engine.",
                    docs::text(why),
                    PATTERN.path
                ),
                quote! {
                    static PATTERN: #PATTERN = #PATTERN::new(#literal);
                    PATTERN.is_match(value)
                },
            )
        }
    };
    let doc = format!(
        "Whether {} {meaning} a value (the pattern of {users}).\n\n{how}",
        docs::code(&p.compiled.display)
    );
    let doc = docs::lines(&doc);
    quote! {
        #doc
        fn #f(value: &str) -> bool {
            #body
        }
    }
}

/// `text` as a raw string literal (`r"..."`, with as many `#` as it needs),
/// so that a pattern reads as written.
pub(super) fn raw_string(text: &str) -> Literal {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

#[cfg(test)]
mod tests;
