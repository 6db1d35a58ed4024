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

/// The flag of the work this thread is doing, for work that outlives the
/// poll (a Python UDF's worker, killed when the operation is interrupted).
pub fn current_flag() -> Option<Arc<AtomicBool>> {
    CURRENT.with(|c| c.borrow().clone())
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
        let _current = CurrentFlag::set(self.flag.clone());
        self.inner.as_mut().poll(cx)
    }
}

/// The thread's flag while it lives; the previous one again when dropped,
/// also when the poll panics (the thread goes on serving other work).
struct CurrentFlag(Option<Arc<AtomicBool>>);

impl CurrentFlag {
    fn set(flag: Arc<AtomicBool>) -> Self {
        Self(CURRENT.with(|c| c.replace(Some(flag))))
    }
}

impl Drop for CurrentFlag {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_poll_leaves_no_flag_behind() {
        let flag = Arc::new(AtomicBool::new(true));
        let panicking = Cancellable::new(flag, async { panic!("boom") });
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let waker = std::task::Waker::noop();
            let mut cx = Context::from_waker(waker);
            let mut f = Box::pin(panicking);
            let _ = f.as_mut().poll(&mut cx);
        }));
        assert!(result.is_err());
        assert!(!is_cancelled());
    }
}
