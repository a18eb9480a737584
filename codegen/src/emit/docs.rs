//! Model documentation (HTML in both botocore and Smithy models) to rustdoc
//! Markdown, and doc attributes.
//!
//! The conversion keeps paragraphs, code, links, lists and emphasis, drops
//! other tags, and escapes what rustdoc would otherwise read as intra-doc
//! links, HTML or bare URLs, so that `cargo doc` stays free of warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for `docs`, or `fallback` when the model has none.
pub fn attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    let text = docs.map(to_markdown).filter(|t| !t.trim().is_empty());
    let text = text.unwrap_or_else(|| fallback.to_string());
    lines(&text)
}

/// `#[doc = "..."]` lines for already-Markdown text.
pub fn lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// `text` as a Markdown code span: between more backticks than it holds in a
/// row, with a space inside them where it starts or ends with one.
pub fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Convert model HTML to Markdown.
pub fn to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut list_depth: usize = 0;
    let mut link: Option<String> = None;
    let mut in_code = false;
    // Once a `<` has no `>` after it, no later one has: stop looking (a text
    // of many `<` would otherwise be searched to its end for each).
    let mut unclosed = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let found = if unclosed { None } else { after.find('>') };
            let Some(end) = found else {
                unclosed = true;
                push_text(&mut out, "<", in_code);
                rest = after;
                continue;
            };
            let tag = &after[..end];
            rest = &after[end + 1..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            match (name.as_str(), closing) {
                // Paragraphs inside list items stay on the item's line.
                ("p", _) if list_depth > 0 => push_text(&mut out, " ", false),
                ("p", false) | ("div", false) | ("note", false) | ("important", false) => {
                    paragraph(&mut out)
                }
                ("p", true) | ("div", true) | ("note", true) | ("important", true) => {
                    paragraph(&mut out)
                }
                ("br", _) => out.push('\n'),
                ("ul", false) | ("ol", false) => {
                    paragraph(&mut out);
                    list_depth += 1;
                }
                ("ul", true) | ("ol", true) => {
                    list_depth = list_depth.saturating_sub(1);
                    paragraph(&mut out);
                }
                ("li", false) => {
                    trim_trailing_spaces(&mut out);
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&"  ".repeat(list_depth.saturating_sub(1)));
                    out.push_str("- ");
                }
                ("li", true) => {}
                ("code", false) => {
                    out.push('`');
                    in_code = true;
                }
                ("code", true) => {
                    if out.ends_with('`') && in_code {
                        out.pop();
                    } else {
                        out.push('`');
                    }
                    in_code = false;
                }
                ("b", _) | ("strong", _) => out.push_str("**"),
                ("i", _) | ("em", _) => out.push('*'),
                ("a", false) => {
                    link = href(tag);
                    if link.is_some() {
                        out.push('[');
                    }
                }
                ("a", true) => {
                    if let Some(url) = link.take() {
                        out.push_str(&format!("]({url})"));
                    }
                }
                _ => {}
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = decode_entities(&rest[..end]);
            push_text(&mut out, &text, in_code);
            rest = &rest[end..];
        }
    }
    tidy(&out)
}

fn href(tag: &str) -> Option<String> {
    let start = tag.find("href=\"")? + 6;
    let end = tag[start..].find('"')? + start;
    let url = tag[start..end].trim();
    (url.starts_with("http://") || url.starts_with("https://")).then(|| url.replace(' ', "%20"))
}

fn paragraph(out: &mut String) {
    trim_trailing_spaces(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        if out.ends_with('\n') {
            out.push('\n');
        } else {
            out.push_str("\n\n");
        }
    }
}

fn trim_trailing_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

fn push_text(out: &mut String, text: &str, in_code: bool) {
    // Collapse whitespace as HTML does.
    let mut last_space = out.is_empty() || out.ends_with(char::is_whitespace);
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        if in_code {
            // Backticks cannot appear inside a one-backtick code span.
            out.push(if c == '`' { '\'' } else { c });
            continue;
        }
        match c {
            '[' | ']' | '*' | '_' | '\\' | '`' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Trim lines, drop runs of blank lines, and wrap bare URLs in `<...>`.
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        let line = if line.trim_start().starts_with("- ") {
            line.to_string()
        } else {
            line.trim_start().to_string()
        };
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(wrap_bare_urls(&line));
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn wrap_bare_urls(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    // Backticks in `out` so far: odd inside a code span. Counted as text is
    // added, so that a line with many URLs stays linear.
    let mut ticks = 0usize;
    let mut push = |out: &mut String, s: &str| {
        ticks += s.bytes().filter(|&b| b == b'`').count();
        out.push_str(s);
        ticks % 2 == 1
    };
    while let Some(pos) = rest.find("http") {
        let (before, from) = rest.split_at(pos);
        let in_code_span = push(&mut out, before);
        let is_url = from.starts_with("https://") || from.starts_with("http://");
        let prev = before.chars().last();
        if !is_url || matches!(prev, Some('(') | Some('<') | Some('`')) || in_code_span {
            push(&mut out, "http");
            rest = &from[4..];
            continue;
        }
        let end = from
            .find(|c: char| c.is_whitespace() || c == ')' || c == '`')
            .unwrap_or(from.len());
        let url = from[..end].trim_end_matches(['.', ',', ';']);
        out.push('<');
        push(&mut out, url);
        out.push('>');
        rest = &from[url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("[a-z]+"), "`[a-z]+`");
        assert_eq!(code("[^`|]"), "``[^`|]``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn converts_common_html() {
        let md = to_markdown(
            "<p>Creates a <code>token</code> for <a href=\"https://example.com/x\">the docs</a>.</p> \
             <p>Use <b>this</b>:</p><ul><li><p>one [a]</p></li><li>two &lt;T&gt;</li></ul>",
        );
        assert_eq!(
            md,
            "Creates a `token` for [the docs](https://example.com/x).\n\nUse **this**:\n\n- one \\[a\\]\n- two &lt;T&gt;"
        );
    }

    #[test]
    fn wraps_bare_urls_and_keeps_code() {
        assert_eq!(
            to_markdown("See https://aws.amazon.com/ivs."),
            "See <https://aws.amazon.com/ivs>."
        );
        assert_eq!(to_markdown("<code>a_b*</code> a_b"), "`a_b*` a\\_b");
        assert_eq!(to_markdown("plain"), "plain");
    }
}
