//! The "Renamed items" section of the crate's docs: the model names that
//! `names::resolve` had to change beyond their casing.

use super::docs;
use crate::ir::Rename;

/// The "Renamed items" section of the crate docs: each model name (quoted
/// by `Debug`, so no control character or newline survives, in a code span)
/// and the Rust name it got.
pub fn section(renames: &[Rename]) -> String {
    let mut text = String::from(
        "\n\n**Renamed items** (model names that are Rust keywords, reserved names, not ASCII, or that collide after casing)\n",
    );
    let quoted = |s: &str| docs::code(&format!("{s:?}"));
    for r in renames {
        let owner = r
            .owner
            .as_deref()
            .map(|o| format!(" of {}", quoted(o)))
            .unwrap_or_default();
        text.push_str(&format!(
            "\n- {}{owner} {}: `{}`",
            r.what,
            quoted(&r.model),
            r.rust
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_are_quoted_escaped_code() {
        let r = Rename {
            what: "member",
            owner: Some("Room`\n# Heading".into()),
            model: "a\u{202e}b\r\n```".into(),
            rust: "a_u202e_b".into(),
        };
        let text = section(&[r]);
        let item = text.lines().last().expect("one item");
        assert!(item.starts_with("- member of "), "{item}");
        assert_eq!(text.lines().filter(|l| l.starts_with("- ")).count(), 1);
        assert!(
            item.contains(r"\u{202e}") && !item.contains('\u{202e}'),
            "{item}"
        );
        assert!(!text.contains('\r'), "{text:?}");
        assert!(item.ends_with(": `a_u202e_b`"), "{item}");
    }
}
