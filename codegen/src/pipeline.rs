//! The whole run as library calls: [`prepare`] a model into a resolved IR,
//! [`generate`] its files, then write or check them (`write`).
//!
//! The command line (`main.rs`) is a thin shell around these, and tests call
//! them directly.

use std::path::Path;

use crate::emit::{self, krate::Settings};
use crate::error::Result;
use crate::ir::Service;
use crate::write::{self, Rendered};
use crate::{load, names, overlay};

/// Load a model (either format), apply an overlay if given, resolve names.
/// An operation using a feature no emitter supports, or a pattern no matcher
/// reads, stops generation.
pub fn prepare(model: &Path, overlay_file: Option<&Path>) -> Result<Service> {
    prepare_with(model, overlay_file, &Options::default())
}

/// How [`prepare_with`] treats the model.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Instead of stopping generation, leave unchecked the patterns no
    /// matcher reads (`{11}{0,1011}`), listing them in
    /// [`Service::unenforced_patterns`] and in the crate's documentation.
    pub skip_unsupported: bool,
}

/// [`prepare`], with options.
pub fn prepare_with(
    model: &Path,
    overlay_file: Option<&Path>,
    options: &Options,
) -> Result<Service> {
    let mut svc = load::load_model(model)?;
    crate::metadata::check(&svc).map_err(|e| e.in_file(model))?;
    if let Some(path) = overlay_file {
        let o = overlay::load(path)?;
        overlay::apply(&mut svc, &o).map_err(|e| e.in_file(path))?;
    }
    crate::unsupported::apply(&mut svc, options.skip_unsupported).map_err(|e| e.in_file(model))?;
    names::resolve(&mut svc).map_err(|e| e.in_file(model))?;
    crate::metadata::check_crate(&svc).map_err(|e| e.in_file(model))?;
    // Every pattern compiles now, or generation stops naming it.
    crate::patterns::check_service(&svc).map_err(|e| e.in_file(model))?;
    Ok(svc)
}

/// Settings for a model: the partitions document comes from `partitions` if
/// given, else from botocore's layout (`data/partitions.json` two folders
/// above `data/<service>/<version>/service-2.json`) when the model sits in
/// one, else an empty partition list (then callers must set an endpoint URL).
///
/// `examples`, if given, is a folder of example programs (`*.rs`) copied into
/// the generated crate's `examples/`.
pub fn settings(
    model: &Path,
    partitions: Option<&Path>,
    examples: Option<&Path>,
) -> Result<Settings> {
    let found = partitions.map(Path::to_path_buf).or_else(|| {
        let p = model.parent()?.parent()?.parent()?.join("partitions.json");
        p.is_file().then_some(p)
    });
    let mut settings = Settings::default();
    if let Some(path) = found {
        settings.partitions = std::fs::read_to_string(&path).map_err(|e| {
            crate::error::Error::new(format!("cannot read the partitions: {e}")).in_file(&path)
        })?;
    }
    if let Some(dir) = examples {
        let read_err = |e: std::io::Error| {
            crate::error::Error::new(format!("cannot read the examples: {e}")).in_file(dir)
        };
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(read_err)?
            .collect::<Result<_, _>>()
            .map_err(read_err)?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs") {
                let text = std::fs::read_to_string(entry.path()).map_err(read_err)?;
                settings.examples.push((name, text));
            }
        }
    }
    Ok(settings)
}

/// Every file of the generated crate, formatted.
pub fn generate(svc: &Service, settings: &Settings) -> Result<Rendered> {
    let files = emit::generate(svc, settings)?;
    write::render(&files)
}
