//! Percent-encoding of URI labels and query strings, as AWS services expect.
//!
//! Everything except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`)
//! is encoded as `%XX` of its UTF-8 bytes, with upper-case hex digits; a
//! greedy label (`{key+}` in a URI pattern) keeps its `/` separators. This is
//! what botocore's rest-json serializer produces, and what SigV4 expects.
//!
//! It imports nothing of the crate.

/// Encodes a non-greedy URI label (`{name}`): `/` is encoded too.
pub fn label(value: &str) -> String {
    encode(value, false)
}

/// Encodes a greedy URI label (`{name+}`): `/` is kept as is.
pub fn greedy_label(value: &str) -> String {
    encode(value, true)
}

/// Encodes a query parameter name or value.
pub fn query(value: &str) -> String {
    encode(value, false)
}

fn encode(value: &str, keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_unicode() {
        let s = " %:/?#[]@!$&'()*+,;=\u{1F639}";
        assert_eq!(
            label(s),
            "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
        assert_eq!(query("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(greedy_label("a/b c/d"), "a/b%20c/d");
        assert_eq!(label("a/b"), "a%2Fb");
        assert_eq!(
            label("arn:aws:ivschat:us-west-2:123456789012:room/abcdABCD1234"),
            "arn%3Aaws%3Aivschat%3Aus-west-2%3A123456789012%3Aroom%2FabcdABCD1234"
        );
    }
}

/// Checks a value bound to a host label (`{name}` in an endpoint host
/// prefix): 1 to 63 letters, digits and hyphens, not starting or ending with
/// a hyphen, so that it stays one DNS label.
pub fn host_label(value: &str) -> Result<&str, String> {
    let ok = (1..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(value)
    } else {
        Err(format!(
            "`{value}` is not a valid host label (1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)"
        ))
    }
}

#[cfg(test)]
mod host_label_tests {
    use super::host_label;

    #[test]
    fn host_labels_are_single_dns_labels() {
        assert_eq!(host_label("bar-1"), Ok("bar-1"));
        for bad in ["", "-a", "a-", "a.b", "a b", &"a".repeat(64)] {
            assert!(host_label(bad).is_err(), "{bad:?}");
        }
    }
}
