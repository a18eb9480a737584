//! The library functions of the Smithy rules language that take plain values:
//! `parseURL`, `aws.parseArn`, `isValidHostLabel`,
//! `aws.isVirtualHostableS3Bucket`, `substring` and `uriEncode`.

use std::net::Ipv4Addr;

use serde_json::{json, Value};

use crate::client::encode;

/// `parseURL`: an `http`/`https` URL without query split into `scheme`,
/// `authority`, `path`, `normalizedPath` (with leading and trailing `/`) and
/// `isIp`; `None` for anything else.
pub(crate) fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme == "http" || scheme == "https") || rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let is_ip = if authority.starts_with('[') {
        true
    } else {
        let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
        host.parse::<Ipv4Addr>().is_ok()
    };
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    Some(json!({
        "scheme": scheme,
        "authority": authority,
        "path": path,
        "normalizedPath": normalized,
        "isIp": is_ip,
    }))
}

/// `aws.parseArn`: `arn:partition:service:region:accountId:resource` with the
/// resource split on `:` and `/` into `resourceId`; `None` if not an ARN.
pub(crate) fn parse_arn(arn: &str) -> Option<Value> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id: Vec<&str> = resource.split([':', '/']).collect();
    Some(json!({
        "partition": partition,
        "service": service,
        "region": region,
        "accountId": account,
        "resourceId": resource_id,
    }))
}

/// `isValidHostLabel`: 1-63 ASCII letters, digits and `-`, not starting with
/// `-`; with `allow_subdomains`, every `.`-separated part must be one.
pub(crate) fn is_valid_host_label(label: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return label
            .split('.')
            .all(|part| is_valid_host_label(part, false));
    }
    !label.is_empty()
        && label.len() <= 63
        && label.starts_with(|c: char| c.is_ascii_alphanumeric())
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `aws.isVirtualHostableS3Bucket`: a valid host label that is also a valid
/// lower-case bucket name segment (3-63 characters, not an IP address, no
/// `.-` or `-.`).
pub(crate) fn is_virtual_hostable_s3_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    if !is_valid_host_label(bucket, allow_subdomains) {
        return false;
    }
    if allow_subdomains {
        bucket.split('.').all(is_virtual_hostable_segment)
    } else {
        is_virtual_hostable_segment(bucket)
    }
}

fn is_virtual_hostable_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let edge_ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    (3..=63).contains(&bytes.len())
        && edge_ok(first)
        && edge_ok(last)
        && bytes.iter().all(|&b| edge_ok(b) || b == b'-' || b == b'.')
        && !looks_like_ipv4(segment)
        && !segment.contains(".-")
        && !segment.contains("-.")
}

/// Four dot-separated runs of digits (`^(\d+\.){3}\d+$`).
fn looks_like_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `substring`: characters `start..stop` (counted from the end if `reverse`)
/// of an ASCII string; `None` if out of range or not ASCII.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to).map(str::to_owned)
}

/// `uriEncode`: percent-encodes all but the unreserved characters.
pub(crate) fn uri_encode(value: &str) -> String {
    encode::query(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let u = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(u["authority"], "example.com:8443");
        assert_eq!(
            (u["path"].as_str(), u["normalizedPath"].as_str()),
            (Some("/a/b"), Some("/a/b/"))
        );
        assert_eq!(u["isIp"], false);
        let u = parse_url("http://127.0.0.1:80").unwrap();
        assert_eq!(
            (
                u["path"].as_str(),
                u["normalizedPath"].as_str(),
                u["isIp"].as_bool()
            ),
            (Some(""), Some("/"), Some(true))
        );
        assert_eq!(parse_url("https://[::1]/").unwrap()["isIp"], true);
        assert!(parse_url("ftp://example.com").is_none());
        assert!(parse_url("https://example.com?x=1").is_none());
        assert!(parse_url("example.com").is_none());
    }

    #[test]
    fn parses_arns() {
        let a = parse_arn("arn:aws:ivschat:us-west-2:123456789012:room/abc:v1").unwrap();
        assert_eq!(a["service"], "ivschat");
        assert_eq!(a["resourceId"], serde_json::json!(["room", "abc", "v1"]));
        let a = parse_arn("arn:aws:s3:::bucket").unwrap();
        assert_eq!(
            (a["region"].as_str(), a["accountId"].as_str()),
            (Some(""), Some(""))
        );
        assert!(parse_arn("arn:aws:s3:::").is_none());
        assert!(parse_arn("arn::s3:::b").is_none());
        assert!(parse_arn("urn:aws:s3:::b").is_none());
        assert!(parse_arn("arn:aws:s3").is_none());
    }

    #[test]
    fn host_labels_and_buckets() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("-bad", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(is_virtual_hostable_s3_bucket("abc.def", true));
        assert!(!is_virtual_hostable_s3_bucket("abc.def", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abc", 1, 1, false), None);
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("ab\u{e9}cd", 0, 2, false), None);
        assert_eq!(substring("abc", -1, 2, false), None);
        assert_eq!(uri_encode("a b/c"), "a%20b%2Fc");
    }
}
