//! The partitions the endpoint rules resolve regions against: the document
//! itself, and its region regexes as code.
//!
//! Adds `src/partitions.json` (the document as read, which the client's
//! `ServiceMeta` embeds) and `src/partitions.rs`: `region_matcher(regex,
//! region)`, which the runtime calls to match a partition's `regionRegex`,
//! and one `region_regex_<n>` function per distinct regex, its DFA written
//! out as the validators write a pattern's (see `validators::matcher`).

use proc_macro2::{Ident, Span};
use quote::quote;

use super::validators::{matcher, raw_string};
use super::{add_rust, docs, Contents, Files};
use crate::partitions::Partitions;

/// Emit the partitions document and its region matcher.
pub fn emit(partitions: &Partitions, files: &mut Files) {
    files.insert(
        "src/partitions.json".into(),
        Contents::Text(partitions.text.clone()),
    );
    let mut arms = Vec::new();
    let mut fns = Vec::new();
    for (n, (regex, dfa)) in partitions.region_regexes.iter().enumerate() {
        let f = Ident::new(&format!("region_regex_{n}"), Span::call_site());
        let literal = raw_string(regex);
        arms.push(quote! { #literal => Some(#f(region)), });
        let doc = docs::lines(&format!(
            "Whether {} matches somewhere in a region name.",
            docs::code(regex)
        ));
        let body = matcher::body(dfa);
        fns.push(quote! {
            #doc
            fn #f(value: &str) -> bool {
                #body
            }
        });
    }
    let dispatch = if arms.is_empty() {
        quote! {
            let _ = (regex, region);
            None
        }
    } else {
        quote! {
            match regex {
                #(#arms)*
                _ => None,
            }
        }
    };
    let module_doc = " The partitions' region regexes (`regionRegex` in `partitions.json`), \
                      each matched by its minimal DFA over UTF-8 bytes, built when the crate \
                      was generated.";
    add_rust(
        files,
        "src/partitions.rs",
        quote! {
            #![doc = #module_doc]

            /// Whether `region` matches the partition regex `regex`, written as in
            /// `partitions.json`; `None` for a regex that is not there.
            pub(crate) fn region_matcher(regex: &str, region: &str) -> Option<bool> {
                #dispatch
            }

            #(#fns)*
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emitted(text: &str) -> String {
        let mut files = Files::new();
        emit(&Partitions::parse(text.to_string()).unwrap(), &mut files);
        match &files["src/partitions.rs"] {
            Contents::Rust(tokens) => prettyplease::unparse(&syn::parse2(tokens.clone()).unwrap()),
            _ => panic!("src/partitions.rs is not Rust"),
        }
    }

    #[test]
    fn one_function_per_distinct_regex_dispatched_by_its_text() {
        let code = emitted(
            r#"{"partitions": [
                {"id": "a", "regionRegex": "^us\\-\\w+\\-\\d+$"},
                {"id": "b", "regionRegex": "^cn\\-\\w+\\-\\d+$"},
                {"id": "c", "regionRegex": "^us\\-\\w+\\-\\d+$"}]}"#,
        );
        assert!(
            code.contains(r#"r"^cn\-\w+\-\d+$" => Some(region_regex_0(region)),"#),
            "{code}"
        );
        assert!(
            code.contains(r#"r"^us\-\w+\-\d+$" => Some(region_regex_1(region)),"#),
            "{code}"
        );
        assert!(!code.contains("region_regex_2"), "{code}");
        assert!(code.contains(r#"b"cn-""#), "{code}");
    }

    #[test]
    fn no_partitions_match_nothing() {
        let code = emitted(r#"{"partitions": []}"#);
        assert!(code.contains("let _ = (regex, region);"), "{code}");
        assert!(!code.contains("fn region_regex_"), "{code}");
    }

    #[test]
    fn regex_text_reaches_code_only_as_a_literal() {
        let code = emitted(r##"{"partitions": [{"id": "a", "regionRegex": "^a\"#}\n$"}]}"##);
        assert!(code.contains(r###"r##"^a"#}"###), "{code}");
    }
}
