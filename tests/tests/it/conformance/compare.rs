//! Compares the request a generated client sent with a case's `serialized`:
//! method; path exactly; query parameters as a multiset (their order carries
//! no meaning in restJson1); the expected headers by name (others may be
//! present, `forbidHeaders` may not, `requireHeaders` must); the host; the
//! body, when the case gives one, as JSON when it is JSON, byte for byte
//! otherwise.

use serde_json::Value;

/// Every difference between `sent` (as the driver prints it) and `expected`.
pub fn request(sent: &Value, expected: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let method = sent["method"].as_str().unwrap_or("");
    if Some(method) != expected["method"].as_str() {
        diffs.push(format!("method {method}, expected {}", expected["method"]));
    }

    let url = sent["url"].as_str().unwrap_or("");
    let (host, path, query) = split_url(url);
    let want = expected["uri"].as_str().unwrap_or("");
    let (want_path, want_query) = want.split_once('?').unwrap_or((want, ""));
    if path != want_path {
        diffs.push(format!("path `{path}`, expected `{want_path}`"));
    }
    let (mut got_q, mut want_q) = (pairs(&query), pairs(want_query));
    got_q.sort();
    want_q.sort();
    if got_q != want_q {
        diffs.push(format!(
            "query `{query}`, expected `{want_query}` (in any order)"
        ));
    }
    if let Some(want_host) = expected["host"].as_str() {
        // botocore's `host` may carry the endpoint's base path (`example.com/custom`).
        let with_base = want_host
            .strip_prefix(host.as_str())
            .is_some_and(|base| base.is_empty() || path.starts_with(&format!("{base}/")));
        if !with_base {
            diffs.push(format!("host `{host}`, expected `{want_host}`"));
        }
    }

    let headers: Vec<(String, String)> = sent["headers"]
        .as_array()
        .map(|hs| {
            hs.iter()
                .map(|h| {
                    let s = |i: usize| h[i].as_str().unwrap_or("").to_string();
                    (s(0), s(1))
                })
                .collect()
        })
        .unwrap_or_default();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if let Some(want) = expected["headers"].as_object() {
        for (name, value) in want {
            let value = value.as_str().unwrap_or("");
            match header(name) {
                Some(v) if v == value => {}
                Some(v) => diffs.push(format!("header `{name}: {v}`, expected `{value}`")),
                None => diffs.push(format!("header `{name}` missing, expected `{value}`")),
            }
        }
    }
    for name in expected["forbidHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or("");
        if let Some(v) = header(name) {
            diffs.push(format!("header `{name}: {v}` sent, but it is forbidden"));
        }
    }
    for name in expected["requireHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or("");
        if header(name).is_none() {
            diffs.push(format!("header `{name}` missing, but it is required"));
        }
    }

    let body: Vec<u8> = sent["body"]
        .as_array()
        .map(|b| {
            b.iter()
                .filter_map(|x| x.as_u64())
                .map(|x| x as u8)
                .collect()
        })
        .unwrap_or_default();
    // A case without `body` does not constrain it (e.g. a compressed one).
    let Some(want_body) = expected["body"].as_str() else {
        return diffs;
    };
    let json_pair = (
        serde_json::from_slice::<Value>(&body),
        serde_json::from_str::<Value>(want_body),
    );
    match json_pair {
        (Ok(got), Ok(want)) if !want_body.is_empty() => {
            if !same_json(&got, &want) {
                diffs.push(format!("body {got}, expected {want}"));
            }
        }
        _ => {
            if body != want_body.as_bytes() {
                diffs.push(format!(
                    "body {:?}, expected {want_body:?}",
                    String::from_utf8_lossy(&body)
                ));
            }
        }
    }
    diffs
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Host (with the endpoint's base path, as botocore's `host` has it), path and query of `url`.
fn split_url(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, "/"),
    };
    (authority.to_string(), path.to_string(), query.to_string())
}

fn pairs(query: &str) -> Vec<&str> {
    query.split('&').filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn sent(url: &str, headers: serde_json::Value, body: &str) -> serde_json::Value {
        json!({"method": "POST", "url": url, "headers": headers, "body": body.as_bytes()})
    }

    #[test]
    fn query_order_and_json_layout_do_not_matter() {
        let s = sent(
            "https://example.com/p?b=2&a=1",
            json!([
                ["Content-Type", "application/json"],
                ["Content-Length", "7"]
            ]),
            r#"{"x":1}"#,
        );
        let want = json!({"method": "POST", "uri": "/p?a=1&b=2", "headers": {"content-type": "application/json"},
                          "requireHeaders": ["Content-Length"], "body": "{\n  \"x\": 1.0\n}"});
        assert_eq!(super::request(&s, &want), Vec::<String>::new());
    }

    #[test]
    fn every_difference_is_reported() {
        let s = sent(
            "https://example.com/p?a=1",
            json!([["X-Forbidden", "1"]]),
            "{}",
        );
        let want = json!({"method": "PUT", "uri": "/q?a=2", "host": "foo.example.com",
                          "headers": {"X-A": "1"}, "forbidHeaders": ["X-Forbidden"],
                          "requireHeaders": ["Content-Length"], "body": "{\"a\": 1}"});
        let diffs = super::request(&s, &want);
        for part in [
            "method",
            "path",
            "query",
            "host",
            "header `X-A`",
            "forbidden",
            "required",
            "body",
        ] {
            assert!(
                diffs.iter().any(|d| d.contains(part)),
                "{part} not in {diffs:?}"
            );
        }
    }

    #[test]
    fn a_host_may_carry_the_endpoint_base_path() {
        let s = sent("https://example.com/custom/Op", json!([]), "");
        let want = json!({"method": "POST", "uri": "/custom/Op", "host": "example.com/custom"});
        assert_eq!(super::request(&s, &want), Vec::<String>::new());
    }
}
