//! The generator's integration tests, one binary (one link instead of one
//! per file): each module is one area, selected by its name
//! (`cargo test -p codegen --test it hostile::`). Snapshots stay in
//! `codegen/tests/snapshots/`, under the names they had as separate binaries.

mod cli;
mod hostile;
mod load_compare;
mod load_errors;
mod names_hostile;
mod snapshots;
