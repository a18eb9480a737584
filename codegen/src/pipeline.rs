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
pub fn prepare(model: &Path, overlay_file: Option<&Path>) -> Result<Service> {
    let mut svc = load::load_model(model)?;
    if let Some(path) = overlay_file {
        let o = overlay::load(path)?;
        overlay::apply(&mut svc, &o).map_err(|e| e.in_file(path))?;
    }
    names::resolve(&mut svc).map_err(|e| e.in_file(model))?;
    Ok(svc)
}

/// Every file of the generated crate, formatted.
pub fn generate(svc: &Service, settings: &Settings) -> Result<Rendered> {
    let files = emit::generate(svc, settings)?;
    write::render(&files)
}
