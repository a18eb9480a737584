//! Unit tests of `patterns`: the parser, both matchers, equivalence, display.
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
    assert!(anchored.is_match("abc") && !anchored.is_match("abc1") && !anchored.is_match("abc\n"));
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
    assert!(reason("(a)\\2").contains("refers to group 2, and the pattern has 1"));
    assert!(reason("\\k<n>").contains("named backreferences"));
    assert!(reason("\\p{InGreek}").contains("unknown Unicode property `InGreek`"));
    assert!(reason("\\u{1F600}").contains("`u` flag"));
    assert!(reason("[z-a]").contains("out of order"));
    assert!(reason("a{3,2}").contains("out of order"));
    assert!(reason("a{100001}").contains("above the supported"));
    assert!(reason("*a").contains("nothing to repeat"));
    assert!(reason("a**").contains("nothing to repeat"));
    assert!(reason("a{2}{3}").contains("a quantifier follows a quantifier"));
    assert!(reason("(?i)*").contains("cannot be repeated"));
    assert!(reason("(?x)a").contains("the inline flag `x` is not supported"));
    assert!(reason("(ab").contains("unclosed group"));
    assert!(reason("ab)").contains("unmatched"));
    assert!(reason("[ab").contains("unclosed"));
    assert!(reason("\\q").contains("no meaning"));
    assert!(reason("ab\\").contains("lone backslash"));
    assert!(reason(&"(".repeat(70)).contains("nested deeper"));
    let e = parse("ab\\e").unwrap_err();
    assert_eq!(e.offset, 2);
    assert_eq!(
        e.to_string(),
        "the escape `\\e` has no meaning in ECMA-262 (at character 3)"
    );
    // Regular, but not a DFA: `compile` says why.
    assert!(compile("(?=a)", Semantics::Search)
        .unwrap_err()
        .reason
        .contains("lookaround has no DFA"));
}

/// Whether `value` conforms to `pattern`, by whichever matcher the generator
/// chose (the run-time engine exactly as `awsrt::pattern` runs it).
fn conforms(pattern: &str, semantics: Semantics, value: &str) -> bool {
    let compiled = compile_for(pattern, semantics).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    match &compiled.matcher {
        Matcher::Dfa(dfa) => dfa.is_match(value),
        Matcher::Counted(c) => c.is_match(value),
        Matcher::Runtime { pattern, .. } => fancy_regex::Regex::new(pattern)
            .and_then(|r| r.is_match(value))
            .unwrap_or_else(|e| panic!("{pattern}: {e}")),
    }
}

fn runtime(pattern: &str, semantics: Semantics) -> (String, String) {
    match &compile_for(pattern, semantics).unwrap().matcher {
        Matcher::Runtime { pattern, why } => (pattern.clone(), why.clone()),
        other => panic!("{pattern} is not matched at run time: {other:?}"),
    }
}

#[test]
fn annex_b_identity_escapes_mean_the_character() {
    let w = Semantics::WholeValue;
    for (p, yes, no) in [
        ("arn[\\/\\:\\-\\_\\.a-z]+", "arn:a_b-c/d.e", "arn:a b"),
        ("a\\:b\\_c\\-d\\@e\\'f", "a:b_c-d@e'f", "a:b_c-d@e'g"),
        ("[\\w-.~]+", "a-.~_", "a,b"),
    ] {
        assert!(conforms(p, w, yes), "{p} on {yes:?}");
        assert!(!conforms(p, w, no), "{p} on {no:?}");
    }
}

#[test]
fn unicode_properties_read_as_java_reads_them() {
    let w = Semantics::WholeValue;
    let p = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*";
    for yes in ["Łódź 7", "東京_1", "", "a\u{3000}b"] {
        assert!(conforms(p, w, yes), "{yes:?}");
    }
    for no in ["a!b", "tab\t", "😀"] {
        assert!(!conforms(p, w, no), "{no:?}");
    }
    assert!(conforms("\\P{C}+", w, "printable é") && !conforms("\\P{C}+", w, "bell\u{7}"));
    // POSIX classes are ASCII only, as in Java.
    assert!(conforms("\\p{Punct}+", w, "!#~") && !conforms("\\p{Punct}", w, "¡"));
    assert!(conforms("\\p{IsAlphabetic}+", w, "Ωmega"));
    assert!(conforms("\\p{IsWhitespace}", w, "\u{2003}"));
}

#[test]
fn lookaround_is_matched_at_run_time() {
    let w = Semantics::WholeValue;
    let p = "(?!aws:)[a-zA-Z+-=._:/]+";
    assert!(conforms(p, w, "team:x") && conforms(p, w, "awsome"));
    assert!(!conforms(p, w, "aws:x") && !conforms(p, w, ""));
    let (printed, why) = runtime(p, w);
    assert_eq!(printed, "^(?:(?!aws:)[a-zA-Z\\+-=\\._:/]+)$");
    assert_eq!(why, "lookaround");
    // Lookbehind, a quantified lookahead (Annex B), a backreference.
    let p = "[\\da-z]{1}[\\da-z-]{1,48}[\\da-z]{1}(?<!-s3alias)";
    assert!(conforms(p, w, "my-bucket") && !conforms(p, w, "my-bucket-s3alias"));
    let p = "(\\/|(\\/(?!\\.)+[^$#<>;`|&?{}^*/\\n]+){1,4})";
    assert!(conforms(p, w, "/a/b") && !conforms(p, w, "/.a"));
    let p = "^(?!.*?(.)\\1{3})[-_!@#$a-zA-Z0-9]*$";
    assert!(conforms(p, w, "aaab") && !conforms(p, w, "aaaab"));
    // Java's case-insensitive flag is ASCII only.
    let p = "(?!(?i)AWS_)[a-zA-Z_][a-zA-Z0-9_]*";
    assert!(conforms(p, w, "MY_VAR") && !conforms(p, w, "aws_x") && !conforms(p, w, "Aws_x"));
}

#[test]
fn word_boundaries_are_ascii_in_both_matchers() {
    let s = Semantics::Search;
    let p = "\\bfoo\\b";
    assert!(matches!(
        compile_for(p, s).unwrap().matcher,
        Matcher::Dfa(_)
    ));
    for (value, expected) in [
        ("a foo b", true),
        ("afoo", false),
        ("foo_", false),
        ("éfooé", true),
        ("foo", true),
    ] {
        assert_eq!(conforms(p, s, value), expected, "{value:?}");
        let printed = engine::print(&parse(p).unwrap().node, s);
        let rt = fancy_regex::Regex::new(&printed)
            .unwrap()
            .is_match(value)
            .unwrap();
        assert_eq!(rt, expected, "run time, {value:?}");
    }
    let ip = "((25[0-5]|(2[0-4]|1\\d|[1-9]|)\\d)\\.?\\b){4}";
    assert!(conforms(ip, Semantics::WholeValue, "10.0.0.255"));
    assert!(!conforms(ip, Semantics::WholeValue, "10.0.0.256"));
}

#[test]
fn java_flags_anchors_and_escapes() {
    let w = Semantics::WholeValue;
    assert!(conforms("(?s).+", w, "a\nb") && !conforms(".+", w, "a\nb"));
    assert!(conforms("a(?s:.)b.", w, "a\nbc") && !conforms("a(?s:.)b.", w, "a\nb\n"));
    assert!(conforms("\\A[a-z]+\\z", Semantics::Search, "abc"));
    assert!(!conforms("\\A[a-z]+\\z", Semantics::Search, "abc1"));
    assert!(conforms("[a\\x{60}]+", w, "a`"));
    assert!(conforms("(?i)abc", w, "AbC") && !conforms("(?i)é", w, "É"));
    // `$` repeated is `$` (Java), the pair of escapes is one character.
    assert!(conforms("[a-z]*${2,64}", w, "abc"));
    let xml = "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*";
    assert!(conforms(xml, w, "text 😀\t") && !conforms(xml, w, "\u{1}"));
    let bmp = "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\t]*";
    assert!(conforms(bmp, w, "text\t") && !conforms(bmp, w, "😀"));
    // Java's possessive quantifier gives nothing back.
    assert!(!conforms("a?+a", w, "a") && conforms("a?+a", w, "aa"));
}

#[test]
fn large_repetitions_are_matched_at_run_time_quickly() {
    let w = Semantics::WholeValue;
    let started = std::time::Instant::now();
    let (_, why) = runtime("x.{1,576}", w);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(why, "its DFA would have more than 256 states");
    assert!(conforms("x.{1,576}", w, &format!("x{}", "é".repeat(576))));
    assert!(!conforms("x.{1,576}", w, &"x".repeat(578)));
    assert!(!conforms("x.{1,576}", w, "xa\nb") && !conforms("x.{1,576}", w, "x"));
    assert!(conforms("x[\\s\\S]{1,1024}", w, "xa\nb\u{2028}"));
}

fn counted(pattern: &str, semantics: Semantics) -> CountedClass {
    match &compile_for(pattern, semantics)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .matcher
    {
        Matcher::Counted(c) => c.clone(),
        other => panic!("{pattern} is not a counted class: {other:?}"),
    }
}

#[test]
fn one_large_class_repeated_is_a_class_and_a_count() {
    let w = Semantics::WholeValue;
    // appconfigdata's `Token`: every character not white space, 1 to 8192 of them.
    let token = counted("\\S{1,8192}", w);
    assert_eq!((token.min, token.max), (1, Some(8192)));
    assert!(token.is_match("a") && token.is_match(&"é".repeat(8192)));
    assert!(!token.is_match("") && !token.is_match(&"a".repeat(8193)));
    assert!(!token.is_match("a b") && !token.is_match("a\u{3000}") && !token.is_match("\u{feff}"));
    // Characters, not UTF-16 code units: 8192 astral characters fit, as they
    // fit `@length(max: 8192)` (ECMA-262 without `u` would count 16384 units).
    assert!(token.is_match(&"😀".repeat(8192)) && !token.is_match(&"😀".repeat(8193)));
    assert_eq!(
        compile_for("\\S{1,8192}", w).unwrap().display,
        "^\\S{1,8192}$"
    );
    // connect's `CommonHumanReadableDescription`: no control, format,
    // unassigned or private-use character, except CR, LF and tab.
    let p = "^[\\P{C}\\r\\n\\t]{1,250}$";
    let description = counted(p, w);
    assert_eq!(compile_for(p, w).unwrap().display, p);
    assert!(description.is_match("Line one\r\n\tline two 😀 ア"));
    assert!(description.is_match(&"😀".repeat(250)) && !description.is_match(&"a".repeat(251)));
    for no in [
        "",
        "\u{7}",
        "\u{7f}",
        "\u{85}",
        "\u{200b}",
        "\u{378}",
        "\u{e000}",
        "\u{f0000}",
    ] {
        assert!(!description.is_match(no), "{no:?}");
    }
    // The same class with small bounds: the run-time engine's verdicts.
    let corpus = [
        "",
        "a",
        "ab",
        "abc",
        "a b",
        "😀😀",
        "😀😀😀",
        "\u{378}",
        "\r\n",
        "a\u{7}",
    ];
    for (large, small) in [
        ("\\S{1,8192}", "\\S{1,2}"),
        (p, "^[\\P{C}\\r\\n\\t]{1,2}$"),
        (".{0,600}", ".{0,2}"),
    ] {
        let scaled = CountedClass {
            max: Some(2),
            ..counted(large, w)
        };
        let printed = engine::print(&parse(small).unwrap().node, w);
        let regex = fancy_regex::Regex::new(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
        for s in corpus {
            assert_eq!(
                scaled.is_match(s),
                regex.is_match(s).unwrap(),
                "{small} on {s:?}"
            );
        }
    }
}

#[test]
fn the_forms_that_reduce_to_a_counted_class() {
    let (w, s) = (Semantics::WholeValue, Semantics::Search);
    for (p, semantics) in [
        ("[a-z]{300}", w),
        ("^[a-z]{300}", w),
        ("[a-z]{300}$", w),
        ("^^(?:([a-z])){300}$", w),
        ("\\A[a-z]{300}\\z", s),
        ("^[a-z]{300}$", s),
        ("^(?:[a-z]{300}?)$", s),
        ("(?i)[a-z]{300}", w),
        ("[a-z]{300}+", w),
    ] {
        let c = counted(p, semantics);
        assert_eq!((c.min, c.max), (300, Some(300)), "{p}");
        let ok = "q".repeat(300);
        assert!(c.is_match(&ok) && !c.is_match(&ok[1..]), "{p}");
    }
    assert!(counted("(?i)[a-z]{300}", w).is_match(&"Q".repeat(300)));
    assert!(counted("x{300,}", w).is_match(&"x".repeat(301)));
    // Not a counted class: searches not anchored at both ends (in Smithy,
    // `\\S{1,8192}` means "has a character that is not white space": the
    // DFA of `\\S`, the count cut to its minimum), two classes, a nested
    // count, a class and a literal, an alternation.
    for (p, yes, no) in [
        ("\\S{1,8192}", " x ", " \t"),
        ("^[a-z]{2,300}", "ab1", "a1b"),
        ("[a-z]{2,300}$", "1ab", "a1b"),
        ("1[a-z]{2,300}|[a-z]{3,300}2", "1ab", "ab2"),
    ] {
        let c = compile_for(p, s).unwrap_or_else(|e| panic!("{p}: {e}"));
        let Matcher::Dfa(dfa) = &c.matcher else {
            panic!("{p}: {:?}", c.matcher)
        };
        assert!(dfa.states.len() < 32, "{p}: {} states", dfa.states.len());
        assert!(dfa.is_match(yes) && !dfa.is_match(no), "{p}");
        assert_eq!(c.display, p);
    }
    for (p, semantics) in [
        ("[a-z]{300}$", s),
        ("^[a-z]{300}", s),
        ("[a-z][0-9]{300}", w),
        ("([a-z]{2}){300}", w),
        ("x[a-z]{1,300}", w),
        ("[a-z]{1,300}|y", w),
    ] {
        let matcher = compile_for(p, semantics).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(!matches!(matcher.matcher, Matcher::Counted(_)), "{p}");
    }
}

#[test]
fn a_counted_class_is_not_built_as_a_dfa_first() {
    // Which matcher is chosen, not how long choosing takes: timings belong in
    // benchmarks (a DFA for these would have tens of thousands of states).
    for p in ["\\S{1,8192}", "[\\P{C}\\r\\n\\t]{1,250}", "\\S{100000}"] {
        let c = compile_for(p, Semantics::WholeValue).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(matches!(c.matcher, Matcher::Counted(_)), "{p}");
    }
    // Just past the limit of a DFA's states, and just inside it.
    let at = |n: u32| compile_for(&format!("a{{1,{n}}}"), Semantics::WholeValue).unwrap();
    assert!(matches!(at(256).matcher, Matcher::Counted(_)));
    assert!(matches!(at(255).matcher, Matcher::Dfa(_)));
}

/// The printer keeps ECMA-262's meaning: for regular patterns, the run-time
/// engine agrees with the DFA on every string of a corpus.
#[test]
fn the_run_time_translation_agrees_with_the_dfas() {
    let patterns = [
        "[a-z0-9-.]+",
        ".+",
        "\\s*\\S+\\s*",
        "\\d{2,3}\\D",
        "\\w+\\W?",
        "[^\\s@]+@[^\\s@]+",
        "(?i)[a-c]x",
        "$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+.*",
        "a(b|)c\\b",
        "[^]x[]?",
    ];
    let corpus = [
        "",
        "a",
        "ab1",
        "12a",
        "123-",
        "x y",
        "a@b",
        "a@@b",
        "\u{a0}z\u{feff}",
        "AX",
        "bx",
        "a\nb",
        "\r",
        "\u{2028}",
        "é",
        "arn:aws:lambda:us-west-2:123456789012:function:f",
        "abc",
        "ac",
        "\nx",
    ];
    for p in patterns {
        for semantics in [Semantics::Search, Semantics::WholeValue] {
            let dfa = compile(p, semantics).unwrap_or_else(|e| panic!("{p}: {e}"));
            let printed = engine::print(&parse(p).unwrap().node, semantics);
            let regex =
                fancy_regex::Regex::new(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
            for s in corpus {
                assert_eq!(
                    regex.is_match(s).unwrap(),
                    dfa.is_match(s),
                    "{p} ({semantics:?}) as {printed} on {s:?}"
                );
            }
        }
    }
}

#[test]
fn every_pattern_costs_a_fraction_of_a_second() {
    for p in [
        "((10|11|21|22|23|24|26|27|28|30|31|32|40|41)[0-9]{11}|[59][0-9]{12})",
        "([a-zA-Z0-9., _ʼ'%-]){0,500}",
        "arn:aws:secretsmanager:[0-9a-zA-Z-]{1,32}:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{8,520}",
    ] {
        let started = std::time::Instant::now();
        compile_for(p, Semantics::WholeValue).unwrap_or_else(|e| panic!("{p}: {e}"));
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(2), "{p}: {took:?}");
    }
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
    let d = |p: &str| {
        compile_for(p, Semantics::WholeValue)
            .unwrap()
            .display
            .clone()
    };
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
