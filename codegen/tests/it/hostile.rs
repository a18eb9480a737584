//! The hostile corpus: every folder of `fixtures/models/hostile/` holds one
//! small model (`service-2.json`, botocore, or `model.smithy.json`) written
//! the way an attacker would, and `expect.json`:
//!
//! ```json
//! {"why": "what the model tries", "exit": 2, "stderr": ["substring", "..."]}
//! {"why": "...", "exit": 0, "stderr": [], "renames": ["optional", "..."]}
//! ```
//!
//! Each model goes through the generator binary. The exit status must be the
//! one expected and stderr must hold every substring. When the generator
//! exits 0, the crate must be inert and sound:
//! - its `Cargo.toml` has exactly the expected tables and dependencies
//!   (`awsrt` by path and version, `serde_json`), no build script, no patch;
//! - no generated file holds a control character (other than newlines), a
//!   bidirectional control or another character rustc refuses;
//! - its docs are `///`/`//!` comments only, and read as Markdown (by
//!   pulldown-cmark, as rustdoc reads them) hold no code block (so no
//!   doctest), no HTML and no link other than http(s);
//! - each string of `renames` appears in its `src/lib.rs` (the crate docs
//!   list renames);
//! - it compiles with `cargo clippy --all-targets -- -D warnings`, and its
//!   docs build with `cargo doc` under `RUSTDOCFLAGS=-D warnings` (through
//!   the fixture harness, `fixtures/src/lib.rs`: one target folder for every
//!   fixture, so the runtime compiles once).
//!
//! Every failure of every case is reported together.
//!
//! `bounded_mutation_fuzz_of_the_vendored_model` (below) mutates the vendored
//! model a fixed number of times (`HOSTILE_FUZZ_CASES`, default 250; seed
//! `HOSTILE_FUZZ_SEED`) and runs the pipeline in process: each mutant is
//! refused or makes an inert crate, and none panics.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::Value;

/// How many cases the corpus ships with; more may be added, none removed
/// without lowering this on purpose.
const MIN_CASES: usize = 32;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Case {
    name: String,
    model: PathBuf,
    why: String,
    exit: i32,
    stderr: Vec<String>,
    renames: Vec<String>,
}

fn strings(v: Option<&Value>, what: &str, case: &str) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|s| {
                s.as_str()
                    .unwrap_or_else(|| panic!("{case}: `{what}` holds a non-string"))
                    .to_string()
            })
            .collect(),
        Some(_) => panic!("{case}: `{what}` is not a list"),
    }
}

fn cases() -> Vec<Case> {
    let dir = fixture_harness::model("hostile");
    let mut cases = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let model = ["service-2.json", "model.smithy.json"]
            .iter()
            .map(|f| path.join(f))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{name}: no service-2.json or model.smithy.json"));
        let expect: Value = serde_json::from_str(
            &fs::read_to_string(path.join("expect.json"))
                .unwrap_or_else(|e| panic!("{name}/expect.json: {e}")),
        )
        .unwrap_or_else(|e| panic!("{name}/expect.json: {e}"));
        let exit = expect["exit"]
            .as_i64()
            .unwrap_or_else(|| panic!("{name}/expect.json: `exit` is not a number"));
        assert!(exit == 0 || exit == 2, "{name}: `exit` must be 0 or 2");
        cases.push(Case {
            why: expect["why"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}/expect.json: `why` is missing"))
                .to_string(),
            exit: exit as i32,
            stderr: strings(expect.get("stderr"), "stderr", &name),
            renames: strings(expect.get("renames"), "renames", &name),
            model,
            name,
        });
    }
    cases
}

/// Characters no generated file may hold: controls other than `\n`, the
/// bidirectional controls rustc refuses in source, and the other invisible
/// formatting characters.
fn forbidden(c: char) -> bool {
    c != '\n' && codegen::error::is_forbidden_char(c)
}

/// Every file under `dir`, relative path and text.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let bytes = fs::read(&path).unwrap();
                let text = String::from_utf8(bytes).unwrap_or_else(|_| format!("{rel}: not UTF-8"));
                out.push((rel, text));
            }
        }
    }
    out.sort();
    out
}

/// What is wrong with the manifest of a generated crate.
fn manifest_problems(crate_dir: &Path, runtime: &Path, problems: &mut Vec<String>) {
    let text = match fs::read_to_string(crate_dir.join("Cargo.toml")) {
        Ok(t) => t,
        Err(e) => return problems.push(format!("Cargo.toml: {e}")),
    };
    let doc: toml_edit::DocumentMut = match text.parse() {
        Ok(d) => d,
        Err(e) => return problems.push(format!("Cargo.toml does not parse: {e}")),
    };
    let tables: BTreeSet<&str> = doc.iter().map(|(k, _)| k).collect();
    let allowed: BTreeSet<&str> = ["package", "dependencies", "features"].into();
    if tables != allowed {
        problems.push(format!(
            "Cargo.toml tables {tables:?}, expected {allowed:?}"
        ));
    }
    let package: BTreeSet<&str> = doc["package"]
        .as_table()
        .map(|t| t.iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    let expected: BTreeSet<&str> = [
        "name",
        "version",
        "edition",
        "rust-version",
        "license",
        "description",
        "documentation",
        "exclude",
    ]
    .into();
    if package != expected {
        problems.push(format!("[package] keys {package:?}, expected {expected:?}"));
    }
    let deps: Vec<&str> = doc["dependencies"]
        .as_table()
        .map(|t| t.iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    if deps != ["awsrt", "serde_json"] {
        problems.push(format!(
            "dependencies {deps:?}, expected awsrt and serde_json"
        ));
    }
    if doc["dependencies"]["awsrt"]["path"].as_str() != Some(&*runtime.to_string_lossy()) {
        problems.push(format!(
            "awsrt's path is {:?}",
            doc["dependencies"]["awsrt"]["path"].as_str()
        ));
    }
    if doc["dependencies"]["serde_json"].as_str() != Some("1") {
        problems.push("serde_json is not `1` from crates.io".into());
    }
    let features: Vec<(String, Vec<String>)> = doc["features"]
        .as_table()
        .map(|t| {
            t.iter()
                .map(|(k, v)| {
                    let list = v
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str())
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default();
                    (k.to_string(), list)
                })
                .collect()
        })
        .unwrap_or_default();
    let expected_features = vec![(
        "aws-config".to_string(),
        vec!["awsrt/aws-config".to_string()],
    )];
    if features != expected_features {
        problems.push(format!("features {features:?}"));
    }
}

/// `text` without the crate docs' getting-started section, the one code
/// block the generator writes, when it is exactly that section: the text
/// `codegen::emit::krate::getting_started_text` makes for the crate and
/// operation names it holds, both plain identifiers. Anything else stays.
fn without_getting_started(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| *l == "//! ## Getting started") else {
        return text.to_string();
    };
    let Some(end) = lines[start..]
        .iter()
        .enumerate()
        .filter(|(_, l)| **l == "//! ```")
        .map(|(i, _)| start + i)
        .next()
    else {
        return text.to_string();
    };
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let name = lines[start + 2]
        .strip_prefix("//! Add the crate (`cargo add --git URL-of-this-repository ")
        .and_then(|r| r.strip_suffix("`) and tokio"));
    let call = lines[start..end].iter().find_map(|l| {
        l.strip_prefix("//! let output = client.")
            .and_then(|r| r.strip_suffix("().send().await?;"))
    });
    let (Some(name), true) = (name, call.is_none_or(ident)) else {
        return text.to_string();
    };
    if !ident(name) {
        return text.to_string();
    }
    let expected = codegen::emit::krate::getting_started_text(name, call);
    let block: Vec<String> = lines[start - 2..=end]
        .iter()
        .map(|l| {
            l.strip_prefix("//!")
                .unwrap_or(l)
                .strip_prefix(' ')
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let found = block.join("\n");
    let found = found.trim_start_matches('\n');
    if found == expected.trim_start_matches('\n') {
        let mut kept: Vec<&str> = lines[..start].to_vec();
        kept.extend_from_slice(&lines[end + 1..]);
        kept.join("\n")
    } else {
        text.to_string()
    }
}

/// rustdoc's Markdown extensions.
fn markdown(text: &str) -> Parser<'_> {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    Parser::new_ext(text, o)
}

/// What is wrong with the docs of one Rust file: every run of `///` or `//!`
/// lines is one doc, read as rustdoc reads it.
fn doc_problems(rel: &str, text: &str, problems: &mut Vec<String>) {
    let text = &without_getting_started(text);
    if text.contains("#[doc") || text.contains("#![doc") {
        problems.push(format!("{rel}: a doc attribute instead of a doc comment"));
    }
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let t = line.trim_start();
        let doc = t.strip_prefix("///").or_else(|| t.strip_prefix("//!"));
        match doc {
            Some(d) => {
                let d = d.strip_prefix(' ').unwrap_or(d);
                let body = d.trim_start_matches(' ');
                if d.len() - body.len() >= 4 || body.starts_with("```") || body.starts_with("~~~") {
                    problems.push(format!("{rel}: doc line {d:?} starts a code block"));
                }
                let block = current.get_or_insert_with(String::new);
                block.push_str(d);
                block.push('\n');
            }
            None => blocks.extend(current.take()),
        }
    }
    blocks.extend(current.take());
    for block in blocks {
        for event in markdown(&block) {
            let bad = match &event {
                Event::Start(Tag::CodeBlock(_)) => Some("a code block (a doctest)".to_string()),
                Event::Html(h) | Event::InlineHtml(h) => Some(format!("HTML {h:?}")),
                Event::Start(Tag::HtmlBlock) => Some("an HTML block".into()),
                Event::Start(Tag::Image { .. }) => Some("an image".into()),
                Event::Start(Tag::Link { dest_url, .. })
                    if !(dest_url.starts_with("https://")
                        || dest_url.starts_with("http://")
                        || dest_url.starts_with("crate::")
                        || dest_url.starts_with("Self::")
                        || !dest_url.contains(':')) =>
                {
                    Some(format!("a link to {dest_url:?}"))
                }
                _ => None,
            };
            if let Some(bad) = bad {
                problems.push(format!("{rel}: a doc holds {bad}:\n{block}"));
            }
        }
    }
}

fn check_crate(case: &Case, out: &Path, runtime: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    manifest_problems(out, runtime, &mut problems);
    for (rel, text) in files(out) {
        if let Some(c) = text.chars().find(|&c| forbidden(c)) {
            problems.push(format!("{rel}: holds U+{:04X}", c as u32));
        }
        if rel.ends_with(".rs") {
            doc_problems(&rel, &text, &mut problems);
        }
    }
    let lib = fs::read_to_string(out.join("src/lib.rs")).unwrap_or_default();
    for r in &case.renames {
        if !lib.contains(r.as_str()) {
            problems.push(format!("src/lib.rs does not list the rename {r:?}"));
        }
    }
    problems
}

#[test]
fn hostile_models_are_refused_or_make_inert_crates() {
    let cases = cases();
    assert!(
        cases.len() >= MIN_CASES,
        "the hostile corpus has {} cases, expected at least {MIN_CASES}",
        cases.len()
    );
    let runtime = root().join("runtime").canonicalize().unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut built = 0;
    for case in &cases {
        let out_dir = work.path().join(&case.name);
        let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .arg("--model")
            .arg(&case.model)
            .arg("--out")
            .arg(&out_dir)
            .arg("--runtime-path")
            .arg(&runtime)
            .output()
            .expect("the codegen binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut problems = Vec::new();
        if out.status.code() != Some(case.exit) {
            problems.push(format!(
                "exit status {:?}, expected {}",
                out.status.code(),
                case.exit
            ));
        }
        for s in &case.stderr {
            if !stderr.contains(s.as_str()) {
                problems.push(format!("stderr does not hold {s:?}"));
            }
        }
        if stderr.contains("panicked") {
            problems.push("the generator panicked".into());
        }
        if case.exit == 2 && out_dir.exists() {
            problems.push("exit 2, yet the output folder was written".into());
        }
        if problems.is_empty() && case.exit == 0 {
            problems.extend(check_crate(case, &out_dir, &runtime));
            if problems.is_empty() {
                let krate = fixture_harness::Crate::at(&case.name, &out_dir);
                if let Err(e) = krate.clippy().and_then(|()| krate.doc()) {
                    problems.push(e.to_string());
                }
                built += 1;
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({}):\n  {}\n  stderr: {stderr}",
                case.name,
                case.why,
                problems.join("\n  ")
            ));
        }
    }
    println!(
        "hostile corpus: {} cases, {} crates generated and built",
        cases.len(),
        built
    );
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The checks above find what they look for (so a passing corpus means
/// something).
#[test]
fn the_checks_catch_what_they_look_for() {
    let mut problems = Vec::new();
    doc_problems(
        "a.rs",
        "/// text\n/// ```\n/// abort()\n/// ```\nfn f() {}\n",
        &mut problems,
    );
    assert!(
        problems.iter().any(|p| p.contains("code block")),
        "{problems:?}"
    );
    for bad in [
        "/// a\n///\n///     indented()\n",
        "/// ~~~\n",
        "/// <script>x</script>\n",
        "/// [x](javascript:alert)\n",
        "/// ![i](https://e.com/i.png)\n",
        "#[doc = \"x\"]\n",
    ] {
        let mut problems = Vec::new();
        doc_problems("a.rs", bad, &mut problems);
        assert!(!problems.is_empty(), "{bad:?} passes");
    }
    let mut problems = Vec::new();
    doc_problems(
        "a.rs",
        "/// [`Client`](crate::Client), <https://e.com>, `code`, **b**\n//! - item\n",
        &mut problems,
    );
    assert!(problems.is_empty(), "{problems:?}");

    let dir = tempfile::tempdir().unwrap();
    let runtime = Path::new("/rt");
    let good = "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.94\"\nlicense = \"Apache-2.0\"\ndescription = \"d\"\ndocumentation = \"https://docs.rs/t\"\nexclude = [\".codegen-output\"]\n\n[dependencies]\nawsrt = { path = \"/rt\", version = \"0.1.0\" }\nserde_json = \"1\"\n\n[features]\naws-config = [\"awsrt/aws-config\"]\n";
    fs::write(dir.path().join("Cargo.toml"), good).unwrap();
    let mut problems = Vec::new();
    manifest_problems(dir.path(), runtime, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    for bad in [
        good.replace("serde_json = \"1\"", "serde_json = \"1\"\nevil = \"1\""),
        format!("{good}\n[build-dependencies]\nevil = \"1\"\n"),
        good.replace(
            "description = \"d\"",
            "description = \"d\"\nbuild = \"evil.rs\"",
        ),
        good.replace("/rt", "/elsewhere"),
    ] {
        let mut problems = Vec::new();
        fs::write(dir.path().join("Cargo.toml"), &bad).unwrap();
        manifest_problems(dir.path(), runtime, &mut problems);
        assert!(!problems.is_empty(), "{bad} passes");
    }
}

// ---------------------------------------------------------------------------
// Bounded mutation fuzz over the vendored model.

/// A small seeded generator (SplitMix64): the same seed, the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Strings an attacker (or a careless model author) would try.
const HOSTILE_STRINGS: &[&str] = &[
    "",
    " ",
    "\n",
    "\r",
    "\0",
    "\"",
    "\"\n[dependencies]\nevil = { path = \"/tmp/evil\" }\n#",
    "'''\n[build-dependencies]",
    "```\nstd::process::abort();\n```",
    "~~~\nabort()\n~~~",
    "<pre><code>```rust\nabort()",
    "\n\n    indented();\n",
    "<script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "\u{202e}",
    "\u{2066}x\u{2069}",
    "\u{200b}",
    "\u{feff}",
    "\u{1b}[31m",
    "self",
    "Self",
    "crate",
    "super",
    "type",
    "gen",
    "async",
    "r#type",
    "_",
    "__",
    "0",
    "123abc",
    "a-b",
    "a.b",
    "a/b",
    "../../etc/passwd",
    "é",
    "𝔘nicode",
    "Option",
    "Result",
    "String",
    "new",
    "builder",
    "unknown",
    "Unknown",
    "{",
    "}",
    "{a}",
    "/{x+}",
    "/{a}/{a}",
    "?a=b&c",
    "https://e.com/(a)<b>",
    "&#96;&#96;&#96;",
    "&lt;pre&gt;",
    "\\",
    "*",
    "#",
    "|",
];

/// Paths (as indices into a flat walk) of every node.
fn nodes(v: &Value, path: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(path.clone());
    match v {
        Value::Object(m) => {
            for k in m.keys() {
                path.push(PathStep::Key(k.clone()));
                nodes(&m[k], path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(PathStep::Index(i));
                nodes(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(v: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        PathStep::Key(k) => &mut v[k.as_str()],
        PathStep::Index(i) => &mut v[*i],
    })
}

fn hostile_string(rng: &mut Rng, around: Option<&str>) -> String {
    let s = *rng.pick(HOSTILE_STRINGS);
    match (rng.below(4), around) {
        (0, Some(a)) => format!("{a}{s}"),
        (1, Some(a)) => format!("{s}{a}"),
        (2, _) => s.repeat(1 + rng.below(2000)),
        _ => s.to_string(),
    }
}

/// Apply one random mutation to `model`; returns what it did.
fn mutate(model: &mut Value, rng: &mut Rng) -> String {
    let mut all = Vec::new();
    nodes(model, &mut Vec::new(), &mut all);
    if all.len() < 2 {
        return "nothing (an empty model)".into();
    }
    let path = rng.pick(&all[1..]).clone();
    // Smithy refers to shapes with `target`, botocore with `shape`.
    let reference = if model.get("smithy").is_some() {
        "target"
    } else {
        "shape"
    };
    let shape_names: Vec<String> = model["shapes"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let kind = rng.below(6);
    let node = node_mut(model, &path);
    match kind {
        // A string, anywhere (names, docs, locations, patterns, enum values).
        0 | 1 => {
            let old = node.as_str().map(str::to_string);
            let new = hostile_string(rng, old.as_deref());
            let desc = format!("{path:?}: string {new:?}");
            *node = Value::String(new);
            desc
        }
        // A key: a shape, member or operation name.
        2 => {
            let parent_path = &path[..path.len() - 1];
            let PathStep::Key(key) = &path[path.len() - 1] else {
                return "nothing (an array element)".into();
            };
            let new_key = hostile_string(rng, Some(key));
            let parent = node_mut(model, parent_path);
            if let Some(map) = parent.as_object_mut() {
                if let Some(v) = map.remove(key) {
                    map.insert(new_key.clone(), v);
                }
            }
            format!("{path:?}: key renamed to {new_key:?}")
        }
        // Removed.
        3 => {
            let parent_path = &path[..path.len() - 1];
            let last = path[path.len() - 1].clone();
            let parent = node_mut(model, parent_path);
            match (&last, parent) {
                (PathStep::Key(k), Value::Object(m)) => {
                    m.remove(k);
                }
                (PathStep::Index(i), Value::Array(a)) => {
                    a.remove(*i);
                }
                _ => {}
            }
            format!("{path:?}: removed")
        }
        // Another type, or an extreme number.
        4 => {
            let new = match rng.below(8) {
                0 => Value::Null,
                1 => Value::Bool(true),
                2 => serde_json::json!(-1),
                3 => serde_json::json!(u64::MAX),
                4 => serde_json::json!(1e308),
                5 => serde_json::json!([]),
                6 => serde_json::json!({}),
                _ => serde_json::json!(0),
            };
            let desc = format!("{path:?}: replaced by {new}");
            *node = new;
            desc
        }
        // A shape reference to another shape (recursion, wrong kinds).
        _ => {
            let target = rng.pick(&shape_names).clone();
            match node {
                Value::Object(m) if m.contains_key(reference) => {
                    m.insert(reference.into(), Value::String(target.clone()));
                    format!("{path:?}: {reference} -> {target}")
                }
                Value::Object(m) if m.contains_key("members") => {
                    let name = hostile_string(rng, None);
                    if let Some(members) = m["members"].as_object_mut() {
                        members.insert(name.clone(), serde_json::json!({ reference: target }));
                    }
                    format!("{path:?}: member {name:?} -> {target}")
                }
                _ => "nothing (not a shape reference)".into(),
            }
        }
    }
}

/// Generation of one mutated model, in process: `Ok(None)` when refused
/// (what the binary reports with exit 2), `Ok(Some(files))` when generated,
/// `Err(message)` on a panic.
fn generate_in_process(model: &Path) -> Result<Option<codegen::write::Rendered>, String> {
    let model = model.to_path_buf();
    std::panic::catch_unwind(move || {
        let options = codegen::options::Options {
            skip_unsupported: true,
            ..codegen::pipeline::options(&model, None, None).ok()?
        };
        let svc = match codegen::pipeline::prepare_with(&model, None, &options) {
            Ok(svc) => svc,
            Err(e) => {
                assert!(!e.to_string().is_empty());
                return None;
            }
        };
        codegen::pipeline::generate(&svc, &options).ok()
    })
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into())
    })
}

/// What is wrong with a generated crate (in memory).
fn rendered_problems(files: &codegen::write::Rendered) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    if let Some(toml) = files.get("Cargo.toml") {
        fs::write(dir.path().join("Cargo.toml"), toml).unwrap();
        // `pipeline::options` leaves the default runtime path.
        let runtime = codegen::options::Options::default().runtime_path;
        manifest_problems(dir.path(), Path::new(&runtime), &mut problems);
    } else {
        problems.push("no Cargo.toml".into());
    }
    for (rel, text) in files {
        if let Some(c) = text.chars().find(|&c| forbidden(c)) {
            problems.push(format!("{rel}: holds U+{:04X}", c as u32));
        }
        if rel.ends_with(".rs") {
            doc_problems(rel, text, &mut problems);
        }
    }
    problems
}

/// Mutated copies of a model go through the generator in
/// process: each is refused with an error or generates an inert crate
/// (exact manifest, no forbidden character, no code block or HTML in docs);
/// none panics. `HOSTILE_FUZZ_CASES` (default 250) and `HOSTILE_FUZZ_SEED`
/// (default fixed) choose the run; a failure prints the seed, the case and
/// its mutations.
fn fuzz_settings() -> (usize, u64) {
    let cases: usize = std::env::var("HOSTILE_FUZZ_CASES")
        .ok()
        .map(|v| v.parse().expect("HOSTILE_FUZZ_CASES is a number"))
        .unwrap_or(250);
    let seed: u64 = std::env::var("HOSTILE_FUZZ_SEED")
        .ok()
        .map(|v| v.parse().expect("HOSTILE_FUZZ_SEED is a number"))
        .unwrap_or(0x5EED_1D0C);
    (cases, seed)
}

#[test]
fn bounded_mutation_fuzz_of_the_vendored_model() {
    let (cases, seed) = fuzz_settings();
    let source = root().join("model/data/ivschat/2020-07-14");
    fuzz(
        &source,
        "service-2.json",
        &["paginators-1.json", "endpoint-rule-set-1.json"],
        cases,
        seed,
    );
}

/// The same over the small Smithy model of every shape kind (a fifth as
/// many cases): the Smithy loader's turn.
#[test]
fn bounded_mutation_fuzz_of_the_smithy_fixture() {
    let (cases, seed) = fuzz_settings();
    let source = fixture_harness::model("kinds");
    fuzz(&source, "kinds.smithy.json", &[], cases.div_ceil(5), seed);
}

/// Mutate `dir/file` `cases` times and generate each mutant in process.
fn fuzz(dir: &Path, file: &str, siblings: &[&str], cases: usize, seed: u64) {
    let original: Value =
        serde_json::from_str(&fs::read_to_string(dir.join(file)).unwrap()).unwrap();
    let work = tempfile::tempdir().unwrap();
    for sibling in siblings {
        fs::copy(dir.join(sibling), work.path().join(sibling)).unwrap();
    }
    let model_path = work.path().join(file);
    let mut rng = Rng(seed);
    let (mut generated, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut model = original.clone();
        let steps: Vec<String> = (0..1 + rng.below(4))
            .map(|_| mutate(&mut model, &mut rng))
            .collect();
        fs::write(&model_path, serde_json::to_string(&model).unwrap()).unwrap();
        let problems = match generate_in_process(&model_path) {
            Err(panic) => vec![format!("panicked: {panic}")],
            Ok(None) => {
                refused += 1;
                Vec::new()
            }
            Ok(Some(files)) => {
                generated += 1;
                rendered_problems(&files)
            }
        };
        if !problems.is_empty() {
            failures.push(format!(
                "case {case} (seed {seed}), mutations:\n    {}\n  {}",
                steps.join("\n    "),
                problems.join("\n  ")
            ));
        }
    }
    println!(
        "fuzz of {file}: {cases} cases (seed {seed}): {generated} generated, {refused} refused"
    );
    assert!(
        failures.is_empty(),
        "{} of {cases} fuzz cases fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn only_the_exact_getting_started_block_is_exempt_from_the_doc_checks() {
    let lib =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/lib.rs"))
            .expect("read generated/src/lib.rs");
    let mut problems = Vec::new();
    doc_problems("src/lib.rs", &lib, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    // One changed line in the block: it is model text like any other, and flagged.
    let changed = lib.replace("//! # Ok(())", "//! std::process::exit(1);");
    let mut problems = Vec::new();
    doc_problems("src/lib.rs", &changed, &mut problems);
    assert!(
        problems.iter().any(|p| p.contains("code block")),
        "{problems:?}"
    );
}
