//! The shared-file parser against the AWS SDKs' own parser test suite:
//! `runtime/tests/data/profile-parser-tests.json`, copied unchanged from
//! aws-runtime 1.10.2's `test-data/profile-parser-tests.json` (Apache-2.0;
//! the same cases the other AWS SDKs run). Every case runs: the profiles and
//! their properties must be equal, `[sso-session]` sections too, and an
//! expected error must be an error containing the expected text.

use std::collections::BTreeMap;

use awsrt::client::ProfileSet;
use serde_json::Value;

type Sections = BTreeMap<String, BTreeMap<String, String>>;

fn expected_sections(value: Option<&Value>) -> Sections {
    let Some(Value::Object(map)) = value else {
        return Sections::new();
    };
    map.iter()
        .map(|(name, props)| {
            let props = props
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            (name.clone(), props)
        })
        .collect()
}

fn sections<'a>(
    set: &'a ProfileSet,
    names: impl Iterator<Item = &'a str>,
    get: impl Fn(&'a str) -> Option<&'a awsrt::client::Profile>,
) -> Sections {
    names
        .map(|name| {
            let props = get(name)
                .unwrap()
                .properties()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            let _ = set;
            (name.to_owned(), props)
        })
        .collect()
}

#[test]
fn sdk_profile_parser_suite() {
    let text = include_str!("../data/profile-parser-tests.json");
    let suite: Value = serde_json::from_str(text).unwrap();
    let cases = suite["tests"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let config = input["configFile"].as_str().unwrap_or("");
        let credentials = input["credentialsFile"].as_str().unwrap_or("");
        let output = &case["output"];
        let parsed = ProfileSet::parse(config, credentials);
        match (output.get("errorContaining"), parsed) {
            (Some(expected), Ok(set)) => failures.push(format!(
                "{name}: expected an error containing {expected}, got {set:?}"
            )),
            (Some(expected), Err(e)) => {
                if !e.to_string().contains(expected.as_str().unwrap()) {
                    failures.push(format!("{name}: error `{e}` does not contain {expected}"));
                }
            }
            (None, Err(e)) => failures.push(format!("{name}: unexpected error `{e}`")),
            (None, Ok(set)) => {
                let profiles = sections(&set, set.names(), |n| set.profile(n));
                let want = expected_sections(output["config"].get("profiles"));
                if profiles != want {
                    failures.push(format!("{name}: profiles {profiles:?}, expected {want:?}"));
                }
                if let Some(sso) = output["config"].get("sso_sessions") {
                    let got = sections(&set, set.sso_session_names(), |n| set.sso_session(n));
                    let want = expected_sections(Some(sso));
                    if got != want {
                        failures.push(format!("{name}: sso-sessions {got:?}, expected {want:?}"));
                    }
                }
            }
        }
    }
    assert!(cases.len() >= 60, "the suite has {} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
