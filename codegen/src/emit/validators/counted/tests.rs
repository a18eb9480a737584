//! The emitted class-and-count matchers, compiled with `rustc` and run: their
//! verdicts are `CountedClass::is_match`'s on every value, at and around the
//! bounds, with multi-byte and astral characters.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::Command;

use super::*;
use crate::patterns::{compile_for, Matcher, Semantics};

fn counted(pattern: &str, semantics: Semantics) -> CountedClass {
    match &compile_for(pattern, semantics)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .matcher
    {
        Matcher::Counted(c) => c.clone(),
        other => panic!("{pattern}: not counted: {other:?}"),
    }
}

fn class(chars: &[(char, char)], min: u32, max: Option<u32>) -> CountedClass {
    CountedClass {
        chars: chars.to_vec(),
        min,
        max,
    }
}

fn code(c: &CountedClass) -> String {
    let mut tables = Tables::default();
    let body = body(c, &crate::names::ident("matches_f"), &mut tables);
    let tables = tables.items();
    prettyplease::unparse(&syn::parse_quote! {
        fn f(value: &str) -> bool { #body }
        #(#tables)*
    })
}

/// Values around `c`'s bounds, built from characters in and out of its class.
fn values(c: &CountedClass, inside: &[char], outside: &[char]) -> Vec<String> {
    let mut counts = vec![0, 1, 2, c.min as usize];
    counts.extend(c.min.checked_sub(1).map(|n| n as usize));
    counts.push(c.min as usize + 1);
    if let Some(max) = c.max {
        counts.extend([max as usize - 1, max as usize, max as usize + 1]);
    }
    let mut out = Vec::new();
    for n in counts {
        for &i in inside {
            out.push(std::iter::repeat_n(i, n).collect::<String>());
            for &o in outside {
                // One character outside the class, at the end.
                let mut s: String = std::iter::repeat_n(i, n.saturating_sub(1)).collect();
                s.push(o);
                out.push(s);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Compile every case's emitted function with `rustc`, run each on its
/// values (sent on standard input), and compare with `is_match`.
fn run_emitted(cases: &[(CountedClass, Vec<String>)]) {
    let mut src = String::from("#![deny(warnings)]\nuse std::io::Read;\n");
    let mut arms = String::new();
    let mut input = String::new();
    for (i, (c, values)) in cases.iter().enumerate() {
        let code = code(c)
            .replacen("fn f(", &format!("fn f{i}("), 1)
            .replace("F_CHARS", &format!("F{i}_CHARS"));
        src.push_str(&code);
        let _ = write!(arms, "\"{i}\" => f{i}(v), ");
        for v in values {
            assert!(!v.contains(['\0', '\u{1}']), "{v:?}");
            let _ = write!(input, "{i}\u{1}{v}\0");
        }
    }
    let _ = write!(
        src,
        "fn main() {{
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).unwrap();
            for item in input.split_terminator('\\0') {{
                let (i, v) = item.split_once('\\u{{1}}').unwrap();
                let verdict = match i {{ {arms} _ => unreachable!() }};
                println!(\"{{}}\", u8::from(verdict));
            }}
        }}"
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("counted.rs");
    std::fs::write(&file, &src).expect("write the program");
    let exe = dir.path().join("counted");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let built = Command::new(rustc)
        .args(["--edition", "2021", "-O", "-o"])
        .arg(&exe)
        .arg(&file)
        .output()
        .expect("run rustc");
    assert!(
        built.status.success(),
        "{}\n{src}",
        String::from_utf8_lossy(&built.stderr)
    );
    let mut child = Command::new(&exe)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run the program");
    child
        .stdin
        .take()
        .expect("its input")
        .write_all(input.as_bytes())
        .expect("send the values");
    let ran = child.wait_with_output().expect("its verdicts");
    assert!(ran.status.success());
    let verdicts = String::from_utf8_lossy(&ran.stdout).into_owned();
    let mut verdicts = verdicts.lines();
    for (c, values) in cases {
        for v in values {
            let emitted = verdicts.next() == Some("1");
            assert_eq!(
                emitted,
                c.is_match(v),
                "{c:?} on {} chars: {:?}",
                v.chars().count(),
                v.chars().take(8).collect::<String>()
            );
        }
    }
}

#[test]
fn emitted_matchers_agree_with_the_class_and_count() {
    let appconfig = counted("\\S{1,8192}", Semantics::WholeValue);
    let connect = counted("^[\\P{C}\\r\\n\\t]{1,250}$", Semantics::WholeValue);
    let dot = counted(".{1,576}", Semantics::WholeValue);
    let lower = counted("^[a-z]{0,300}$", Semantics::Search);
    let digits = counted("\\d{300,}", Semantics::WholeValue);
    let any = counted("[\\s\\S]{2,1024}", Semantics::WholeValue);
    let cases = vec![
        (
            appconfig.clone(),
            values(&appconfig, &['a', 'é', '😀'], &[' ', '\u{3000}', '\n']),
        ),
        (
            connect.clone(),
            values(
                &connect,
                &['a', '\n', '\t', '😀', 'ア'],
                &['\u{7}', '\u{378}', '\u{e000}', '\u{200b}', '\u{85}'],
            ),
        ),
        (dot.clone(), values(&dot, &['a', '😀'], &['\n', '\u{2028}'])),
        (lower.clone(), values(&lower, &['q'], &['Q', 'é'])),
        (digits.clone(), values(&digits, &['7'], &['٣'])),
        (any.clone(), values(&any, &['\n', '😀'], &[])),
        // Constant and degenerate cases, as emitted if they ever were.
        (class(&[], 0, Some(5)), vec!["".into(), "a".into()]),
        (class(&[], 1, None), vec!["".into(), "a".into()]),
        (
            class(&[('a', 'a')], 0, Some(0)),
            vec!["".into(), "a".into()],
        ),
        (
            class(&[('\0', char::MAX)], 0, None),
            vec!["".into(), "x\n".into()],
        ),
        (
            class(&[('\0', char::MAX)], 2, None),
            vec!["".into(), "x".into(), "xy".into(), "😀😀".into()],
        ),
        (
            class(&[('0', '9')], 0, None),
            vec!["".into(), "12".into(), "1a".into()],
        ),
        (
            class(&[('0', '9')], 3, None),
            vec!["12".into(), "123".into(), "1234".into(), "12a4".into()],
        ),
    ];
    run_emitted(&cases);
}

#[test]
fn the_class_test_is_the_shortest_form() {
    // `\S`: the ten white-space ranges, listed once.
    let s = code(&counted("\\S{1,8192}", Semantics::WholeValue));
    // (prettyplease writes `..= ` inside macros.)
    assert!(
        s.contains("if count > 8192\n            || matches!("),
        "{s}"
    );
    assert!(s.contains("'\\t'..= '\\r' | ' ' | '\\u{a0}'"), "{s}");
    assert!(s.trim_end().ends_with("count >= 1\n}"), "{s}");
    // `.`: the line terminators.
    let s = code(&counted(".{1,576}", Semantics::WholeValue));
    assert!(
        s.contains("matches!(c, '\\n' | '\\r' | '\\u{2028}'..= '\\u{2029}')"),
        "{s}"
    );
    // `\P{C}`: a table beyond ASCII.
    let s = code(&counted(
        "^[\\P{C}\\r\\n\\t]{1,250}$",
        Semantics::WholeValue,
    ));
    assert!(s.contains("const F_CHARS: &[(char, char)] = &["), "{s}");
    assert!(
        s.contains("let i = F_CHARS.partition_point(|&(_, hi)| hi < c);"),
        "{s}"
    );
    assert!(
        s.contains("matches!(c, '\\t'..= '\\n' | '\\r' | ' '..= '~')"),
        "{s}"
    );
    assert!(s.contains("if count > 250 || !in_class(c)"), "{s}");
    // `[a-z]`: char's own test.
    let s = code(&counted("[a-z]{0,300}", Semantics::WholeValue));
    assert!(s.contains("!c.is_ascii_lowercase()"), "{s}");
    assert!(s.trim_end().ends_with("true\n}"), "{s}");
}
