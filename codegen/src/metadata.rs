//! The service's metadata is checked before anything is generated from it.
//!
//! The title, service id, API version, signing name and endpoint prefix land
//! in the generated `Cargo.toml`, in docs and in string literals. They are
//! escaped wherever they land (`emit::docs`, `toml_edit`, string literals), and
//! on top of that a model whose metadata holds control characters (a newline,
//! a carriage return, NUL, ...) or invisible formatting characters
//! (bidirectional overrides, zero-width characters) is refused: no real model
//! has them, and they are how text is made to look like something it is not.
//! The crate name derived from the service id must be a plain crate name.

use crate::error::{is_forbidden_char, Diagnostics, Error, Result};
use crate::ir::{Service, SourceFormat};

/// The longest metadata value accepted, in characters.
pub const MAX_LEN: usize = 256;

/// The longest crate name accepted (crates.io allows 64).
pub const MAX_CRATE_NAME: usize = 64;

/// Names a crate cannot usefully take: they shadow the standard crates or are
/// reserved by Cargo.
const RESERVED_CRATE_NAMES: &[&str] = &[
    "alloc",
    "core",
    "proc_macro",
    "std",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
    "self",
    "super",
    "crate",
];

/// Check every metadata value: a diagnostic per bad value, naming the field
/// as the model's format spells it.
pub fn check(svc: &Service) -> std::result::Result<(), Diagnostics> {
    let mut problems = Diagnostics::new();
    for (field, value, what) in fields(svc) {
        problems.check(check_value(field, value, what));
    }
    problems.finish(())
}

/// Check the crate name made from the service id (after `names::resolve`).
pub fn check_crate(svc: &Service) -> Result<()> {
    check_crate_name(&svc.crate_name, fields(svc)[0].0)
}

/// (field as the format names it, value, what it is).
fn fields(svc: &Service) -> [(&'static str, &str, &'static str); 5] {
    let smithy = svc.source == SourceFormat::Smithy;
    [
        (
            if smithy {
                "`aws.api#service` `sdkId`"
            } else {
                "`metadata.serviceId`"
            },
            &svc.service_id,
            "service id",
        ),
        (
            if smithy {
                "`smithy.api#title`"
            } else {
                "`metadata.serviceFullName`"
            },
            &svc.title,
            "title",
        ),
        (
            if smithy {
                "the service's `version`"
            } else {
                "`metadata.apiVersion`"
            },
            &svc.api_version,
            "API version",
        ),
        (
            if smithy {
                "`aws.api#service` `endpointPrefix`"
            } else {
                "`metadata.endpointPrefix`"
            },
            &svc.endpoint_prefix,
            "endpoint prefix",
        ),
        (
            if smithy {
                "`aws.auth#sigv4` `name`"
            } else {
                "`metadata.signingName`"
            },
            &svc.signing_name,
            "signing name",
        ),
    ]
}

fn check_value(field: &str, value: &str, what: &str) -> Result<()> {
    if let Some((at, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| is_forbidden_char(c))
    {
        return Err(Error::new(format!(
            "metadata {field} (the {what}) holds the control or formatting character U+{:04X} at character {at}; refusing a model whose metadata could rewrite what it lands in",
            c as u32
        )));
    }
    if value.trim().is_empty() {
        return Err(Error::new(format!(
            "metadata {field} (the {what}) is empty"
        )));
    }
    let len = value.chars().count();
    if len > MAX_LEN {
        return Err(Error::new(format!(
            "metadata {field} (the {what}) is {len} characters long; at most {MAX_LEN} are accepted"
        )));
    }
    Ok(())
}

/// A crate name: `^[a-z][a-z0-9_]*$`, at most [`MAX_CRATE_NAME`] characters,
/// not a reserved name.
pub fn check_crate_name(name: &str, from: &str) -> Result<()> {
    let plain = name.len() <= MAX_CRATE_NAME
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain {
        return Err(Error::new(format!(
            "the crate name {:?} made from metadata {from} is not a plain crate name (`^[a-z][a-z0-9_]*$`, at most {MAX_CRATE_NAME} characters)",
            name
        )));
    }
    if RESERVED_CRATE_NAMES.contains(&name) {
        return Err(Error::new(format!(
            "the crate name `{name}` made from metadata {from} is reserved (it would shadow a standard crate or a Cargo folder)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names() {
        for ok in ["ivschat", "iotdataplane", "s3", "a_b1"] {
            assert!(check_crate_name(ok, "x").is_ok(), "{ok}");
        }
        let long = "a".repeat(MAX_CRATE_NAME + 1);
        for bad in [
            "",
            "1abc",
            "_x",
            "Ivs",
            "ivs\"chat",
            "ivs\nchat",
            "ivs.chat",
            "ïvs",
            "std",
            "core",
            long.as_str(),
        ] {
            assert!(check_crate_name(bad, "x").is_err(), "{bad:?}");
        }
        assert!(check_crate_name(&"a".repeat(MAX_CRATE_NAME), "x").is_ok());
    }

    #[test]
    fn forbidden_characters() {
        for c in [
            '\n', '\r', '\0', '\u{7f}', '\u{85}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}',
            '\u{200B}', '\u{200F}', '\u{2028}', '\u{FEFF}', '\u{061C}',
        ] {
            assert!(is_forbidden_char(c), "U+{:04X}", c as u32);
            assert!(check_value("`f`", &format!("a{c}b"), "t").is_err());
        }
        for c in ['a', ' ', 'é', '中', '-', '"', '\u{2030}'] {
            assert!(!is_forbidden_char(c), "{c}");
        }
        let err =
            check_value("`metadata.serviceFullName`", "A\"\n[dependencies]", "title").unwrap_err();
        assert!(err.message.contains("`metadata.serviceFullName`"), "{err}");
        assert!(err.message.contains("U+000A"), "{err}");
        assert!(check_value("`f`", " ", "t").is_err());
        assert!(check_value("`f`", &"x".repeat(MAX_LEN + 1), "t").is_err());
    }
}
