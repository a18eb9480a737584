//! Model documentation (HTML in both botocore and Smithy models) to rustdoc
//! Markdown, and doc attributes: the one way model text reaches a doc.
//!
//! Model text is untrusted. Whatever the HTML does (nested or unbalanced
//! tags, `<pre>`, an unclosed `<code>`, fences, indentation, `<script>`,
//! line breaks inside attributes), the Markdown made here holds:
//! - no code block: no line starts a fence (```` ``` ````, `~~~`) and none is
//!   indented enough to be an indented code block, so no doctest can come
//!   from a model;
//! - no raw HTML: `<` and `>` of the text are escaped, tags are dropped or
//!   turned into the few Markdown constructs we emit ourselves;
//! - only the spans we open (code, emphasis, links), each closed at the end
//!   of its block whether or not the model closes it;
//! - only `http`/`https` links, their URLs percent-encoded;
//! - no character rustc refuses in source (bidirectional controls, bare
//!   carriage returns) nor any other control or invisible formatting character.
//!
//! Entry points: [`to_markdown`] for model documentation, [`text`] and
//! [`code`] for model strings (names, enum values, titles) put into a
//! sentence of ours, and [`lines`] / [`attrs`] for the doc attributes, which
//! check every line once more.

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::is_forbidden_char;

/// Deepest list nesting shown as nesting; deeper lists are drawn at this
/// depth (indentation stays far below an indented code block).
const MAX_LIST_DEPTH: usize = 2;

/// `#[doc = "..."]` lines for `docs`, or `fallback` when the model has none.
pub fn attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    let text = docs.map(to_markdown).filter(|t| !t.trim().is_empty());
    let text = text.unwrap_or_else(|| fallback.to_string());
    lines(&text)
}

/// `#[doc = "..."]` lines for Markdown text (ours, with model strings put in
/// through [`text`] and [`code`]).
pub fn lines(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The values of the doc attributes for `text`, one per line, each with the
/// leading space of `/// `: every line is made safe ([`safe_line`]).
pub fn doc_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| {
            let l = safe_line(l);
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// One line of a doc, made safe whatever it holds: forbidden characters
/// dropped (tabs and carriage returns become spaces), at most two spaces of
/// indentation (never an indented code block), and a line that would open a
/// fence or an HTML block escaped.
pub fn safe_line(line: &str) -> String {
    let cleaned: String = line
        .chars()
        .filter_map(|c| match c {
            '\t' | '\r' => Some(' '),
            c if is_forbidden_char(c) => None,
            c => Some(c),
        })
        .collect();
    let cleaned = cleaned.trim_end();
    let body = cleaned.trim_start_matches(' ');
    let indent = (cleaned.len() - body.len()).min(2);
    let mut out = " ".repeat(indent);
    if body.starts_with("```") || body.starts_with("~~~") {
        out.push('\\');
        out.push_str(body);
    } else if let Some(rest) = body.strip_prefix('<') {
        // Not an autolink of ours (`<https://...>`): an HTML block would start.
        if rest.starts_with("https://") || rest.starts_with("http://") {
            out.push_str(body);
        } else {
            out.push_str("&lt;");
            out.push_str(rest);
        }
    } else {
        out.push_str(body);
    }
    out
}

/// A model string (a name, an enum value, a title) as plain Markdown text on
/// one line: every character Markdown or HTML would read is escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // As if at the start of a line: `1.` or `-` stay text wherever the
    // caller puts them (a backslash before punctuation is always an escape).
    push_escaped(&mut out, &collapse(s), true);
    out
}

/// `text` as a Markdown code span: on one line, between more backticks than
/// it holds in a row, with a space inside them where it starts or ends with
/// one.
pub fn code(text: &str) -> String {
    let text = collapse(text);
    if text.is_empty() {
        // No code span is empty; this one holds a space.
        return "` `".to_string();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Whitespace runs (newlines included) to one space, forbidden characters
/// dropped, ends trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if !is_forbidden_char(c) {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Escape `text` (already whitespace-collapsed, one line) as Markdown text.
/// With `at_line_start`, also what would start a block there.
fn push_escaped(out: &mut String, text: &str, at_line_start: bool) {
    let mut line_start = at_line_start;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_forbidden_char(c) {
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            '-' | '+' | '=' if line_start => {
                out.push('\\');
                out.push(c);
            }
            c if line_start && c.is_ascii_digit() => {
                // `1.` or `1)` would start an ordered list.
                out.push(c);
                while let Some(&d) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    out.push(d);
                    chars.next();
                }
                if let Some(&p) = chars.peek() {
                    if p == '.' || p == ')' {
                        out.push('\\');
                    }
                }
            }
            c => out.push(c),
        }
        line_start = false;
    }
}

/// What the converter is inside of.
#[derive(Default)]
struct State {
    out: String,
    /// The text of an open `<code>`, emitted as one code span when it closes
    /// or its block ends.
    code: Option<String>,
    /// Emphasis markers opened and not yet closed, innermost last.
    emphasis: Vec<&'static str>,
    /// The URL of an open link, and where its text starts in `out`.
    link: Option<(String, usize)>,
    list_depth: usize,
    /// Whitespace seen and not yet written.
    pending_space: bool,
    /// An emphasis marker was just opened: no space after it.
    just_opened: bool,
}

impl State {
    fn at_line_start(&self) -> bool {
        self.out.is_empty()
            || self.out.ends_with('\n')
            || self.out.ends_with("- ")
                && self
                    .out
                    .rsplit('\n')
                    .next()
                    .is_some_and(|l| l.trim_start() == "- ")
    }

    /// Write a space if one is pending and the line has text.
    fn flush_space(&mut self) {
        let just_opened = std::mem::take(&mut self.just_opened);
        if std::mem::take(&mut self.pending_space)
            && !just_opened
            && !self.out.is_empty()
            && !self.out.ends_with([' ', '\n'])
        {
            self.out.push(' ');
        }
    }

    fn text(&mut self, raw: &str) {
        let decoded = decode_entities(raw);
        if let Some(code) = &mut self.code {
            code.push_str(&decoded);
            return;
        }
        let mut rest = decoded.as_str();
        while !rest.is_empty() {
            let ws = rest.len() - rest.trim_start().len();
            if ws > 0 {
                self.pending_space = true;
                rest = &rest[ws..];
                continue;
            }
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            self.word(word);
        }
    }

    /// One word of text: a bare URL becomes `<url>` (outside links), the rest
    /// is escaped.
    fn word(&mut self, word: &str) {
        self.flush_space();
        if self.link.is_none() {
            if let Some(pos) = word.find("http://").or_else(|| word.find("https://")) {
                let (before, from) = word.split_at(pos);
                let end = from
                    .find(|c: char| "<>\"'`()[]{}|\\^".contains(c))
                    .unwrap_or(from.len());
                let url = from[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
                if url.len() > "https://".len() {
                    let start = self.at_line_start();
                    push_escaped(&mut self.out, before, start);
                    self.out.push('<');
                    self.out.push_str(&encode_url(url));
                    self.out.push('>');
                    let after = &from[url.len()..];
                    push_escaped(&mut self.out, after, false);
                    return;
                }
            }
        }
        let start = self.at_line_start();
        push_escaped(&mut self.out, word, start);
    }

    fn open_code(&mut self) {
        if self.code.is_none() {
            self.flush_space();
            self.code = Some(String::new());
        }
    }

    fn close_code(&mut self) {
        if let Some(text) = self.code.take() {
            // One-backtick spans only: a backtick of the model's code reads as
            // a quote, so no run of backticks can begin a line.
            let text = collapse(&text).replace('`', "'");
            if !text.is_empty() {
                self.out.push_str(&code(&text));
            }
        }
    }

    fn emphasis(&mut self, marker: &'static str, closing: bool) {
        if self.code.is_some() {
            return;
        }
        if !closing {
            self.flush_space();
            self.out.push_str(marker);
            self.emphasis.push(marker);
            self.just_opened = true;
        } else if self.emphasis.last() == Some(&marker) {
            self.emphasis.pop();
            self.end_emphasis(marker);
        }
    }

    fn end_emphasis(&mut self, marker: &str) {
        // Emphasis around nothing would print its markers: drop both.
        if let Some(stripped) = self.out.strip_suffix(marker) {
            if !stripped.ends_with('\\') {
                let len = stripped.len();
                self.out.truncate(len);
                return;
            }
        }
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push_str(marker);
    }

    fn open_link(&mut self, tag: &str) {
        if self.code.is_some() || self.link.is_some() {
            return;
        }
        if let Some(url) = href(tag) {
            self.flush_space();
            // `![` would make the link an image.
            if self.out.ends_with('!') {
                self.out.pop();
                self.out.push_str("\\!");
            }
            self.out.push('[');
            self.link = Some((url, self.out.len()));
        }
    }

    fn close_link(&mut self) {
        if let Some((url, start)) = self.link.take() {
            self.close_code();
            while let Some(m) = self.emphasis.pop() {
                self.end_emphasis(m);
            }
            if self.out[start..].trim().is_empty() {
                self.out.truncate(start - 1);
                self.flush_space();
                self.out.push('<');
                self.out.push_str(&url);
                self.out.push('>');
            } else {
                while self.out.ends_with(' ') {
                    self.out.pop();
                }
                self.out.push_str("](");
                self.out.push_str(&url);
                self.out.push(')');
            }
        }
    }

    /// Close every span the model left open.
    fn close_spans(&mut self) {
        self.close_code();
        self.close_link();
        while let Some(m) = self.emphasis.pop() {
            self.end_emphasis(m);
        }
        self.pending_space = false;
    }

    fn paragraph(&mut self) {
        self.close_spans();
        trim_trailing_spaces(&mut self.out);
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            if self.out.ends_with('\n') {
                self.out.push('\n');
            } else {
                self.out.push_str("\n\n");
            }
        }
    }

    fn line_break(&mut self) {
        self.close_spans();
        trim_trailing_spaces(&mut self.out);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn item(&mut self) {
        self.line_break();
        let depth = self.list_depth.clamp(1, MAX_LIST_DEPTH);
        self.out.push_str(&"  ".repeat(depth - 1));
        self.out.push_str("- ");
    }
}

/// Convert model HTML to Markdown (see the module docs for what it holds).
pub fn to_markdown(html: &str) -> String {
    let mut st = State::default();
    let mut rest = html;
    // Once a `<` has no `>` after it, no later one has: stop looking (a text
    // of many `<` would otherwise be searched to its end for each).
    let mut unclosed = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let found = if unclosed { None } else { after.find('>') };
            let Some(end) = found else {
                unclosed = true;
                st.text("<");
                rest = after;
                continue;
            };
            let tag = &after[..end];
            rest = &after[end + 1..];
            tag_of(&mut st, tag);
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            st.text(&rest[..end]);
            rest = &rest[end..];
        }
    }
    st.close_spans();
    tidy(&st.out)
}

fn tag_of(st: &mut State, tag: &str) {
    let closing = tag.starts_with('/');
    let name = tag
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match (name.as_str(), closing) {
        ("code" | "tt" | "kbd" | "samp" | "var", false) => st.open_code(),
        ("code" | "tt" | "kbd" | "samp" | "var", true) => st.close_code(),
        // Inside a code span, every other tag is dropped.
        _ if st.code.is_some()
            && !matches!(
                name.as_str(),
                "p" | "div" | "br" | "ul" | "ol" | "li" | "pre" | "note" | "important"
            ) => {}
        // Paragraphs inside list items stay on the item's line.
        ("p" | "div" | "pre" | "note" | "important" | "blockquote", _) if st.list_depth > 0 => {
            st.close_spans();
            st.pending_space = true;
        }
        (
            "p" | "div" | "pre" | "note" | "important" | "blockquote" | "h1" | "h2" | "h3" | "h4"
            | "h5" | "h6" | "dl" | "dt" | "dd" | "table" | "tr" | "hr",
            _,
        ) => st.paragraph(),
        ("td" | "th", _) => st.pending_space = true,
        ("br", _) => st.line_break(),
        ("ul" | "ol", false) => {
            st.paragraph();
            st.list_depth += 1;
        }
        ("ul" | "ol", true) => {
            st.list_depth = st.list_depth.saturating_sub(1);
            st.paragraph();
        }
        ("li", false) => st.item(),
        ("li", true) => st.close_spans(),
        ("b" | "strong", _) => st.emphasis("**", closing),
        ("i" | "em", _) => st.emphasis("*", closing),
        ("a", false) => st.open_link(tag),
        ("a", true) => st.close_link(),
        _ => {}
    }
}

/// The `href` of an `<a>` tag, if it is an http(s) URL, percent-encoded.
fn href(tag: &str) -> Option<String> {
    let start = tag.find("href=")? + 5;
    let rest = &tag[start..];
    let (quote, rest) = match rest.chars().next()? {
        q @ ('"' | '\'') => (Some(q), &rest[1..]),
        _ => (None, rest),
    };
    let end = match quote {
        Some(q) => rest.find(q)?,
        None => rest.find(char::is_whitespace).unwrap_or(rest.len()),
    };
    let url = decode_entities(rest[..end].trim());
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        .then(|| encode_url(&url))
        .filter(|u| u.len() > "https://".len())
}

/// A URL for a Markdown link destination or autolink: every byte outside the
/// unreserved and reserved sets of RFC 3986 (spaces, quotes, `<>`, `()`,
/// backslashes, backticks, control and non-ASCII characters) percent-encoded.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~:/?#@!$&*+,;=%".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn trim_trailing_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Decode the entities models use: the named ones of HTML's core set and
/// numeric ones, in one pass (`&amp;lt;` is the text `&lt;`). Others stay as
/// written (and are escaped as text).
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = match end {
            Some(end) if rest[end..].starts_with(';') && end <= 12 => {
                let name = &rest[1..end];
                let c = match name {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "amp" => Some('&'),
                    "nbsp" => Some(' '),
                    _ => name
                        .strip_prefix("#x")
                        .or_else(|| name.strip_prefix("#X"))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32),
                };
                c.map(|c| (c, end + 1))
            }
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Trim lines and drop runs of blank lines; list lines keep their
/// indentation.
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end();
        let line = if line.trim_start().starts_with("- ") {
            line
        } else {
            line.trim_start()
        };
        // An empty list item: under a line of text, a lone `-` would make it
        // a heading.
        if line == "-" {
            continue;
        }
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
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

    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag};

    /// rustdoc's Markdown extensions.
    fn parser(md: &str) -> Parser<'_> {
        let mut o = Options::empty();
        o.insert(Options::ENABLE_TABLES);
        o.insert(Options::ENABLE_FOOTNOTES);
        o.insert(Options::ENABLE_STRIKETHROUGH);
        o.insert(Options::ENABLE_TASKLISTS);
        Parser::new_ext(md, o)
    }

    /// What no doc made from model text may hold, as a CommonMark parser
    /// reads it: code blocks (doctests), HTML, images, headings, tables,
    /// footnotes, links other than http(s); and, as text, lines that open a
    /// fence or an indented block, and characters rustc refuses.
    fn assert_inert(md: &str, input: &str) {
        for line in md.split('\n') {
            let body = line.trim_start_matches(' ');
            assert!(
                line.len() - body.len() < 4,
                "indented line {line:?} from {input:?}:\n{md}"
            );
            assert!(
                !body.starts_with("```") && !body.starts_with("~~~"),
                "fence {line:?} from {input:?}:\n{md}"
            );
        }
        assert!(
            !md.chars().any(|c| is_forbidden_char(c) && c != '\n'),
            "forbidden character from {input:?}: {md:?}"
        );
        for event in parser(md) {
            match event {
                Event::Start(Tag::CodeBlock(_)) => panic!("code block from {input:?}:\n{md}"),
                Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) => {
                    panic!("HTML from {input:?}:\n{md}")
                }
                Event::Start(Tag::Image { .. })
                | Event::Start(Tag::Heading { .. })
                | Event::Start(Tag::Table(_))
                | Event::Start(Tag::FootnoteDefinition(_))
                | Event::Start(Tag::BlockQuote(_)) => panic!("{event:?} from {input:?}:\n{md}"),
                Event::Start(Tag::Link { dest_url, .. }) => assert!(
                    dest_url.starts_with("https://") || dest_url.starts_with("http://"),
                    "link to {dest_url:?} from {input:?}:\n{md}"
                ),
                _ => {}
            }
        }
        // And as the doc attributes will hold it.
        for l in doc_lines(md) {
            assert!(!l.contains(['\r', '\u{202e}', '\u{2066}']), "{l:?}");
        }
    }

    /// The text and code of a Markdown snippet, as a parser reads it, with
    /// `true` if anything else (links, emphasis, blocks) is in it.
    fn inline_content(md: &str) -> (String, Vec<String>, bool) {
        let mut text = String::new();
        let mut codes = Vec::new();
        let mut other = false;
        for event in parser(md) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Code(c) => codes.push(c.to_string()),
                Event::Start(Tag::Paragraph) | Event::End(_) => {}
                _ => other = true,
            }
        }
        (text, codes, other)
    }

    #[test]
    fn hostile_html_stays_inert() {
        let cases = [
            "<p>Run:</p><pre>\n```rust\nstd::process::exit(1)\n```\n</pre>",
            "~~~\nfn main() {}\n~~~",
            "<p>a</p>\n\n    indented();\n\n<p>b</p>",
            "<code>unclosed ``` <p>next paragraph\n```\nx",
            "<ul><li>```</li><li>~~~<ul><li><ul><li><ul><li>    deep</li></ul></li></ul></li></ul></li></ul>",
            "<script>alert(1)</script><img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a> <a href='data:text/html,<b>'>y</a>",
            "<a href=\"https://e.com/a)b\n(c\">l</a> <a href=\"https://e.com/<x>\">m</a>",
            "<b><i>unbalanced</b></i> <em>open",
            "text\u{202e}gnirts\u{2066} bare\rcr \u{0}nul \u{85}nel",
            "# heading\n> quote\n| a | b |\n|---|---|\n[^1]: note\n[x]: https://e.com\n![i](https://e.com/i.png)",
            "1. one\n- two\n+ three\n===\n---\n***",
            "&lt;script&gt;&amp;lt;&#96;&#96;&#96;&#x7e;&#x7e;&#x7e;&#10;&#x202e;",
            "<a href=\"https://e.com\"><a href=\"https://f.com\">nested</a></a>",
            "look!<a href=\"https://e.com/i.png\">image?</a> \\!<a href=\"https://e.com/i.png\">i</a>",
            "<code><a href=\"https://e.com\">in code</a> `tick` ``two``</code>",
            "<p>\u{2028}```\u{2029}~~~</p>",
            "see https://e.com/x_(y)<script> and http://a.b/`c`",
        ];
        for input in cases {
            let md = to_markdown(input);
            assert_inert(&md, input);
        }
        // The text survives as text.
        let md = to_markdown("<pre>```rust\nevil()\n```</pre>");
        let (text, codes, _) = inline_content(&md);
        assert!(text.contains("```rust evil() ```"), "{md:?} -> {text:?}");
        assert!(codes.is_empty());
        let md = to_markdown("<code>unclosed <b>x</b>");
        assert_eq!(md, "`unclosed x`");
        assert_eq!(to_markdown("<b>open <i>both"), "**open *both***");
        assert_eq!(
            to_markdown("<a href=\"javascript:alert(1)\">x</a>"),
            "x",
            "only http(s) links are links"
        );
        assert_eq!(
            to_markdown("<a href=\"https://e.com/a b(c)\">l</a>"),
            "[l](https://e.com/a%20b%28c%29)"
        );
    }

    #[test]
    fn names_are_text_and_code_spans() {
        for s in [
            "a\n```\nb",
            "`x`",
            "``",
            "<b>x</b>",
            "a\u{202e}b",
            "1. x",
            "- x",
            "|a|",
        ] {
            let (text, codes, other) = inline_content(&text(s));
            assert_eq!(text, collapse(s), "{s:?}");
            assert!(codes.is_empty() && !other, "{s:?}");
            let (t, codes, other) = inline_content(&code(s));
            assert_eq!(
                (t.as_str(), codes, other),
                ("", vec![collapse(s)], false),
                "{s:?}"
            );
        }
    }

    #[test]
    fn doc_lines_are_safe_whatever_they_are_given() {
        let lines =
            doc_lines("ok\n```\n~~~x\n      indented\n<div>\n<https://e.com>\na\rb\u{202e}c");
        assert_eq!(
            lines,
            [
                " ok",
                " \\```",
                " \\~~~x",
                "   indented",
                " &lt;div>",
                " <https://e.com>",
                " a bc"
            ]
        );
    }

    fn html_ish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "<p>",
            "</p>",
            "<code>",
            "</code>",
            "<pre>",
            "</pre>",
            "<ul>",
            "</ul>",
            "<ol>",
            "</ol>",
            "<li>",
            "</li>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<em>",
            "<br>",
            "<br/>",
            "<div>",
            "</div>",
            "<script>",
            "</script>",
            "<h1>",
            "<table><tr><td>",
            "<a href=\"https://e.com/(x)\">",
            "<a href=\"javascript:x\">",
            "<a href='http://e.com/a b'>",
            "<a\nhref=\"https://e.com\"\n>",
            "</a>",
            "<img src=x>",
            "<!--",
            "-->",
            "<",
            ">",
            "&",
            "```",
            "~~~",
            "`",
            "``",
            "    ",
            "\n",
            "\n\n",
            "\r",
            "\t",
            "\u{202e}",
            "\u{2066}",
            "\u{200b}",
            "\u{0}",
            "&lt;",
            "&gt;",
            "&amp;",
            "&#96;",
            "&#x7e;",
            "&#10;",
            "&nbsp;",
            "*",
            "_",
            "#",
            "-",
            "+",
            "=",
            "1.",
            "2)",
            "|",
            "[",
            "]",
            "(",
            ")",
            "!",
            ":",
            "\\",
            "[^1]:",
            "https://e.com/x",
            "http://",
            "text",
            "x y",
            " ",
            "é",
            "🦀",
        ]);
        let word = prop_oneof![
            4 => pieces.prop_map(str::to_string),
            1 => any::<String>(),
        ];
        prop::collection::vec(word, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn random_html_never_yields_code_blocks_html_or_bad_links(input in html_ish()) {
            let md = to_markdown(&input);
            assert_inert(&md, &input);
            // The doc attributes change nothing of what the converter made.
            let again: Vec<String> = md.split('\n').map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect();
            prop_assert_eq!(doc_lines(&md), again);
        }

        #[test]
        fn random_names_are_plain_text_or_one_code_span(s in html_ish()) {
            let (text_read, codes, other) = inline_content(&format!("x {}", text(&s)));
            prop_assert_eq!(text_read, format!("x {}", collapse(&s)).trim_end().to_string());
            prop_assert!(codes.is_empty() && !other);
            let alone = text(&s);
            assert_inert(&alone, &s);
            let (t, codes, other) = inline_content(&format!("x {}", code(&s)));
            prop_assert_eq!(t, "x ");
            let expected = if collapse(&s).is_empty() { " ".to_string() } else { collapse(&s) };
            prop_assert_eq!(codes, vec![expected]);
            prop_assert!(!other);
        }
    }
}
