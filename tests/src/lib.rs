//! Tests that span `codegen` and the generated `ivschat` crate live in
//! `tests/tests/`; this library is empty.
