//! Python's `threading.excepthook`: what happens when a started thread panics.

use super::Thread;
use crate::rt::bookkeeping::{Arc, RwLock};
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

type Hook = dyn Fn(&ExceptHookArgs<'_>) + Send + Sync + 'static;

/// The installed hook; `None`: [`default_excepthook`]. Process-wide, like Python's and like
/// `std::panic::set_hook`.
static HOOK: RwLock<Option<Arc<Hook>>> = RwLock::new(None);

/// What [`set_excepthook`]'s hook is told about a thread that panicked (Python's
/// `ExceptHookArgs`, with the panic payload for the exception).
#[derive(Clone, Copy)]
pub struct ExceptHookArgs<'a> {
    thread: &'a Thread,
    payload: &'a (dyn Any + Send),
}

impl<'a> ExceptHookArgs<'a> {
    /// The thread that panicked.
    pub fn thread(&self) -> &'a Thread {
        self.thread
    }

    /// The panic's message, if it was a string (`panic!("...")`, a failed `assert!`).
    pub fn message(&self) -> Option<&'a str> {
        message(self.payload)
    }

    /// The panic payload, as `std::thread::JoinHandle::join` would return it.
    pub fn payload(&self) -> &'a (dyn Any + Send) {
        self.payload
    }
}

impl std::fmt::Debug for ExceptHookArgs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExceptHookArgs")
            .field("thread", self.thread)
            .field("message", &self.message())
            .finish()
    }
}

/// The text of a panic payload, if it is one.
pub(super) fn message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Calls `hook` whenever a thread started through threadcheck panics, with the thread and
/// the panic, before the panic reaches [`super::JoinHandle::join`] (Python's
/// `threading.excepthook = hook`). Replaces the previous hook; process-wide.
///
/// The hook runs on the panicking thread, which is still alive and listed while it runs (as in
/// Python). Rust's panic hook has already reported the panic by then (`thread 'NAME' panicked
/// at ...`); this one is per thread and knows the [`Thread`]. A hook that panics is ignored.
/// Under loom and shuttle the hook runs inside the model, and a checker failure met while a
/// thread runs (loom reports a deadlock by panicking in the thread that blocked last) reaches
/// it too.
///
/// # Examples
/// ```
/// use std::sync::{Arc, Mutex};
/// use threadcheck::thread;
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let s = seen.clone();
/// thread::set_excepthook(Box::new(move |args| {
///     s.lock().unwrap().push(format!("{}: {}", args.thread().name(), args.message().unwrap()));
/// }));
/// let h = thread::Builder::new().name("worker").spawn(|| panic!("boom"));
/// assert!(h.join().is_err());
/// drop(thread::take_excepthook());
/// assert_eq!(*seen.lock().unwrap(), ["worker: boom"]);
/// ```
pub fn set_excepthook(hook: Box<Hook>) {
    *HOOK.write() = Some(Arc::from(hook));
}

/// Removes the hook [`set_excepthook`] installed and returns it; [`default_excepthook`] is
/// used from now on (`std::panic::take_hook`'s counterpart).
pub fn take_excepthook() -> Box<Hook> {
    match HOOK.write().take() {
        Some(h) => Box::new(move |args: &ExceptHookArgs<'_>| h(args)),
        None => Box::new(default_excepthook),
    }
}

/// The hook used until [`set_excepthook`] is called (Python's `threading.__excepthook__`):
/// prints `Exception in thread NAME: MESSAGE` on stderr. Inside a run of
/// [`crate::model()`] it stays quiet unless `THREADCHECK_VERBOSE` is set: the run's
/// failure report carries the panic.
pub fn default_excepthook(args: &ExceptHookArgs<'_>) {
    if crate::check::capturing() && std::env::var_os("THREADCHECK_VERBOSE").is_none() {
        return;
    }
    eprintln!(
        "Exception in thread {}: {}",
        args.thread().name(),
        args.message().unwrap_or("<non-string panic payload>")
    );
}

/// `thread` is unwinding with `payload`: tell the hook.
pub(super) fn report(thread: &Thread, payload: &(dyn Any + Send)) {
    let hook = HOOK.read().clone();
    let args = ExceptHookArgs { thread, payload };
    // Python falls back to printing when the hook raises; a hook's panic is its own (Rust's
    // panic hook reported it), and must not replace the thread's.
    let _ = catch_unwind(AssertUnwindSafe(|| match hook {
        Some(h) => h(&args),
        None => default_excepthook(&args),
    }));
}
