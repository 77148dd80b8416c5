//! Starting a thread ([`Builder`]) and waiting for it ([`JoinHandle`]).

use super::{bind, excepthook, with_bound, Thread};
use crate::clock::{self, ThreadExit};
use crate::rt;
use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::Duration;

/// Thread factory: name, daemon flag (Python's `threading.Thread(name=..., daemon=...)`).
///
/// # Examples
/// ```
/// use threadcheck::thread::Builder;
/// let h = Builder::new().name("Thread-1").daemon(true).spawn(|| 7);
/// assert!(h.thread().is_daemon());
/// assert_eq!(h.join().unwrap(), 7);
/// ```
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
    daemon: Option<bool>,
    internal: bool,
}

impl Builder {
    /// A builder with no name set and the daemon flag inherited.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Names the thread; the name appears in counterexamples, panic messages and
    /// [`Thread::name`]. Unnamed threads are called `Thread-N`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Makes the thread a daemon (or not): [`super::join_non_daemon`] does not wait for
    /// daemons. Default: the daemon flag of the thread calling `spawn`.
    ///
    /// In Python, the interpreter joins every non-daemon thread before it exits. Rust joins
    /// nothing: when `main` returns, every thread ends with the process, daemon or not. So the
    /// flag means something only where a program asks for it, with `join_non_daemon`.
    pub fn daemon(mut self, daemon: bool) -> Self {
        self.daemon = Some(daemon);
        self
    }

    /// A thread threadcheck starts for itself (the timer service): counted by the model
    /// clock, never listed by `enumerate`.
    #[allow(dead_code)] // the production timer service runs on a plain thread
    pub(crate) fn internal(mut self) -> Self {
        self.internal = true;
        self
    }

    /// Starts the thread. It is alive and listed by [`super::enumerate`] as soon as this
    /// returns (Python's `start()` waits for the same).
    ///
    /// If `f` panics, the [excepthook](super::set_excepthook) is called with the thread
    /// and the panic, then the panic goes on unwinding: [`JoinHandle::join`] returns it.
    ///
    /// # Panics
    /// If the OS (or loom, past its 5 threads) refuses to start a thread.
    pub fn spawn<F, T>(self, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (daemon, registry) =
            with_bound(|parent, r| (self.daemon.unwrap_or(parent.is_daemon()), r.clone()));
        // The parent registers with the event trace before its child can.
        crate::trace::touch();
        let exit = ThreadExit::spawning();
        let thread = registry.new_thread(self.name, daemon, self.internal, exit.clone());
        let child = thread.clone();
        let child_exit = exit.clone();
        let parent_registry = registry.clone();
        let handle = rt::thread::spawn(Some(thread.name().to_owned()), move || {
            /// The child's last steps, on return and when unwinding: not alive any more, then
            /// the clock's exit (which wakes timed joiners).
            struct Exiting(Thread, std::sync::Arc<super::Registry>, ThreadExit);
            impl Drop for Exiting {
                fn drop(&mut self) {
                    self.1.exit(&self.0);
                    self.2.exited();
                }
            }
            bind(child.clone(), registry.clone(), None);
            registry.list(&child);
            let _exiting = Exiting(child.clone(), registry, child_exit);
            match catch_unwind(AssertUnwindSafe(|| crate::check::thread_body(None, f))) {
                Ok(v) => v,
                Err(payload) => {
                    excepthook::report(&child, &*payload);
                    resume_unwind(payload)
                }
            }
        });
        parent_registry.list(&thread);
        JoinHandle {
            handle,
            thread,
            exit,
        }
    }
}

/// An owned permission to join a started thread.
pub struct JoinHandle<T> {
    handle: rt::thread::JoinHandle<T>,
    thread: Thread,
    exit: ThreadExit,
}

impl<T> JoinHandle<T> {
    /// Waits for the thread to finish; `Err` carries its panic payload.
    ///
    /// # Panics
    /// If the calling thread is the one this handle joins (Python raises `RuntimeError`).
    pub fn join(self) -> std::thread::Result<T> {
        self.check_not_self();
        // The model clock counts a joining thread as blocked until the child exits.
        self.exit.joining();
        rt::thread::join(self.handle)
    }

    /// Waits at most `timeout` for the thread to finish (Python's `join(timeout)`), on
    /// threadcheck's clock: real time in production, model time under loom and shuttle.
    /// On timeout the handle comes back in [`JoinTimeoutError::Timeout`], to join again or
    /// drop (detach); a panic comes back in [`JoinTimeoutError::Panicked`].
    ///
    /// Python's `join(timeout)` returns `None` either way, and the caller asks `is_alive()`
    /// to tell which happened; here the result says it, and cannot be ignored.
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use threadcheck::thread::{self, JoinTimeoutError};
    /// let (tx, rx) = std::sync::mpsc::channel::<()>();
    /// let h = thread::spawn(move || rx.recv().unwrap());
    /// let h = match h.join_timeout(Duration::from_millis(10)) {
    ///     Err(JoinTimeoutError::Timeout(h)) => h, // still running: waits for the channel
    ///     _ => unreachable!(),
    /// };
    /// assert!(h.is_alive());
    /// tx.send(()).unwrap();
    /// h.join_timeout(Duration::from_secs(60)).unwrap();
    /// ```
    ///
    /// # Panics
    /// If the calling thread is the one this handle joins. Under loom and shuttle, outside
    /// [`crate::model()`] (no model clock to time out on).
    pub fn join_timeout(self, timeout: Duration) -> Result<T, JoinTimeoutError<T>> {
        self.check_not_self();
        if !self.exit.join_until(clock::deadline_after(timeout)) {
            return Err(JoinTimeoutError::Timeout(self));
        }
        self.join().map_err(JoinTimeoutError::Panicked)
    }

    /// Whether the thread has not finished yet (Python's `is_alive()`); see
    /// [`Thread::is_alive`].
    pub fn is_alive(&self) -> bool {
        self.thread.is_alive()
    }

    /// The thread this handle joins.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    fn check_not_self(&self) {
        if rt::thread::with_binding(|b| b.as_ref().is_some_and(|b| b.thread == self.thread)) {
            panic!(
                "threadcheck: {} cannot join itself (it would wait for itself forever)",
                self.thread.name()
            );
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("thread", &self.thread)
            .finish_non_exhaustive()
    }
}

/// Why [`JoinHandle::join_timeout`] returned without the thread's result.
pub enum JoinTimeoutError<T> {
    /// The thread was still running at the deadline: here is its handle back.
    Timeout(JoinHandle<T>),
    /// The thread panicked: its panic payload.
    Panicked(Box<dyn Any + Send + 'static>),
}

impl<T> JoinTimeoutError<T> {
    /// Whether the thread was still running at the deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, JoinTimeoutError::Timeout(_))
    }

    /// The handle, if the join timed out.
    pub fn into_handle(self) -> Option<JoinHandle<T>> {
        match self {
            JoinTimeoutError::Timeout(h) => Some(h),
            JoinTimeoutError::Panicked(_) => None,
        }
    }
}

impl<T> fmt::Debug for JoinTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinTimeoutError::Timeout(h) => f.debug_tuple("Timeout").field(h).finish(),
            JoinTimeoutError::Panicked(p) => f
                .debug_tuple("Panicked")
                .field(&excepthook::message(&**p))
                .finish(),
        }
    }
}

impl<T> fmt::Display for JoinTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinTimeoutError::Timeout(h) => {
                write!(f, "timed out waiting for {} to finish", h.thread.name())
            }
            JoinTimeoutError::Panicked(p) => match excepthook::message(&**p) {
                Some(m) => write!(f, "the thread panicked: {m}"),
                None => f.write_str("the thread panicked"),
            },
        }
    }
}

impl<T> std::error::Error for JoinTimeoutError<T> {}
