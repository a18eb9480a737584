//! The whole run as library calls: [`prepare`] a model into a resolved model,
//! [`generate`] its files, then write or check them (`write`).
//!
//! The command line (`main.rs`) is a thin shell around these, and tests call
//! them directly.

use std::path::Path;

use crate::error::{Diagnostics, Error, Result};
use crate::options::Options;
use crate::partitions::Partitions;
use crate::resolve::{self, Resolved};
use crate::write::{self, Rendered};
use crate::{emit, load, metadata, names, overlay, unsupported};

/// Load a model (either format), apply an overlay if given, resolve names and
/// everything the emitters need. An operation using a feature no emitter
/// supports, or a pattern no matcher reads, stops generation.
pub fn prepare(
    model: &Path,
    overlay_file: Option<&Path>,
) -> std::result::Result<Resolved, Diagnostics> {
    prepare_with(model, overlay_file, &Options::default())
}

/// [`prepare`], with options ([`Options::skip_unsupported`]).
///
/// Every problem of the model is reported at once, sorted: the checks after
/// loading (metadata, patterns, names) and those of the resolve stage run
/// whatever the others found (every name collision, the first of each shape
/// or member); only a model that does not load, or whose names collide,
/// stops before resolve.
pub fn prepare_with(
    model: &Path,
    overlay_file: Option<&Path>,
    options: &Options,
) -> std::result::Result<Resolved, Diagnostics> {
    let mut svc = load::load_model(model)?;
    let mut problems = Diagnostics::new();
    if let Err(found) = metadata::check(&svc) {
        problems.extend(found);
    }
    if let Some(path) = overlay_file {
        let applied = overlay::load(path).and_then(|o| overlay::apply(&mut svc, &o));
        if let Err(e) = applied {
            problems.push(e.in_file(path));
            return Err(problems.in_file(model).sorted());
        }
    }
    let patterns = unsupported::apply(&mut svc, options.skip_unsupported).unwrap_or_else(|found| {
        problems.extend(found);
        Default::default()
    });
    if let Err(found) = names::resolve(&mut svc) {
        problems.extend(found);
        return Err(problems.in_file(model).sorted());
    }
    if problems.is_empty() {
        problems.check(metadata::check_crate(&svc));
    }
    match resolve::resolve(svc, patterns) {
        Ok(resolved) => problems.in_file(model).finish(resolved),
        Err(found) => {
            problems.extend(found);
            Err(problems.in_file(model).sorted())
        }
    }
}

/// Options for a model: the partitions document comes from `partitions` if
/// given, else from botocore's layout (`data/partitions.json` two folders
/// above `data/<service>/<version>/service-2.json`) when the model sits in
/// one, else an empty partition list (then callers must set an endpoint URL).
///
/// `examples`, if given, is a folder of example programs (`*.rs`) copied into
/// the generated crate's `examples/`. The other options keep their defaults.
pub fn options(
    model: &Path,
    partitions: Option<&Path>,
    examples: Option<&Path>,
) -> Result<Options> {
    let found = partitions.map(Path::to_path_buf).or_else(|| {
        let p = model.parent()?.parent()?.parent()?.join("partitions.json");
        p.is_file().then_some(p)
    });
    let mut options = Options::default();
    if let Some(path) = found {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::new(format!("cannot read the partitions: {e}")).in_file(&path))?;
        options.partitions = Partitions::parse(text).map_err(|e| e.in_file(&path))?;
    }
    if let Some(dir) = examples {
        let read_err =
            |e: std::io::Error| Error::new(format!("cannot read the examples: {e}")).in_file(dir);
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(read_err)?
            .collect::<Result<_, _>>()
            .map_err(read_err)?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs") {
                let text = std::fs::read_to_string(entry.path()).map_err(read_err)?;
                options.examples.push((name, text));
            }
        }
    }
    Ok(options)
}

/// Every file of the generated crate, formatted: emitting cannot fail, only
/// formatting can.
pub fn generate(resolved: &Resolved, options: &Options) -> Result<Rendered> {
    write::render(&emit::generate(resolved, options))
}
