//! Errors in the input: values with context, never panics.
//!
//! Every error names the file it came from and, where it applies, the shape and
//! the member. The command line prints them and exits with status 2.

use std::fmt;
use std::path::PathBuf;

/// An error in a model, an overlay, or while writing output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file the error is about, if any.
    pub file: Option<PathBuf>,
    /// The shape (or operation) the error is about, if any.
    pub shape: Option<String>,
    /// The member of that shape, if any.
    pub member: Option<String>,
    /// What is wrong, as a sentence fragment without a trailing period.
    pub message: String,
}

/// Result alias for the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            file: None,
            shape: None,
            member: None,
            message: message.into(),
        }
    }

    /// An error about a shape.
    pub fn shape(shape: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            shape: Some(shape.into()),
            ..Error::new(message)
        }
    }

    /// An error about a member of a shape.
    pub fn member(
        shape: impl Into<String>,
        member: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            shape: Some(shape.into()),
            member: Some(member.into()),
            ..Error::new(message)
        }
    }

    /// Attach the file, unless one is already set.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}: ", file.display())?;
        }
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => write!(f, "shape `{shape}`, member `{member}`: ")?,
            (Some(shape), None) => write!(f, "shape `{shape}`: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
