//! Threads as in Python's `threading`: start them, name them, ask who is alive, join with a
//! timeout, keep per-thread state, and hear about the ones that panic.
//!
//! | Python                               | threadcheck                                        |
//! |--------------------------------------|----------------------------------------------------|
//! | `threading.Thread(target=f).start()` | [`spawn(f)`](spawn), [`Builder`]                   |
//! | `current_thread()`, `main_thread()`  | [`current()`], [`main_thread()`]                   |
//! | `.name`, `.ident`, `.daemon`         | [`Thread::name`], [`Thread::ident`], [`Thread::is_daemon`] |
//! | `enumerate()`, `active_count()`      | [`enumerate()`], [`active_count()`]                |
//! | `t.join()`, `t.join(timeout)`        | [`JoinHandle::join`], [`JoinHandle::join_timeout`] |
//! | `t.is_alive()`                       | [`JoinHandle::is_alive`], [`Thread::is_alive`]     |
//! | `threading.local()`                  | [`Local`]                                          |
//! | `threading.excepthook`               | [`set_excepthook`]                                 |
//! | (interpreter exit joins non-daemons) | [`join_non_daemon()`]                              |
//!
//! Spawn model threads through this module rather than std's, loom's or shuttle's
//! `thread::spawn`: it picks the build's backend, tells the model clock how many threads are
//! alive (time passes on its own only when every one of them is blocked), and keeps the
//! registry `enumerate` reads. The registry is unmodelled bookkeeping that loom and shuttle
//! explore all the same (see `registry.rs`); it costs a model that never reads it nothing.
//!
//! # Differences from Python's `threading`
//! - **Which threads are listed.** `enumerate()` lists the main thread and the threads
//!   started through threadcheck that have not finished. A thread started any other way gets
//!   a `Thread` from [`current()`] (Python's "dummy" thread: always alive, named after the
//!   backend's thread name or `Dummy-N`) but is not listed; Python lists dummies.
//! - **Dummy threads are not daemons** (Python's are, and pass it on): every `cargo test`
//!   runs on such a thread, and the threads a test starts should be waited for by
//!   [`join_non_daemon()`] like the main thread's.
//! - **Which thread is main.** In production, the process's main thread (std's `main`); a
//!   `cargo test` test runs on a thread of its own, which is a dummy. Under
//!   [`crate::model()`], the thread running each execution's body. Under plain `loom::model`
//!   or `shuttle::check_*`, the first thread to use this module in an execution (the body's,
//!   unless a thread spawned around threadcheck gets there first). The main thread counts as
//!   alive for the whole program (execution).
//! - **Idents** are small numbers, `1` for the main thread, unique within a program (an
//!   execution under the checkers, so they are the same on every schedule) and never reused;
//!   Python's may be reused after a thread exits.
//! - **A panic** is not an exception a thread can die of quietly: [`JoinHandle::join`]
//!   returns it as `Err` (Python's `join` returns `None`). Under loom and shuttle a panic in
//!   any thread fails the execution, as an assertion does.

mod builder;
mod excepthook;
mod local;
mod registry;

pub use builder::{Builder, JoinHandle, JoinTimeoutError};
pub use excepthook::{default_excepthook, set_excepthook, take_excepthook, ExceptHookArgs};
pub use local::Local;

use crate::clock::ThreadExit;
use crate::rt;
use crate::rt::bookkeeping::{Arc, AtomicBool};
use registry::Registry;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A thread's identity: name, ident, daemon flag, and whether it is still alive (Python's
/// `threading.Thread` object, for a thread that has been started).
///
/// Cheap to clone; two `Thread`s are equal when they are the same thread.
///
/// # Examples
/// ```
/// use threadcheck::thread;
/// let h = thread::Builder::new().name("worker").spawn(|| thread::current().name().to_owned());
/// let worker = h.thread().clone();
/// assert_eq!(h.join().unwrap(), "worker");
/// assert_eq!(worker.name(), "worker");
/// assert!(!worker.is_alive());
/// ```
#[derive(Clone)]
pub struct Thread(Arc<Inner>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Main,
    /// Started through [`Builder::spawn`]; listed by `enumerate` while alive.
    Started,
    /// Started by threadcheck for itself (the timer service): never listed.
    Internal,
    /// Not started through threadcheck.
    Dummy,
}

struct Inner {
    generation: u64,
    ident: u64,
    name: String,
    daemon: bool,
    kind: Kind,
    alive: AtomicBool,
    exit: Option<ThreadExit>,
    /// loom under `threadcheck::model`: the modelled atomic its exit and readers touch.
    slot: Option<Arc<rt::sync::atomic::AtomicBool>>,
}

impl Thread {
    fn new(
        generation: u64,
        ident: u64,
        name: String,
        daemon: bool,
        kind: Kind,
        exit: Option<ThreadExit>,
        slot: Option<Arc<rt::sync::atomic::AtomicBool>>,
    ) -> Thread {
        Thread(Arc::new(Inner {
            generation,
            ident,
            name,
            daemon,
            kind,
            alive: AtomicBool::new(true),
            exit,
            slot,
        }))
    }

    /// The thread's name: the one it was given, else `Thread-N` (the N-th unnamed thread
    /// started), `MainThread` for the main thread.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// A nonzero number that identifies the thread in its program (Python's `ident`): `1` for
    /// the main thread, never reused.
    pub fn ident(&self) -> u64 {
        self.0.ident
    }

    /// Whether the thread is a daemon: [`join_non_daemon`] does not wait for it. Set by
    /// [`Builder::daemon`], else inherited from the thread that started it; the main thread
    /// (and a thread not started through threadcheck) is not a daemon.
    pub fn is_daemon(&self) -> bool {
        self.0.daemon
    }

    /// Whether the thread has not finished yet: true from the moment `spawn` returns until
    /// the thread's closure has returned (or unwound) and its excepthook has run. A thread
    /// seen not alive has all its effects visible to the caller, as after a join.
    pub fn is_alive(&self) -> bool {
        Registry::is_alive(self)
    }

    /// Whether this is the thread's main thread.
    fn is_main(&self) -> bool {
        self.0.kind == Kind::Main
    }
}

impl PartialEq for Thread {
    fn eq(&self, other: &Thread) -> bool {
        (self.0.generation, self.0.ident) == (other.0.generation, other.0.ident)
    }
}

impl Eq for Thread {}

impl Hash for Thread {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self.0.generation, self.0.ident).hash(h)
    }
}

impl fmt::Debug for Thread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Thread")
            .field("name", &self.0.name)
            .field("ident", &self.0.ident)
            .field("daemon", &self.0.daemon)
            .finish()
    }
}

/// What a thread knows about itself, in the backend's own thread-local (loom and shuttle
/// threads share one OS thread, so a `std::thread_local!` would be shared by all of them).
pub(crate) struct Binding {
    thread: Thread,
    registry: Arc<Registry>,
    /// The main thread holds its program's token; model builds tell a new execution's main
    /// thread from a dummy by it (see `bind_unbound`).
    _main_token: Option<Arc<()>>,
}

/// Runs `f` with the calling thread and its program's registry, binding the thread first if
/// it never asked before (the main thread, or a thread not started through threadcheck).
fn with_bound<R>(f: impl FnOnce(&Thread, &Arc<Registry>) -> R) -> R {
    if let Some((t, r)) =
        rt::thread::with_binding(|b| b.as_ref().map(|b| (b.thread.clone(), b.registry.clone())))
    {
        return f(&t, &r);
    }
    let (t, r) = bind_unbound();
    f(&t, &r)
}

fn bind(thread: Thread, registry: Arc<Registry>, main_token: Option<Arc<()>>) {
    rt::thread::with_binding(|b| {
        *b = Some(Binding {
            thread,
            registry,
            _main_token: main_token,
        })
    });
}

/// Production: one registry for the process; the main thread is std's `main`.
#[cfg(not(threadcheck_model))]
fn bind_unbound() -> (Thread, Arc<Registry>) {
    static REGISTRY: rt::bookkeeping::OnceLock<Arc<Registry>> = rt::bookkeeping::OnceLock::new();
    let r = REGISTRY.get_or_init(|| Registry::new(false, false)).clone();
    let t = if rt::thread::is_process_main() {
        r.main().clone()
    } else {
        r.dummy(rt::thread::current_name())
    };
    bind(t.clone(), r.clone(), None);
    (t, r)
}

#[cfg(threadcheck_model)]
std::thread_local! {
    /// The current execution's registry on this OS thread, and its main thread's token.
    static EXECUTION: std::cell::RefCell<Option<(Arc<Registry>, rt::bookkeeping::Weak<()>)>> =
        const { std::cell::RefCell::new(None) };
    /// The checker on this OS thread searches with a preemption bound (see `registry.rs`).
    static BOUNDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tells the registry that the loom runs on this OS thread are (or are no longer)
/// preemption-bounded; set around each run by the loom runner.
#[cfg(threadcheck_model)]
#[allow(dead_code)] // the loom runner's
pub(crate) fn set_preemption_bounded(bounded: bool) {
    BOUNDED.with(|b| b.set(bounded));
}

/// Model builds: one registry per execution. Under `threadcheck::model` the main thread is
/// bound by [`begin_execution`]. Otherwise (plain `loom::model`, `shuttle::check_*`) the first
/// unbound thread of an execution is its main thread: the previous execution's main thread
/// has dropped its token with its thread-locals.
#[cfg(threadcheck_model)]
fn bind_unbound() -> (Thread, Arc<Registry>) {
    let current = EXECUTION.with(|e| {
        e.borrow()
            .as_ref()
            .filter(|(_, token)| token.strong_count() > 0)
            .map(|(r, _)| r.clone())
    });
    let (t, r, token) = match current {
        Some(r) => (r.dummy(rt::thread::current_name()), r, None),
        None => {
            let r = Registry::new(false, false);
            let token = Arc::new(());
            let weak = Arc::downgrade(&token);
            EXECUTION.with(|e| *e.borrow_mut() = Some((r.clone(), weak)));
            (r.main().clone(), r, Some(token))
        }
    };
    bind(t.clone(), r.clone(), token);
    (t, r)
}

/// Called by the harness on the main thread as each execution of `threadcheck::model` starts
/// (after the clock's): a fresh registry, with loom's modelled atomics created before anything
/// is spawned, and the calling thread as its main thread.
#[cfg(threadcheck_model)]
pub(crate) fn begin_execution() {
    let r = Registry::new(rt::DPOR, !BOUNDED.with(|b| b.get()));
    let token = Arc::new(());
    EXECUTION.with(|e| *e.borrow_mut() = Some((r.clone(), Arc::downgrade(&token))));
    bind(r.main().clone(), r, Some(token));
}

/// The calling thread (Python's `threading.current_thread()`).
///
/// # Examples
/// ```
/// use threadcheck::thread;
/// let me = thread::current();
/// assert_eq!(me, thread::current());
/// let other = thread::spawn(|| thread::current().ident()).join().unwrap();
/// assert_ne!(other, me.ident());
/// ```
pub fn current() -> Thread {
    with_bound(|t, _| t.clone())
}

/// The program's main thread, named `MainThread` (Python's `threading.main_thread()`). See
/// the module docs for which thread that is in each build.
///
/// # Examples
/// ```
/// let main = threadcheck::thread::main_thread();
/// assert_eq!(main.name(), "MainThread");
/// assert_eq!(main.ident(), 1);
/// assert!(main.is_alive());
/// ```
pub fn main_thread() -> Thread {
    with_bound(|_, r| r.main().clone())
}

/// The main thread and every thread started through threadcheck that has not finished, in
/// start order (Python's `threading.enumerate()`): the set alive at one instant during the
/// call.
///
/// # Examples
/// ```
/// use threadcheck::thread;
/// use std::sync::mpsc;
/// let (tx, rx) = mpsc::channel::<()>();
/// let h = thread::spawn(move || rx.recv().unwrap());
/// let worker = h.thread().clone();
/// assert!(thread::enumerate().contains(&worker));
/// tx.send(()).unwrap();
/// h.join().unwrap();
/// assert!(!thread::enumerate().contains(&worker));
/// ```
pub fn enumerate() -> Vec<Thread> {
    with_bound(|_, r| r.enumerate())
}

/// How many threads [`enumerate()`] would list (Python's `threading.active_count()`).
///
/// # Examples
/// ```
/// assert!(threadcheck::thread::active_count() >= 1); // the main thread, at least
/// ```
pub fn active_count() -> usize {
    enumerate().len()
}

/// Waits until every non-daemon thread started through threadcheck has finished, as Python
/// does before the interpreter exits (`threading._shutdown`). Rust joins nothing at exit:
/// when `main` returns, the process ends and every thread with it, so call this at the end of
/// `main` to get Python's behaviour. Threads started while it waits are waited for too.
///
/// Under loom and shuttle every thread must finish before the execution ends anyway (a
/// thread blocked forever is reported as a deadlock, daemon or not); this waits for them at
/// the point of the call. Outside `threadcheck::model` the model clock is not running and
/// this panics, like any timed wait.
///
/// # Examples
/// ```
/// use threadcheck::thread;
/// let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
/// let d = done.clone();
/// drop(thread::spawn(move || d.store(true, std::sync::atomic::Ordering::SeqCst))); // detached
/// thread::join_non_daemon();
/// assert!(done.load(std::sync::atomic::Ordering::SeqCst));
/// ```
pub fn join_non_daemon() {
    let me = current();
    loop {
        let waiting: Vec<Thread> = enumerate()
            .into_iter()
            .filter(|t| !t.is_main() && !t.is_daemon() && *t != me)
            .collect();
        if waiting.is_empty() {
            return;
        }
        for t in waiting {
            if let Some(exit) = &t.0.exit {
                exit.join_until(None);
            }
        }
    }
}

/// Spawns a thread on the build's backend (std, loom or shuttle); see [`Builder`].
///
/// # Examples
/// ```
/// let h = threadcheck::thread::spawn(|| 1 + 1);
/// assert_eq!(h.join().unwrap(), 2);
/// ```
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new().spawn(f)
}

/// Yields to the scheduler (a scheduling point under loom and shuttle).
pub fn yield_now() {
    rt::thread::yield_now()
}
