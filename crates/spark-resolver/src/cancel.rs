//! Cooperative cancellation of the synchronous stages (resolution, which can
//! take long for hostile plans): a future wrapped in [`Cancellable`] makes
//! its cancellation flag visible to the code it runs, on whichever thread
//! polls it, and the resolver checks it as it walks the plan.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

thread_local! {
    static CURRENT: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Whether the work this thread is doing was cancelled.
pub fn is_cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(|f| f.load(Ordering::Relaxed)))
}

/// A future whose polls see `flag` through [`is_cancelled`].
pub struct Cancellable<F> {
    flag: Arc<AtomicBool>,
    inner: Pin<Box<F>>,
}

impl<F: Future> Cancellable<F> {
    pub fn new(flag: Arc<AtomicBool>, inner: F) -> Self {
        Self { flag, inner: Box::pin(inner) }
    }
}

impl<F: Future> Future for Cancellable<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let previous = CURRENT.with(|c| c.replace(Some(self.flag.clone())));
        let result = self.inner.as_mut().poll(cx);
        CURRENT.with(|c| *c.borrow_mut() = previous);
        result
    }
}
