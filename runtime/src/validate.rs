//! Validation errors returned by generated `validate()` methods.
