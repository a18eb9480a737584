//! Pagination: stream pages (and their items) until the service stops
//! returning a next token.
//!
//! Generated code supplies the page fetcher (send the operation with the
//! given token) and the token getter; the paginator does the rest and stops
//! with [`PaginationError::RepeatedToken`] if the service hands back a token
//! it already used, which would otherwise loop forever.
//!
//! ```
//! # tokio_test_block_on(async {
//! use awsrt::client::Paginator;
//! // A fake service: three pages of numbers.
//! let pages = Paginator::new(
//!     |token: Option<String>| async move {
//!         let page = token.map_or(0, |t| t.parse::<u32>().unwrap_or(0));
//!         let next = (page < 2).then(|| (page + 1).to_string());
//!         Ok::<_, std::convert::Infallible>((vec![page * 10, page * 10 + 1], next))
//!     },
//!     |page: &(Vec<u32>, Option<String>)| page.1.as_deref(),
//! );
//! let items = pages.items(|page| page.0).collect().await.unwrap();
//! assert_eq!(items, [0, 1, 10, 11, 20, 21]);
//! # });
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```

use std::collections::{HashSet, VecDeque};
use std::error::Error;
use std::fmt;
use std::future::Future;

use crate::client::boxed::BoxFuture;

type Fetch<O, E> = Box<dyn FnMut(Option<String>) -> BoxFuture<'static, Result<O, E>> + Send>;

/// Pages of an operation's output `O`; `E` is the operation's error.
pub struct Paginator<O, E> {
    fetch: Fetch<O, E>,
    next_token: fn(&O) -> Option<&str>,
    state: State,
    used_tokens: HashSet<String>,
    /// A repeated token ends the pages after its page instead of being an error.
    end_at_repeat: bool,
}

enum State {
    /// The first page has not been fetched.
    Start,
    /// The next page is fetched with this token.
    Next(String),
    /// No more pages (or an error ended the stream).
    Done,
}

impl<O, E> Paginator<O, E> {
    /// Pages fetched by `fetch` (called with `None` for the first page, then
    /// with each next token), ending when `next_token` returns `None` or an
    /// empty token.
    pub fn new<F, Fut>(mut fetch: F, next_token: fn(&O) -> Option<&str>) -> Self
    where
        F: FnMut(Option<String>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<O, E>> + Send + 'static,
    {
        Paginator {
            fetch: Box::new(move |token| Box::pin(fetch(token))),
            next_token,
            state: State::Start,
            used_tokens: HashSet::new(),
            end_at_repeat: false,
        }
    }

    /// The next page; `None` once the last page was returned or after an error.
    pub async fn next_page(&mut self) -> Option<Result<O, PaginationError<E>>> {
        let token = match std::mem::replace(&mut self.state, State::Done) {
            State::Done => return None,
            State::Start => None,
            State::Next(token) => Some(token),
        };
        if let Some(token) = &token {
            self.used_tokens.insert(token.clone());
        }
        let page = match (self.fetch)(token).await {
            Ok(page) => page,
            Err(e) => return Some(Err(PaginationError::Service(e))),
        };
        match (self.next_token)(&page).filter(|t| !t.is_empty()) {
            None => {}
            Some(next) if self.used_tokens.contains(next) => {
                if !self.end_at_repeat {
                    return Some(Err(PaginationError::RepeatedToken(next.to_owned())));
                }
                tracing::debug!(
                    token = next,
                    "pagination ends: the service repeated a token"
                );
            }
            Some(next) => self.state = State::Next(next.to_owned()),
        }
        Some(Ok(page))
    }

    /// All pages, or the first error.
    pub async fn collect(mut self) -> Result<Vec<O>, PaginationError<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next_page().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// The items of every page, taken out of each page by `items`.
    pub fn items<T>(self, items: fn(O) -> Vec<T>) -> ItemPaginator<O, E, T> {
        ItemPaginator {
            pages: self,
            items,
            buffer: VecDeque::new(),
        }
    }
}

impl<O, E> fmt::Debug for Paginator<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Start => "start",
            State::Next(_) => "next",
            State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("state", &state)
            .field("pages_fetched", &self.used_tokens.len())
            .finish()
    }
}

/// The items of a [`Paginator`]'s pages, one at a time.
pub struct ItemPaginator<O, E, T> {
    pages: Paginator<O, E>,
    items: fn(O) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<O, E, T> ItemPaginator<O, E, T> {
    /// The next item, fetching pages as needed (skipping empty ones).
    pub async fn next_item(&mut self) -> Option<Result<T, PaginationError<E>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next_page().await? {
                Ok(page) => self.buffer.extend((self.items)(page)),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// All items, or the first error.
    pub async fn collect(mut self) -> Result<Vec<T>, PaginationError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next_item().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<O, E, T> fmt::Debug for ItemPaginator<O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemPaginator")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

/// A stream of pages (or items) as aws-sdk's `PaginationStream`: `next().await`
/// until `None`, or `collect::<Result<Vec<_>, _>>().await`. Nothing is sent
/// until the first `next`.
///
/// Made from a [`Paginator`] with [`PaginationStream::from_pages`]: the
/// operation's errors end the stream after being yielded, and a page whose
/// next token the service already returned is the last (aws-sdk's
/// `stop_on_duplicate_token`, here for any repeat, not only the last token),
/// so it cannot loop forever.
pub struct PaginationStream<Item> {
    next: Box<dyn NextItem<Item>>,
}

trait NextItem<Item>: Send {
    fn next_item(&mut self) -> BoxFuture<'_, Option<Item>>;
}

struct Pages<O, E>(Paginator<O, E>);

impl<O: Send + 'static, E: Send + 'static> NextItem<Result<O, E>> for Pages<O, E> {
    fn next_item(&mut self) -> BoxFuture<'_, Option<Result<O, E>>> {
        Box::pin(async move {
            match self.0.next_page().await? {
                Ok(page) => Some(Ok(page)),
                Err(PaginationError::Service(e)) => Some(Err(e)),
                // Not produced: `from_pages` ends the pages at a repeated token.
                Err(PaginationError::RepeatedToken(_)) => None,
            }
        })
    }
}

impl<O: Send + 'static, E: Send + 'static> PaginationStream<Result<O, E>> {
    /// The pages of `pages`, as a stream: a page whose next token was
    /// already used is the last one.
    pub fn from_pages(mut pages: Paginator<O, E>) -> Self {
        pages.end_at_repeat = true;
        PaginationStream {
            next: Box::new(Pages(pages)),
        }
    }
}

impl<Item> PaginationStream<Item> {
    /// The next page, or `None` at the end.
    pub async fn next(&mut self) -> Option<Item> {
        self.next.next_item().await
    }

    /// Every remaining page, in a collection: `Vec<Result<O, E>>`, or
    /// `Result<Vec<O>, E>` (which stops at the first error).
    pub async fn collect<C: FromIterator<Item>>(mut self) -> C {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item);
        }
        all.into_iter().collect()
    }
}

impl<T, E> PaginationStream<Result<T, E>> {
    /// The next page, or the error.
    pub async fn try_next(&mut self) -> Result<Option<T>, E> {
        self.next().await.transpose()
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, E> {
        let mut all = Vec::new();
        while let Some(item) = self.try_next().await? {
            all.push(item);
        }
        Ok(all)
    }
}

impl<Item> fmt::Debug for PaginationStream<Item> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginationStream").finish_non_exhaustive()
    }
}

/// Why pagination stopped early.
#[derive(Debug)]
pub enum PaginationError<E> {
    /// Fetching a page failed.
    Service(E),
    /// The service returned a next token that was already used.
    RepeatedToken(String),
}

impl<E: fmt::Display> fmt::Display for PaginationError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaginationError::Service(e) => e.fmt(f),
            PaginationError::RepeatedToken(token) => {
                write!(f, "the service returned the pagination token `{token}` twice; stopping to avoid a loop")
            }
        }
    }
}

impl<E: Error + 'static> Error for PaginationError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            PaginationError::Service(e) => Some(e),
            PaginationError::RepeatedToken(_) => None,
        }
    }
}
