//! One run's options: how the model is treated and what the generated crate
//! gets that the model does not say. The command line fills it; the pipeline
//! and the emitters read it.

use crate::partitions::Partitions;

/// Options of a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Instead of stopping generation, leave unchecked the patterns no
    /// matcher reads (`{11}{0,1011}`), listing them in
    /// [`Service::unenforced_patterns`](crate::ir::Service::unenforced_patterns)
    /// and in the crate's documentation.
    pub skip_unsupported: bool,
    /// The path from the generated crate to the runtime crate, for `Cargo.toml`.
    pub runtime_path: String,
    /// The crate version.
    pub version: String,
    /// The partitions document (botocore's `partitions.json`) the endpoint
    /// rules resolve regions against, with its region regexes compiled.
    pub partitions: Partitions,
    /// Example programs copied into `examples/` (file name, source).
    pub examples: Vec<(String, String)>,
    /// Replace an output folder the generator did not write.
    pub force: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            skip_unsupported: false,
            runtime_path: "../runtime".to_string(),
            version: "0.1.0".to_string(),
            partitions: Partitions::default(),
            examples: Vec::new(),
            force: false,
        }
    }
}
