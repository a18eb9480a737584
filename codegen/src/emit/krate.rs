//! The crate around the types: `Cargo.toml`, `src/lib.rs`, and the module
//! files that declare and re-export what the other emitters added.
//!
//! Runs last. Owns `Cargo.toml`, `src/lib.rs`, `src/types.rs`,
//! `src/types/error.rs`, `src/types/builders.rs` (inline), `src/operation.rs`,
//! `src/primitives.rs`, `src/error.rs`, and the `builders` re-export module at
//! the end of each `src/operation/<op>.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime_api::*;
use super::{add_rust, docs, Contents, Files};
use crate::error::Result;
use crate::ir::{Service, ShapeKind, ShapeModule};
use crate::names;

/// Settings for the generated crate that do not come from the model.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The path from the generated crate to the runtime crate, for `Cargo.toml`.
    pub runtime_path: String,
    /// The crate version.
    pub version: String,
    /// The partitions document (botocore's `partitions.json`) the endpoint
    /// rules resolve regions against, as JSON text.
    pub partitions: String,
    /// Example programs copied into `examples/` (file name, source).
    pub examples: Vec<(String, String)>,
    /// Features of `awsrt` the generated code needs (`runtime-patterns`);
    /// `emit::generate` adds what the emitters ask for.
    pub awsrt_features: Vec<&'static str>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime_path: "../runtime".to_string(),
            version: "0.1.0".to_string(),
            partitions: "{\"partitions\": [], \"version\": \"1.1\"}\n".to_string(),
            examples: Vec::new(),
            awsrt_features: Vec::new(),
        }
    }
}

/// Emit the crate's frame.
pub fn emit(svc: &Service, settings: &Settings, files: &mut Files) -> Result<()> {
    files.insert(
        "Cargo.toml".to_string(),
        Contents::Text(cargo_toml(svc, settings)),
    );
    for (name, source) in &settings.examples {
        files.insert(format!("examples/{name}"), Contents::Text(source.clone()));
    }
    types_module(svc, files);
    operation_module(svc, files);
    let event_stream = has_event_streams(svc).then(|| {
        let reexports = reexport(&[
            USER_EVENT_RECEIVER,
            USER_EVENT_STREAM_ERROR,
            USER_EVENT_STREAM_SENDER,
        ]);
        quote! {
            /// Event streams: what an operation that streams events takes or returns.
            pub mod event_stream {
                #reexports
            }
        }
    });
    let primitives = reexport(&[
        USER_BLOB,
        USER_DATE_TIME,
        USER_DOCUMENT,
        USER_UNKNOWN_VARIANT_VALUE,
    ]);
    let date_time_format = reexport_as(USER_FORMAT, "DateTimeFormat");
    add_rust(
        files,
        "src/primitives.rs",
        quote! {
            #primitives
            /// How a `DateTime` is written or read (aws-sdk's name).
            #date_time_format
            #event_stream
        },
    );
    let validation = files.contains_key("src/validate.rs").then(|| {
        reexport(&[
            USER_LENGTH_UNIT,
            USER_NUMBER,
            USER_RULE,
            USER_VALIDATION_ERROR,
            USER_VIOLATION,
        ])
    });
    let client_errors = files.contains_key("src/client.rs").then(|| {
        reexport(&[
            USER_SERIALIZE_ERROR,
            USER_BOX_ERROR,
            USER_DISPLAY_ERROR_CONTEXT,
            USER_ERROR_METADATA,
            USER_PROVIDE_ERROR_METADATA,
            USER_SDK_ERROR,
            USER_UNHANDLED_ERROR,
        ])
    });
    let errors = reexport(&[USER_BUILD_ERROR, USER_DESERIALIZE_ERROR]);
    add_rust(
        files,
        "src/error.rs",
        quote! {
            #errors
            #validation
            #client_errors
        },
    );
    let lib = lib_rs(svc, files);
    add_rust(files, "src/lib.rs", lib);
    Ok(())
}

/// The version of `awsrt` (runtime/Cargo.toml) the generated crate depends
/// on; a test checks that the two agree.
pub const AWSRT_VERSION: &str = "0.1.0";

/// The oldest Rust the generated crate builds with (the workspace's
/// `rust-version`; a test checks that the two agree).
pub const RUST_VERSION: &str = "1.94";

/// The generated `Cargo.toml`, written with `toml_edit`: model text (the
/// title and API version in `description`) only ever lands in an escaped
/// TOML string, never in the document's structure. The crate name was
/// checked by `metadata::check_crate`.
fn cargo_toml(svc: &Service, settings: &Settings) -> String {
    use toml_edit::{value, Array, DocumentMut, InlineTable, Item, Table};

    let mut package = Table::new();
    package.insert("name", value(&svc.crate_name));
    package.insert("version", value(&settings.version));
    package.insert("edition", value("2021"));
    package.insert("rust-version", value(RUST_VERSION));
    package.insert("license", value("Apache-2.0"));
    package.insert(
        "description",
        value(format!(
            "Client for {}, generated from the {} model",
            svc.title, svc.api_version
        )),
    );
    // docs.rs documents every published crate under its (checked) name.
    package.insert(
        "documentation",
        value(format!("https://docs.rs/{}", svc.crate_name)),
    );
    // The generator's marker is no part of the published crate.
    package.insert("exclude", value(Array::from_iter([crate::write::MARKER])));
    package.decor_mut().set_prefix(
        "# Generated by codegen from the service model. Do not edit: run `cargo run -p codegen`.\n",
    );

    let mut awsrt = InlineTable::new();
    awsrt.insert("path", settings.runtime_path.as_str().into());
    awsrt.insert("version", AWSRT_VERSION.into());
    let features: Array = runtime_features(svc)
        .into_iter()
        .chain(settings.awsrt_features.iter().copied())
        .collect();
    if !features.is_empty() {
        awsrt.insert("features", features.into());
    }
    let mut deps = Table::new();
    deps.insert("awsrt", value(awsrt));
    deps.insert("serde_json", value("1"));

    let mut feature_table = Table::new();
    feature_table.insert("aws-config", value(Array::from_iter(["awsrt/aws-config"])));
    if let Some(mut key) = feature_table.key_mut("aws-config") {
        key.leaf_decor_mut().set_prefix(format!(
            "# Build the configuration from an `aws_types::SdkConfig` (`{}::config::ConfigBuilder::from_sdk_config(&sdk_config)`).\n",
            svc.crate_name
        ));
    }

    let mut doc = DocumentMut::new();
    doc.insert("package", Item::Table(package));
    doc.insert("dependencies", Item::Table(deps));
    doc.insert("features", Item::Table(feature_table));
    if !settings.examples.is_empty() {
        let mut tokio = InlineTable::new();
        tokio.insert("version", "1".into());
        tokio.insert("default-features", false.into());
        tokio.insert("features", Array::from_iter(["macros", "rt"]).into());
        let mut dev = Table::new();
        dev.insert("tokio", value(tokio));
        doc.insert("dev-dependencies", Item::Table(dev));
    }
    doc.to_string()
}

/// Whether the model has event streams (only output ones reach emitters).
fn has_event_streams(svc: &Service) -> bool {
    svc.shapes.values().any(|s| s.event_stream)
}

/// The optional runtime features the model needs: `gzip` for
/// `@requestCompression`, `md5` for `@httpChecksumRequired`, `event-stream`
/// for event streams.
fn runtime_features(svc: &Service) -> Vec<&'static str> {
    let mut features = Vec::new();
    if has_event_streams(svc) {
        features.push("event-stream");
    }
    if svc.operations.iter().any(|op| op.request_compression) {
        features.push("gzip");
    }
    if svc.operations.iter().any(|op| op.checksum_required) {
        features.push("md5");
    }
    features
}

fn lib_rs(svc: &Service, files: &Files) -> TokenStream {
    let title = format!(
        "Client types for {} (API version {}).",
        docs::text(&svc.title),
        docs::text(&svc.api_version)
    );
    let service_docs = svc
        .documentation
        .as_deref()
        .map(docs::to_markdown)
        .unwrap_or_default();
    let mut text =
        format!("{title}\n\nGenerated by `codegen` from the service model; do not edit.");
    if !svc.unenforced_patterns.is_empty() {
        text.push_str("\n\n**Patterns `validate()` does not check** (no matcher can read them)\n");
        for p in &svc.unenforced_patterns {
            let owner = match &p.member {
                Some(m) => format!("{}.{m}", p.shape),
                None => p.shape.clone(),
            };
            let owner = docs::code(&owner);
            let pattern = docs::code(&p.pattern);
            let reason = docs::text(&p.reason);
            text.push_str(&format!("\n- {owner}: {pattern}: {reason}."));
        }
    }
    if !svc.renames.is_empty() {
        text.push_str(&super::renames::section(&svc.renames));
    }
    let mut crate_docs = docs::doc_lines(&text);
    // The getting-started section holds a code block, so it is not made safe
    // line by line: it is our own text, and the only names in it are the
    // crate's and an operation's, identifiers checked by the names stage.
    crate_docs.extend(getting_started(svc).split('\n').map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    }));
    if !service_docs.is_empty() {
        crate_docs.extend(
            docs::doc_lines(&format!("\n\n{service_docs}"))
                .into_iter()
                .skip(1),
        );
    }
    let modules: &[(&str, bool, &str)] = &[
        ("client", false, "The client."),
        ("config", true, "Configuration: region, credentials, endpoint, timeouts, retries, validation, transport."),
        ("error", true, "Errors: of calls, builders, validation and parsing."),
        ("error_meta", false, "The service-wide error, `Error`."),
        ("operation", true, "Operations: each one's input and output types and builders."),
        ("pagination", true, "Paginators: what `into_paginator().send()` returns, and its error."),
        ("primitives", true, "Value types used by shapes: timestamps, blobs, documents."),
        ("protocol", true, "The wire format: request bodies, and response and error parsing, for tests and tools."),
        ("types", true, "Shared types: structures, enums and unions used by operations, and errors."),
        ("validate", false, "Validation of operation inputs against the model's constraints."),
    ];
    let decls = modules
        .iter()
        .filter(|(m, _, _)| files.contains_key(&format!("src/{m}.rs")))
        .map(|(m, public, doc)| {
            let ident = names::ident(m);
            let vis = if *public { quote!(pub) } else { quote!() };
            let doc = docs::lines(doc);
            quote! { #doc #vis mod #ident; }
        });
    let reexports = files.contains_key("src/client.rs").then(|| {
        let error = files.contains_key("src/error_meta.rs").then(|| {
            quote!(
                pub use error_meta::Error;
            )
        });
        quote! {
            pub use client::Client;
            pub use config::Config;
            #error
        }
    });
    quote! {
        #( #![doc = #crate_docs] )*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        #(#decls)*

        #reexports
    }
}

/// The crate docs' getting-started section: how to add the crate, and a
/// compiled (`no_run`) example calling the first operation that needs no
/// input (if there is one). Names come from the IR (checked identifiers).
fn getting_started(svc: &Service) -> String {
    if svc.operations.is_empty() {
        return String::new();
    }
    let call =
        svc.operations
            .iter()
            .find(|op| match op.input.as_deref().map(|n| &svc.shape(n).kind) {
                Some(crate::ir::ShapeKind::Structure(ms)) => ms.iter().all(|m| !m.required),
                _ => true,
            });
    let module = call.map(|op| names::unraw(&op.names.module).to_string());
    getting_started_text(&svc.crate_name, module.as_deref())
}

/// The getting-started text for crate `name`, calling operation `call` (a
/// module name) if given. Public so that the hostile-model harness can tell
/// this block, the one code block the generator writes, from model text.
pub fn getting_started_text(name: &str, call: Option<&str>) -> String {
    // The crate name is checked by `metadata` (`^[a-z][a-z0-9_]*$`): it is
    // also its Rust path.
    let krate = name;
    let call = call
        .map(|m| format!("let output = client.{m}().send().await?;\nprintln!(\"{{output:?}}\");\n"))
        .unwrap_or_default();
    format!(
        "\n\n## Getting started\n\n\
         Add the crate (`cargo add --git URL-of-this-repository {name}`) and tokio\n\
         (`cargo add tokio --features macros,rt-multi-thread`): the client runs on tokio.\n\
         The feature `aws-config` adds `Client::new(&aws_config::load_from_env().await)`.\n\
         The API is aws-sdk's: code written for the official crate compiles with the crate renamed.\n\n\
         ```no_run\n\
         # async fn example() -> Result<(), {krate}::Error> {{\n\
         use {krate}::config::{{Credentials, Region}};\n\
         let config = {krate}::Config::builder()\n\
         \x20   .region(Region::new(\"us-west-2\"))\n\
         \x20   .credentials_provider(Credentials::new(\"AKID\", \"SECRET\", None, None, \"example\"))\n\
         \x20   .build();\n\
         let client = {krate}::Client::from_conf(config);\n\
         {call}\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}

fn types_module(svc: &Service, files: &mut Files) {
    let mut types = Vec::new();
    let mut builders = Vec::new();
    let mut errors = Vec::new();
    let mut error_builders = Vec::new();
    for shape in svc.shapes.values() {
        if shape.module == ShapeModule::None {
            continue;
        }
        let file = super::types::ident(&names::module(&shape.rust_name));
        let ty = names::type_ident(shape);
        let builder = matches!(shape.kind, ShapeKind::Structure(_))
            .then(|| names::builder_ident(&shape.rust_name));
        match shape.module {
            _ if shape.event_stream => {
                types.push(quote! { mod #file; pub use #file::#ty; });
                let error = names::event_stream_error(&shape.rust_name);
                let error_file = super::types::ident(&names::module(&error));
                let error = names::ident(&error);
                errors.push(quote! { mod #error_file; pub use #error_file::#error; });
            }
            ShapeModule::Error => {
                errors.push(quote! { mod #file; pub use #file::#ty; });
                if let Some(b) = builder {
                    error_builders.push(quote! { pub use super::#file::#b; });
                }
            }
            _ => {
                types.push(quote! { mod #file; pub use #file::#ty; });
                if let Some(b) = builder {
                    builders.push(quote! { pub use super::#file::#b; });
                }
            }
        }
    }
    let error_mod = (!errors.is_empty()).then(|| {
        quote! {
            /// Error structures the service returns.
            pub mod error;
        }
    });
    if !errors.is_empty() {
        add_rust(
            files,
            "src/types/error.rs",
            quote! {
                #(#errors)*

                /// Builders of the error structures.
                pub mod builders {
                    #(#error_builders)*
                }
            },
        );
    }
    add_rust(
        files,
        "src/types.rs",
        quote! {
            #(#types)*

            /// Builders of the shared structures.
            pub mod builders {
                #(#builders)*
            }

            #error_mod
        },
    );
}

fn operation_module(svc: &Service, files: &mut Files) {
    let mut decls = Vec::new();
    for op in &svc.operations {
        let m = super::types::ident(&op.names.module);
        let doc = docs::attrs(
            op.documentation.as_deref(),
            &format!("The {} operation.", docs::code(&op.name)),
        );
        decls.push(quote! { #doc pub mod #m; });
        let input = names::input_builder(op);
        let output = names::output_builder(op);
        add_rust(
            files,
            &format!("src/operation/{}.rs", names::unraw(&op.names.module)),
            quote! {
                /// Builders of this operation's input and output.
                pub mod builders {
                    pub use super::{#input, #output};
                }
            },
        );
    }
    let request_id = reexport(&[USER_REQUEST_ID]);
    add_rust(
        files,
        "src/operation.rs",
        quote! {
            #request_id
            #(#decls)*
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_toml(rel: &str) -> toml_edit::DocumentMut {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        text.parse().unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    #[test]
    fn versions_agree_with_the_workspace() {
        let runtime = read_toml("../runtime/Cargo.toml");
        assert_eq!(runtime["package"]["version"].as_str(), Some(AWSRT_VERSION));
        let workspace = read_toml("../Cargo.toml");
        assert_eq!(
            workspace["workspace"]["package"]["rust-version"].as_str(),
            Some(RUST_VERSION)
        );
    }

    #[test]
    fn model_text_stays_inside_toml_strings() {
        let model =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/models/kinds/service-2.json");
        let mut svc = crate::pipeline::prepare(&model, None).unwrap();
        // Past the metadata check, as if it were missed: still one string.
        svc.title = "T\"\n[dependencies]\nevil = { path = \"/tmp/evil\" }\n#".into();
        svc.api_version = "1'''\"\"\"\\u0000".into();
        let text = cargo_toml(&svc, &Settings::default());
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let deps: Vec<&str> = doc["dependencies"]
            .as_table()
            .unwrap()
            .iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(deps, ["awsrt", "serde_json"]);
        assert_eq!(
            doc["package"]["description"].as_str().unwrap(),
            format!(
                "Client for {}, generated from the {} model",
                svc.title, svc.api_version
            )
        );
        assert_eq!(
            doc["dependencies"]["awsrt"]["version"].as_str(),
            Some(AWSRT_VERSION)
        );
        let tables: Vec<&str> = doc.iter().map(|(k, _)| k).collect();
        assert_eq!(tables, ["package", "dependencies", "features"]);
    }
}
