//! The client: `Client::from_conf(Config)`, one fluent builder per operation
//! with the input's setters and `send()`, paginators, and the service's
//! statics for the runtime (signing name, endpoint rules, partitions).
//!
//! Adds `src/client.rs`, `src/config.rs`, `src/endpoint_rule_set.json`,
//! and to each `src/operation/<op>.rs` its
//! `OperationMeta`, `<Op>FluentBuilder`, the input builder's `send_with`
//! and, when paginated, `<Op>Paginator`.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{OperationStructs, StructDef};
use super::runtime_api::*;
use super::{add_rust, builders, docs, Contents, Files};
use crate::ir::{Operation, Service, ShapeKind};
use crate::names;
use crate::resolve::Resolved;

/// A rule set for models without one: the caller must give an endpoint URL.
const NO_RULES: &str = r#"{
  "version": "1.0",
  "parameters": {
    "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
    "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
    "UseDualStack": {"type": "Boolean", "builtIn": "AWS::UseDualStack", "required": true, "default": false},
    "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false}
  },
  "rules": [
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}], "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"},
    {"conditions": [], "error": "The service model has no endpoint rules: configure an endpoint URL", "type": "error"}
  ]
}
"#;

/// Emit the client.
pub fn emit(svc: &Resolved, operations: &[OperationStructs<'_>], files: &mut Files) {
    let rules = match &svc.endpoint_rules {
        Some(rules) => format!("{rules}\n"),
        None => NO_RULES.to_string(),
    };
    files.insert("src/endpoint_rule_set.json".into(), Contents::Text(rules));
    config(svc, files);

    if svc.operations.iter().any(|op| op.pagination.is_some()) {
        let reexports = reexport(&[
            USER_ITEM_PAGINATOR,
            USER_PAGINATION_ERROR,
            USER_PAGINATION_STREAM,
            USER_PAGINATOR,
        ]);
        add_rust(
            files,
            "src/pagination.rs",
            quote! {
                #reexports
            },
        );
    }
    let mut methods = Vec::new();
    for o in operations {
        let (op, path, input, output) = (o.op, &o.path, &o.input, &o.output);
        let fluent = names::fluent_builder(op);
        let m = names::operation_module(op);
        let doc = docs::attrs(
            op.documentation.as_deref(),
            &format!("Calls {}.", docs::code(&op.name)),
        );
        methods.push(quote! {
            #doc
            pub fn #m(&self) -> crate::operation::#m::#fluent {
                crate::operation::#m::#fluent::new(self.handle.clone())
            }
        });
        let mut tokens = fluent_builder(svc, op, input, output);
        if let Some(p) = &op.pagination {
            tokens.extend(paginator(svc, op, p, o));
        }
        add_rust(files, path, tokens);
    }
    let name = format!("Client for {}.", docs::text(&svc.title));
    let name = docs::lines(&name);
    add_rust(
        files,
        "src/client.rs",
        quote! {
            #name
            ///
            /// Cheap to clone: clones share the configuration, the endpoint cache and the retry quota.
            #[derive(Clone)]
            pub struct Client {
                handle: #RUNTIME,
            }

            impl Client {
                /// A client with the given configuration: a [`Config`](crate::Config), or
                /// the result of [`ConfigBuilder::build`](crate::config::ConfigBuilder::build)
                /// (when that failed, every call fails with the configuration error;
                /// the client never panics).
                pub fn from_conf(conf: impl #INTO_CONFIG) -> Self {
                    Client { handle: #RUNTIME::from_config(conf, &crate::config::SERVICE) }
                }

                /// A client configured from an `aws_config::SdkConfig`, as aws-sdk's
                /// `Client::new(&aws_config::load_from_env().await)`; needs the
                /// `aws-config` feature.
                #[cfg(feature = "aws-config")]
                pub fn new(sdk_config: &#SDK_CONFIG) -> Self {
                    Self::from_conf(crate::config::ConfigBuilder::from_sdk_config(sdk_config).build())
                }

                /// The client's configuration.
                pub fn config(&self) -> &crate::Config {
                    self.handle.config()
                }

                #(#methods)*
            }

            impl ::std::fmt::Debug for Client {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("Client").field("region", &self.handle.config().region()).finish_non_exhaustive()
                }
            }
        },
    );
}

fn config(svc: &Service, files: &mut Files) {
    let sdk_id = svc.service_id.as_str();
    let signing = svc.signing_name.as_str();
    let version = svc.api_version.as_str();
    let config = reexport(&[
        USER_BEHAVIOR_VERSION,
        USER_CONFIG,
        USER_CONFIG_BUILDER,
        USER_CONFIG_ERROR,
        USER_CREDENTIALS,
        USER_CREDENTIALS_ERROR,
        USER_FIXED_TIME,
        USER_HTTP_REQUEST,
        USER_HTTP_RESPONSE,
        USER_HTTP_TRANSPORT,
        USER_HYPER_TRANSPORT,
        USER_PROVIDE_CREDENTIALS,
        USER_REGION,
        USER_RETRY_CONFIG,
        USER_SHARED_CREDENTIALS_PROVIDER,
        USER_STALLED_STREAM_PROTECTION,
        USER_STALLED_STREAM_PROTECTION_CONFIG,
        USER_TEST_TRANSPORT,
        USER_TIME_SOURCE,
        USER_TRANSPORT_ERROR,
    ]);
    let extras = reexport(&[
        USER_APP_NAME,
        USER_PROXY_CONFIG,
        USER_RETRY_MODE,
        USER_TLS_SETTINGS,
    ]);
    let builder = reexport_as(USER_CONFIG_BUILDER, "Builder");
    let retry = reexport(&[USER_RETRY_CONFIG, USER_RETRY_MODE]);
    let timeout = reexport(&[USER_TIMEOUT_CONFIG, USER_TIMEOUT_CONFIG_BUILDER]);
    let http = reexport(&[USER_HTTP_REQUEST, USER_HTTP_RESPONSE]);
    add_rust(
        files,
        "src/config.rs",
        quote! {
            #config
            #extras
            /// aws-sdk's name for the configuration builder.
            #builder

            /// Retry settings (aws-sdk's `config::retry`).
            pub mod retry {
                #retry
            }

            /// Timeout settings (aws-sdk's `config::timeout`).
            pub mod timeout {
                #timeout
            }

            /// The request and response types `customize()` hands out
            /// (aws-sdk's `config::http`).
            pub mod http {
                #http
            }

            /// What the runtime needs to know about this service.
            pub(crate) static SERVICE: #SERVICE_META = #SERVICE_META {
                sdk_id: #sdk_id,
                signing_name: #signing,
                api_version: #version,
                endpoint_rule_set: include_str!("endpoint_rule_set.json"),
                partitions: include_str!("partitions.json"),
                region_matcher: crate::partitions::region_matcher,
            };
        },
    );
}

fn fluent_builder(
    svc: &Service,
    op: &Operation,
    input: &StructDef<'_>,
    output_def: &StructDef<'_>,
) -> TokenStream {
    let fluent = names::fluent_builder(op);
    let method = names::operation_module(op);
    let input_builder = names::input_builder(op);
    let empty = builders::empty(&input_builder, input.members());
    let output = names::output(op);
    let error = names::error_enum(op);
    let setters = input
        .members()
        .iter()
        .map(|m| builders::setters(svc, input, m, true));
    let name = op.name.as_str();
    // The codes of the operation's errors, of those marked `@retryable`,
    // and of those marked `@retryable(throttling: true)`.
    let codes: Vec<(&str, Option<bool>)> = op
        .errors
        .iter()
        .filter_map(|e| svc.shape(e).error.as_ref())
        .map(|t| (t.code.as_str(), t.retryable.map(|r| r.throttling)))
        .collect();
    let retryable = codes.iter().filter(|(_, r)| r.is_some()).map(|(c, _)| c);
    let throttling = codes
        .iter()
        .filter(|(_, r)| *r == Some(true))
        .map(|(c, _)| c);
    let errors = codes.iter().map(|(c, _)| c);
    let (checksum, compression) = (op.checksum_required, op.request_compression);
    let ser = names::serialize_request(op);
    let de = names::deserialize_response(op);
    let de_err = names::deserialize_error(op);
    let input_name = op.names.input.as_str();
    // An input whose body is an event stream sends its events as the caller
    // produces them (the serializer writes the rest of the request).
    let events = input.event_stream().map(|m| {
        let f = names::field_ident(m);
        let name = m.name.as_str();
        let stream = svc.shape(&m.target);
        let (marshal, validated) = super::events::marshal_fns(stream);
        let ty = super::rust_type::value_type(svc, &stream.name);
        quote! {
            let events = input.#f.ok_or_else(|| #CONSTRUCTION_FAILURE::new(crate::error::BuildError::missing(#input_name, vec![#name])))?;
            // Each event is checked as it is sent, unless validation is off.
            let marshal: fn(#ty) -> Result<#MESSAGE, #BOX_ERROR> =
                if call.handle.config().validation_enabled() { #validated } else { #marshal };
            request.set_event_stream(events.into_body(marshal));
        }
    });
    // The fluent builder holds the input's builder: an event stream is not `Clone`.
    let clone = input
        .event_stream()
        .is_none()
        .then(|| quote!(#[derive(Clone)]));
    // An output whose body is an event stream is read while it arrives.
    let dispatch = if output_def.event_stream().is_some() {
        quote!(dispatch_streaming)
    } else {
        quote!(dispatch)
    };
    let validate = quote! {
        if call.handle.config().validation_enabled() {
            input.validate().map_err(#CONSTRUCTION_FAILURE::new)?;
        }
    };
    // Tokens the caller left unset come from the config's provider.
    let tokens: Vec<TokenStream> = input
        .members()
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|m| {
            let f = names::field_ident(m);
            quote! {
                if input.#f.is_none() {
                    input.#f = Some(call.handle.config().idempotency_token());
                }
            }
        })
        .collect();
    let input_binding = if tokens.is_empty() {
        quote!(input)
    } else {
        quote!(mut input)
    };
    let doc = docs::lines(&format!(
        "A call to {1}: set the input with the setters, then `send()`. Created by [`Client::{0}`](crate::Client::{0}).",
        names::unraw(&op.names.module),
        docs::code(name)
    ));
    let send_doc = docs::lines(&format!(
        "Build the input, check it against the model's constraints (unless validation is off in the config), and call {}.",
        docs::code(name)
    ));
    let send_with_doc = docs::lines(&format!(
        "Sends a request with this input using the given client, as `client.{}()` with these settings, then `send()`, does (aws-sdk's `send_with`).",
        names::unraw(&op.names.module)
    ));
    quote! {
        static OPERATION: #OPERATION_META = #OPERATION_META {
            name: #name,
            retryable_errors: &[#(#retryable),*],
            throttling_errors: &[#(#throttling),*],
            errors: &[#(#errors),*],
            checksum_required: #checksum,
            request_compression: #compression,
        };

        #doc
        #clone
        pub struct #fluent {
            handle: #RUNTIME,
            inner: #input_builder,
            customization: #CUSTOMIZATION,
        }

        // Setters of deprecated members forward to the input builder's.
        #[allow(deprecated)]
        impl #fluent {
            pub(crate) fn new(handle: #RUNTIME) -> Self {
                #fluent { handle, inner: #empty, customization: ::std::default::Default::default() }
            }

            /// The call, to change before sending: `mutate_request`, `config_override` (as aws-sdk's).
            pub fn customize(self) -> #CUSTOMIZABLE_OPERATION<Self> {
                let customization = self.customization.clone();
                #CUSTOMIZABLE_OPERATION::new(self, customization)
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #send_doc
            pub async fn send(self) -> Result<#output, crate::error::SdkError<#error>> {
                let (handle, request) = prepare(self)?;
                handle
                    .#dispatch(request, &OPERATION)
                    .await?
                    .parse(crate::protocol::http::#de, crate::protocol::http::#de_err)
            }

            #(#setters)*
        }

        /// What `send()` does before sending: the input built, checked
        /// against the model's constraints (unless validation is off) and
        /// serialized, with the call's customization applied; and the runtime
        /// that sends it. Not generic, unlike `send()`'s error type.
        fn prepare(call: #fluent) -> Result<(#RUNTIME, #HTTP_REQUEST), #CONSTRUCTION_FAILURE> {
            let #input_binding = call.inner.build().map_err(#CONSTRUCTION_FAILURE::new)?;
            #(#tokens)*
            #validate
            let mut request = crate::protocol::http::#ser(&input).map_err(#CONSTRUCTION_FAILURE::new)?;
            #events
            call.customization.mutate(&mut request);
            let handle = call.customization.runtime(&call.handle)?;
            Ok((handle, request))
        }

        impl #input_builder {
            #send_with_doc
            pub async fn send_with(self, client: &crate::Client) -> Result<#output, crate::error::SdkError<#error>> {
                let mut fluent_builder = client.#method();
                fluent_builder.inner = self;
                fluent_builder.send().await
            }
        }

        impl #CUSTOMIZABLE_SEND for #fluent {
            type Output = #output;
            type Error = #error;

            fn send_customized(
                mut self,
                customization: #CUSTOMIZATION,
            ) -> #BOX_FUTURE<'static, Result<#output, crate::error::SdkError<#error>>> {
                self.customization = customization;
                Box::pin(self.send())
            }
        }

        impl ::std::fmt::Debug for #fluent {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!(#fluent)).field("inner", &self.inner).finish_non_exhaustive()
            }
        }
    }
}

fn paginator(
    svc: &Service,
    op: &Operation,
    p: &crate::ir::Pagination,
    structs: &OperationStructs<'_>,
) -> TokenStream {
    let out_members = structs.output.members();
    let input_member = |name: &str| structs.input.members().iter().find(|m| m.name == name);
    // `load::check_pagination` checked that both tokens are members; without
    // them, no paginator.
    let Some(token) = out_members.iter().find(|m| m.name == p.output_token) else {
        return TokenStream::new();
    };
    let Some(input_token) = input_member(&p.input_token) else {
        return TokenStream::new();
    };
    let token_getter = names::field_ident(token);
    // A required token (some models mark it so) is read as always present;
    // an empty one still ends the pages.
    let next_token = if super::rust_type::is_optional(token, false) {
        quote!(out.#token_getter())
    } else {
        quote!(Some(out.#token_getter()).filter(|t| !t.is_empty()))
    };
    let set_token = names::setter(input_token);
    // The items: named by the model, or the output's only list member.
    let items = match &p.items {
        Some(name) => out_members.iter().find(|m| &m.name == name),
        None => {
            let lists: Vec<_> = out_members
                .iter()
                .filter(|m| matches!(svc.shape(&m.target).kind, ShapeKind::List { .. }))
                .collect();
            if lists.len() == 1 {
                Some(lists[0])
            } else {
                None
            }
        }
    };
    let fluent = names::fluent_builder(op);
    let pag = names::paginator(op);
    let output_ty = names::output(op);
    let error = names::error_enum(op);
    // Items of a list are its elements; of a map, its (key, value) entries.
    let items_fn = items.and_then(|m| {
        let f = names::field_ident(m);
        let element = |target: &str, sparse: bool| {
            let t = super::rust_type::value_type(svc, target);
            if sparse {
                quote!(Option<#t>)
            } else {
                t
            }
        };
        let (elem, collect) = match &svc.shape(&m.target).kind {
            ShapeKind::List { member, sparse } => (element(&member.target, *sparse), quote!()),
            ShapeKind::Map { value, sparse, .. } => {
                let v = element(&value.target, *sparse);
                (quote!((String, #v)), quote!(.into_iter().collect()))
            }
            _ => return None,
        };
        let take = if super::rust_type::is_optional(m, false) {
            quote!(out.#f.unwrap_or_default() #collect)
        } else {
            quote!(out.#f #collect)
        };
        let doc = docs::lines(&format!("Every {} item of every page, in order.", docs::code(&m.name)));
        Some(quote! {
            #doc
            pub fn items(self) -> #ITEM_PAGINATOR<#output_ty, crate::error::SdkError<#error>, #elem> {
                self.pages().items(|out: #output_ty| #take)
            }
        })
    });
    let doc = docs::lines(&format!(
        "Pages of {}: follows {} until the service returns none; a token the service already returned ends the pages.",
        docs::code(&op.name),
        docs::code(&p.output_token)
    ));
    // aws-sdk's `page_size`: sets the input member that limits a page.
    let page_size = match &p.page_size {
        Some(name) => input_member(name).map(|m| {
            let set = names::setter(m);
            let ty = super::rust_type::member_value_type(svc, m, true);
            let doc = docs::lines(&format!(
                "Sets the page size ({}), replacing any value set on the call.",
                docs::code(&m.name)
            ));
            quote! {
                #doc
                pub fn page_size(mut self, limit: #ty) -> Self {
                    self.fluent.inner = self.fluent.inner.#set(Some(limit));
                    self
                }
            }
        }),
        None => None,
    };
    quote! {
        // The token or page-size members may be deprecated.
        #[allow(deprecated)]
        impl #fluent {
            /// Every page of results instead of one.
            pub fn into_paginator(self) -> #pag {
                #pag { fluent: self }
            }
        }

        #doc
        #[derive(Debug, Clone)]
        pub struct #pag {
            fluent: #fluent,
        }

        #[allow(deprecated)]
        impl #pag {
            /// The pages, as aws-sdk's stream: `next().await` until `None`, or
            /// `collect::<Result<Vec<_>, _>>().await`. Nothing is sent until the
            /// first page is asked for; an error ends the pages.
            pub fn send(self) -> crate::pagination::PaginationStream<Result<#output_ty, crate::error::SdkError<#error>>> {
                #PAGINATION_STREAM::from_pages(self.pages())
            }

            #page_size

            /// Accepted for aws-sdk compatibility: pages always stop at a token
            /// the service already returned (not only the last one), so that
            /// they cannot loop.
            pub fn stop_on_duplicate_token(self, _stop: bool) -> Self {
                self
            }

            /// The pages with `next_page().await`; a token the service already
            /// returned is an error ([`PaginationError::RepeatedToken`](crate::pagination::PaginationError::RepeatedToken)).
            pub fn pages(self) -> #PAGINATOR<#output_ty, crate::error::SdkError<#error>> {
                let fluent = self.fluent;
                #PAGINATOR::new(
                    move |token: Option<String>| {
                        let mut next = fluent.clone();
                        // The first page goes out as the caller built it (their token, if any).
                        if token.is_some() {
                            next.inner = next.inner.#set_token(token);
                        }
                        next.send()
                    },
                    |out: &#output_ty| #next_token,
                )
            }

            #items_fn
        }
    }
}
