//! `codegen`: regenerate a client crate from a service model.
//!
//! ```text
//! cargo run -p codegen                      # model/ -> generated/
//! cargo run -p codegen -- --check           # exit 1 and list files if generated/ is stale
//! cargo run -p codegen -- --model PATH [--overlay PATH] --out DIR
//! ```
//!
//! `--out` is replaced only if it is missing, empty, or was written by the
//! generator (it holds `.codegen-output`); `--force` replaces it anyway.
//!
//! Exit status: 0 on success, 1 when `--check` finds stale files, 2 on bad
//! input or bad usage (the message names the file, shape and member), or an
//! output folder the generator will not replace.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::error::Diagnostics;
use codegen::options::Options;
use codegen::{pipeline, write};

const USAGE: &str = "usage: codegen [--model PATH] [--overlay PATH | --no-overlay] [--out DIR] [--runtime-path PATH] [--partitions PATH] [--examples DIR] [--skip-unsupported] [--check] [--force]";

struct Args {
    model: PathBuf,
    overlay: Option<PathBuf>,
    out: PathBuf,
    runtime_path: Option<String>,
    partitions: Option<PathBuf>,
    examples: Option<PathBuf>,
    skip_unsupported: bool,
    check: bool,
    force: bool,
}

fn root() -> PathBuf {
    // The workspace root: defaults are relative to it wherever cargo runs from.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.join(".."))
}

fn parse_args() -> Result<Args, String> {
    let mut model = None;
    let mut overlay = None;
    let mut no_overlay = false;
    let mut out = None;
    let mut runtime_path = None;
    let mut partitions = None;
    let mut examples = None;
    let mut check = false;
    let mut force = false;
    let mut skip_unsupported = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--model" => model = Some(PathBuf::from(value("--model")?)),
            "--overlay" => overlay = Some(PathBuf::from(value("--overlay")?)),
            "--no-overlay" => no_overlay = true,
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--runtime-path" => runtime_path = Some(value("--runtime-path")?),
            "--partitions" => partitions = Some(PathBuf::from(value("--partitions")?)),
            "--examples" => examples = Some(PathBuf::from(value("--examples")?)),
            "--check" => check = true,
            "--force" => force = true,
            "--skip-unsupported" => skip_unsupported = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    // Without --model: the vendored model, with its overlay and examples, as
    // `model/defaults.json` names them. Another model has none unless given.
    let (model, default_overlay, default_examples) = match model {
        Some(model) => (model, None, None),
        None => {
            let d = Defaults::read()?;
            (d.model, Some(d.overlay), Some(d.examples))
        }
    };
    let overlay = if no_overlay {
        None
    } else {
        overlay.or(default_overlay)
    };
    let out = out.unwrap_or_else(|| root().join("generated"));
    let examples = examples.or(default_examples);
    Ok(Args {
        model,
        overlay,
        out,
        runtime_path,
        partitions,
        examples,
        skip_unsupported,
        check,
        force,
    })
}

/// `model/defaults.json`: the vendored model, overlay and examples.
struct Defaults {
    model: PathBuf,
    overlay: PathBuf,
    examples: PathBuf,
}

impl Defaults {
    fn read() -> Result<Defaults, String> {
        let dir = root().join("model");
        let file = dir.join("defaults.json");
        let bad = |why: String| format!("error: {}: {why}", file.display());
        let text =
            std::fs::read_to_string(&file).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| bad(format!("not JSON: {e}")))?;
        let path = |key: &str| {
            doc.get(key)
                .and_then(serde_json::Value::as_str)
                .map(|p| dir.join(p))
                .ok_or_else(|| bad(format!("`{key}` is missing or not a string")))
        };
        Ok(Defaults {
            model: path("model")?,
            overlay: path("overlay")?,
            examples: path("examples")?,
        })
    }
}

/// The runtime crate's path as seen from `out`, for the generated Cargo.toml.
fn runtime_path_from(out: &Path) -> String {
    let runtime = root().join("runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    let out_abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let out_abs = out_abs
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(out_abs.file_name().unwrap_or_default()))
        .unwrap_or(out_abs);
    relative(&out_abs, &runtime).unwrap_or_else(|| runtime.display().to_string())
}

fn relative(from: &Path, to: &Path) -> Option<String> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

fn run(args: &Args) -> Result<ExitCode, Diagnostics> {
    let options = Options {
        skip_unsupported: args.skip_unsupported,
        force: args.force,
        runtime_path: args
            .runtime_path
            .clone()
            .unwrap_or_else(|| runtime_path_from(&args.out)),
        ..pipeline::options(
            &args.model,
            args.partitions.as_deref(),
            args.examples.as_deref(),
        )?
    };
    let svc = pipeline::prepare_with(&args.model, args.overlay.as_deref(), &options)?;
    for p in &svc.unenforced_patterns {
        eprintln!(
            "warning: {}",
            codegen::error::printable(&format!("{}: {p}", args.model.display()))
        );
    }
    let rendered = pipeline::generate(&svc, &options)?;
    let summary = format!(
        "{}: {} operations, {} shapes, {} files",
        svc.crate_name,
        svc.operations.len(),
        svc.shapes.len(),
        rendered.len()
    );
    if args.check {
        let stale = write::stale(&args.out, &rendered);
        if stale.is_empty() {
            println!("{summary}; {} is up to date", args.out.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} is stale: {} files differ from what the generator makes:",
            args.out.display(),
            stale.len()
        );
        for f in &stale {
            eprintln!("  {f}");
        }
        eprintln!("run `cargo run -p codegen` to regenerate");
        return Ok(ExitCode::from(1));
    }
    write::write_with(&args.out, &rendered, &options)?;
    println!("{summary} written to {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(problems) => {
            for e in problems.iter() {
                eprintln!("error: {e}");
            }
            ExitCode::from(2)
        }
    }
}
