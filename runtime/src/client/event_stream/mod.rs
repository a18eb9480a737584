//! Event streams: bodies made of `application/vnd.amazon.eventstream` frames.
//!
//! - Outputs (e.g. Lambda `InvokeWithResponseStream`, Bedrock
//!   `ConverseStream`): the response body, read one event at a time as the
//!   frames arrive, with an [`EventReceiver`].
//! - Inputs (bidirectional operations, e.g. Bedrock
//!   `InvokeModelWithBidirectionalStream`, Lex `StartConversation`): the
//!   request body, a stream of events the caller produces while it reads the
//!   response; see [`EventStreamSender`] and [`EventStreamBody`] below.
//!
//! The two halves sit side by side on a shared codec, and nothing below
//! them knows they exist:
//!
//! - `message.rs`: the frame codec both use ([`Message`], [`HeaderValue`],
//!   [`header`], [`decode_frames`]).
//! - `output.rs`: reading ([`EventReceiver`], [`EventStreamError`]).
//! - `input.rs`: sending ([`EventStreamSender`], [`EventSink`],
//!   [`EventStreamBody`], [`EventStreamFrames`]), and the event-stream
//!   methods of [`HttpRequest`](crate::client::HttpRequest), which carries
//!   the body as a neutral streaming body.
//! - `signer.rs`: the SigV4 chained signatures of an input's messages.
//!
//! # Outputs
//!
//! A generated operation with an event-stream output calls
//! [`Runtime::dispatch_streaming`](crate::client::Runtime::dispatch_streaming),
//! and its [`Reply::parse`](crate::client::Reply::parse) wraps the body
//! stream of a 2xx response in an [`EventReceiver`], with a generated
//! function that turns each [`Message`] into the stream's event type `T`
//! (after its `:event-type`) or modeled error `E` (after its
//! `:exception-type`). Frame decoding and checksums are done by the
//! `aws-smithy-eventstream` crate; only the codec and the signer name its
//! types.
//!
//! ```
//! use awsrt::client::event_stream::{header, EventReceiver, EventStreamError, HeaderValue, Message};
//! use awsrt::client::{BodyStream, BoxError, HttpResponse, TestTransport};
//!
//! #[derive(Debug, PartialEq)]
//! enum Event { Chunk(Vec<u8>, Option<i32>), End }
//! #[derive(Debug, PartialEq)]
//! struct Failed(String);
//!
//! // What the generator writes for a stream's union.
//! fn unmarshal(message: &Message) -> Result<Result<Event, Failed>, BoxError> {
//!     match (message.message_type(), message.event_type(), message.exception_type()) {
//!         (Some("event"), Some("Chunk"), _) => Ok(Ok(Event::Chunk(
//!             message.payload().to_vec(),
//!             header::<i32>(message, "seq")?,
//!         ))),
//!         (Some("event"), Some("End"), _) => Ok(Ok(Event::End)),
//!         (Some("exception"), _, Some(code)) => Ok(Err(Failed(code.to_owned()))),
//!         _ => Err(format!("unexpected event-stream message {message:?}").into()),
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let event = |kind: &str| {
//!     Message::new(&b"hi"[..])
//!         .with_header(":message-type", HeaderValue::String("event".into()))
//!         .with_header(":event-type", HeaderValue::String(kind.into()))
//! };
//! let mut body = Vec::new();
//! body.extend_from_slice(&event("Chunk").with_header("seq", HeaderValue::Int32(1)).encode().unwrap());
//! body.extend_from_slice(&event("End").encode().unwrap());
//!
//! // A transport serving the frames in 5-byte chunks stands in for the network.
//! let transport = TestTransport::new();
//! let chunks = body.chunks(5).map(bytes::Bytes::copy_from_slice).collect();
//! transport.push_streaming_response(HttpResponse::new(200), chunks);
//! # use awsrt::client::{HttpRequest, HttpTransport, Method};
//! let response = transport.send_streaming(HttpRequest::new(Method::Post, "/")).await.unwrap();
//! let (_head, stream) = response.into_parts();
//!
//! let mut events = EventReceiver::new(stream, unmarshal);
//! assert_eq!(events.recv().await.unwrap(), Some(Event::Chunk(b"hi".to_vec(), Some(1))));
//! assert_eq!(events.recv().await.unwrap(), Some(Event::End));
//! assert_eq!(events.recv().await.unwrap(), None);
//! # });
//! ```
//!
//! # Inputs
//!
//! A generated operation with an event-stream input takes an
//! [`EventStreamSender`] from the caller, turns it into an
//! [`EventStreamBody`] with [`EventStreamSender::into_body`] and a generated
//! function marshalling each event into a [`Message`], and puts it on the
//! request with
//! [`HttpRequest::set_event_stream`](crate::client::HttpRequest::set_event_stream);
//! it then calls [`Runtime::dispatch_streaming`](crate::client::Runtime::dispatch_streaming)
//! as for an output, which returns as soon as the response head arrives, so
//! the caller reads the response's events while it still sends its own.
//!
//! The request is signed with `x-amz-content-sha256:
//! STREAMING-AWS4-HMAC-SHA256-EVENTS`; each message is then wrapped in a
//! message with `:date` and `:chunk-signature` headers and signed with SigV4
//! chained signatures (seeded with the request's signature, with the same
//! credentials, region and signing name, at the config's
//! [`TimeSource`](crate::client::TimeSource)'s time), and a final signed
//! empty message ends the body. AWS requires HTTP/2 for these operations:
//! with this feature [`HyperTransport`](crate::client::HyperTransport)
//! offers it through ALPN.
//!
//! An event-stream request is sent at most once once its body was taken by a
//! transport: a failure before that (e.g. the connection could not be made)
//! is retried as usual, any later one is not.
//!
//! ```
//! use awsrt::client::event_stream::{
//!     decode_frames, channel, EventReceiver, EventStreamSender, HeaderValue, Message,
//! };
//! use awsrt::client::{
//!     BoxError, Config, Credentials, ErrorMetadata, HttpRequest, HttpResponse, Method,
//!     OperationMeta, Runtime, ServiceMeta, TestTransport, UnhandledError,
//! };
//! # static SERVICE: ServiceMeta = ServiceMeta {
//! #     sdk_id: "example", signing_name: "example", api_version: "2024-01-01",
//! #     endpoint_rule_set: r#"{"version": "1.0", "parameters": {
//! #         "Region": {"type": "String", "builtIn": "AWS::Region"}},
//! #         "rules": [{"conditions": [], "endpoint": {"url": "https://example.{Region}.amazonaws.com"},
//! #                    "type": "endpoint"}]}"#,
//! #     partitions: r#"{"partitions": []}"#,
//! #     region_matcher: |_, _| None,
//! # };
//! # static CHAT: OperationMeta = OperationMeta {
//! #     name: "Chat", retryable_errors: &[], throttling_errors: &[], errors: &[], checksum_required: false, request_compression: false,
//! # };
//!
//! // What the generator writes for the input stream's union.
//! fn marshal(text: String) -> Result<Message, BoxError> {
//!     Ok(Message::new(text.into_bytes())
//!         .with_header(":message-type", HeaderValue::String("event".into()))
//!         .with_header(":event-type", HeaderValue::String("Text".into()))
//!         .with_header(":content-type", HeaderValue::String("text/plain".into())))
//! }
//!
//! // ... and for the operation.
//! async fn chat(
//!     rt: &Runtime,
//!     input: EventStreamSender<String, BoxError>,
//! ) -> Result<EventReceiver<String, UnhandledError>, awsrt::client::SdkError<UnhandledError>> {
//!     let mut request = HttpRequest::new(Method::Post, "/chat");
//!     request.set_event_stream(input.into_body(marshal));
//!     rt.dispatch_streaming(request, &CHAT).await?.parse(
//!         |_head: &HttpResponse, body| {
//!             Ok::<_, BoxError>(EventReceiver::new(body, |m| {
//!                 Ok(Ok(String::from_utf8_lossy(m.payload()).into_owned()))
//!             }))
//!         },
//!         |resp: &HttpResponse, meta: ErrorMetadata| UnhandledError::new(resp.status(), meta),
//!     )
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let transport = TestTransport::new();
//! let reply = marshal("hi there".into()).unwrap().encode().unwrap();
//! transport.push_streaming_response(HttpResponse::new(200), vec![reply]);
//! let config = Config::builder()
//!     .region("us-west-2")
//!     .credentials(Credentials::from_keys("AKID", "SECRET", None))
//!     .transport(transport.clone())
//!     .build()
//!     .unwrap();
//! let rt = Runtime::new(config, &SERVICE);
//!
//! let (input, sink) = channel(4);
//! sink.send("hello".to_owned()).await.unwrap();
//! let mut replies = chat(&rt, input).await.unwrap();
//! assert_eq!(replies.recv().await.unwrap().as_deref(), Some("hi there"));
//! sink.send("bye".to_owned()).await.unwrap();
//! drop(sink); // ends the input stream
//!
//! // Each event went out wrapped in a signed message, then a final empty one.
//! let sent = transport.sent_event_stream(0).await.unwrap();
//! let frames = decode_frames(&sent).unwrap();
//! assert_eq!(frames.len(), 3);
//! let first = &decode_frames(frames[0].payload()).unwrap()[0];
//! assert_eq!((first.event_type(), first.payload()), (Some("Text"), &b"hello"[..]));
//! assert!(frames[2].payload().is_empty());
//! # });
//! ```

mod input;
mod message;
mod output;
mod signer;

pub use self::input::{
    channel, EventSink, EventSinkClosed, EventStreamBody, EventStreamFrames, EventStreamSender,
};
pub use self::message::{decode_frames, header, FromEventHeader, HeaderValue, Message};
pub use self::output::{EventReceiver, EventStreamError, Unmarshal};
pub(crate) use self::signer::EventStreamSigner;
