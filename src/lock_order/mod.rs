//! Lock-order checking: deadlocks reported before they happen.
//!
//! Every acquisition of a [`Lock`](crate::Lock), of an [`RLock`](crate::RLock) (its first
//! level), of a [`Condition`](crate::Condition)'s lock, and of a permit of a
//! [`Semaphore`](crate::Semaphore) or [`BoundedSemaphore`](crate::BoundedSemaphore) held
//! through its guard, made while the thread holds others, adds an "acquired while holding"
//! edge between the two lock instances. The acquisition that closes a cycle panics, before it
//! blocks, with the cycle's locks by name and, for each edge, the thread and the two source
//! locations (where it took the outer lock and where the inner one while holding it):
//!
//! ```text
//! potential deadlock (lock order): Lock A → Lock B → Lock A
//!   main took Lock B at src/main.rs:4:15 while holding Lock A (taken at src/main.rs:3:15)
//!   main took Lock A at src/main.rs:8:15 while holding Lock B (taken at src/main.rs:7:15)  <- this acquisition
//! ```
//!
//! One run is enough — one thread, no contention — where a checker would need the one
//! schedule that deadlocks (Linux's lockdep, FreeBSD's witness, Guava's
//! `CycleDetectingLockFactory` and the `tracing-mutex` crate do the same).
//!
//! No false reports from what cannot deadlock: a `try_acquire` adds no edge (it never waits;
//! the lock it gets is held, so later acquisitions order after it), a `Lock` released by
//! another thread leaves its holder's held set, a reentrant acquisition of an `RLock` adds
//! nothing, a forgotten semaphore permit is not held. A cycle whose edges were all made while
//! holding one common lock (the *gate lock*: two threads take A, B and B, A, but always under
//! G) is not a deadlock and is not reported.
//!
//! # When it runs
//! - Model builds (loom, shuttle): on, per check; [`Builder::lock_order`] turns it off for a
//!   run (the statistics of a checker's own search, or an inversion the check cannot see is
//!   safe). The graph is per execution.
//! - Production: off. [`set_enabled`] or `THREADCHECK_LOCK_ORDER=1` turns it on for the whole
//!   process, and `Builder::lock_order(true)` for one [`check`](crate::model::Builder::check).
//!   The graph is process-wide, each lock's node removed when it is dropped.
//!
//! A runtime switch rather than a cargo feature: a feature is decided by whoever builds the
//! whole dependency graph, so a library using threadcheck could not be checked by its tests
//! without every crate in the build paying for it, and a test could not turn it on for
//! itself. Off, it costs one relaxed load of a process-wide byte and a predicted branch per
//! acquire and per release (`cargo bench --bench locks`, group `lock_order`, shows the
//! acquire+release pair with it off beside parking_lot's `Mutex`, and on with up to 8 locks
//! held).
//!
//! [`Builder::lock_order`]: crate::model::Builder::lock_order
//!
//! # Examples
//! ```
//! use threadcheck::{lock_order, Lock};
//! use threadcheck::model::{Builder, FailureKind};
//!
//! let failure = Builder::new()
//!     .lock_order(true)
//!     .run(|| {
//!         let (a, b) = (Lock::named("A"), Lock::named("B"));
//!         {
//!             let _a = a.acquire();
//!             let _b = b.acquire(); // A, then B
//!         }
//!         let _b = b.acquire();
//!         let _a = a.acquire(); // B, then A: reported here, on one thread
//!     })
//!     .unwrap_err();
//! assert_eq!(failure.kind, FailureKind::LockOrder);
//! assert!(failure.message.starts_with("potential deadlock (lock order): Lock A → Lock B → Lock A"));
//! # let _ = lock_order::enabled();
//! ```

mod graph;
#[cfg(threadcheck_model)]
mod model;
#[cfg(not(threadcheck_model))]
mod real;

use crate::rt::bookkeeping::{AtomicUsize, Ordering};
use crate::trace::Obj;
use std::panic::Location;

#[cfg(threadcheck_model)]
pub(crate) use model::{execution_begins, Slot};
#[cfg(not(threadcheck_model))]
pub(crate) use real::Slot;

/// The report's first words; a failure whose message starts so is a lock-order report.
pub(crate) const PREFIX: &str = "potential deadlock (lock order)";

/// The environment variable that sets the process-wide default.
pub(crate) const ENV: &str = "THREADCHECK_LOCK_ORDER";

/// The process-wide setting, one word read with one relaxed load: the mode in the low two
/// bits ([`UNSET`] until first read, then from [`ENV`] or the build's default), and above them
/// how many production runs turned it on with `Builder::lock_order(true)` (runs of parallel
/// tests overlap: each counts itself in and out).
static MODE: AtomicUsize = AtomicUsize::new(UNSET);

const UNSET: usize = 0;
const OFF: usize = 1;
const ON: usize = 2;
const MODE_BITS: usize = 3;
const ONE_RUN: usize = 4;

/// Turns lock-order checking on or off for the whole process (production: off unless
/// `THREADCHECK_LOCK_ORDER=1`; model builds: on, and a check's
/// [`Builder::lock_order`](crate::model::Builder::lock_order) wins). Locks already held when it
/// is turned on are not known to be held.
///
/// ```
/// threadcheck::lock_order::set_enabled(true);
/// assert!(threadcheck::lock_order::enabled());
/// threadcheck::lock_order::set_enabled(false);
/// ```
pub fn set_enabled(on: bool) {
    let mode = if on { ON } else { OFF };
    let before = MODE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
        Some(v & !MODE_BITS | mode)
    });
    #[cfg(not(threadcheck_model))]
    if on && !is_on(before.unwrap_or(UNSET)) {
        real::new_generation();
    }
    #[cfg(threadcheck_model)]
    let _ = before;
}

/// Whether a `MODE` value has checking on. Held sets go stale only while it is off (releases
/// are not recorded then), so only a change from off to on starts a new generation: a run
/// beginning while another is under way must leave that run's held sets alone (its gate locks
/// are held), or the other run reports the gated cycle it cannot have.
#[inline(always)]
fn is_on(v: usize) -> bool {
    v & MODE_BITS == ON || v >= ONE_RUN
}

/// Whether acquisitions on this thread are checked now: the current check's
/// [`Builder::lock_order`](crate::model::Builder::lock_order) setting in the model builds,
/// else the process-wide one.
#[inline]
pub fn enabled() -> bool {
    #[cfg(threadcheck_model)]
    if let Some(on) = model::run_setting() {
        return on;
    }
    process_enabled()
}

#[inline(always)]
fn process_enabled() -> bool {
    match MODE.load(Ordering::Relaxed) {
        OFF => false,
        ON => true,
        v => slow_enabled(v),
    }
}

#[cold]
fn slow_enabled(v: usize) -> bool {
    if v >= ONE_RUN {
        return true;
    }
    init_mode()
}

/// `THREADCHECK_LOCK_ORDER`: `1` on, `0` off; unset or empty, the build's default.
///
/// # Panics
/// On any other value, naming the variable (as `Builder::new` does).
#[cold]
fn init_mode() -> bool {
    let on = match parse_env() {
        Ok(Some(on)) => on,
        Ok(None) => crate::rt::MODEL,
        Err(e) => panic!("threadcheck: {e}"),
    };
    let mode = if on { ON } else { OFF };
    let _ = MODE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
        (v & MODE_BITS == UNSET).then_some(v | mode)
    });
    is_on(MODE.load(Ordering::Relaxed))
}

/// The variable's value: `Some(on)`, `None` if unset or empty.
pub(crate) fn parse_env() -> Result<Option<bool>, crate::model::EnvError> {
    let Some(raw) = std::env::var_os(ENV) else {
        return Ok(None);
    };
    let value = raw.to_string_lossy().into_owned();
    match value.trim() {
        "" => Ok(None),
        "1" => Ok(Some(true)),
        "0" => Ok(Some(false)),
        _ => Err(crate::model::EnvError {
            var: ENV,
            value,
            expected: "0 (lock-order checking off) or 1 (on)".into(),
        }),
    }
}

/// Production, a real-thread run with `Builder::lock_order(true)`: counts it in (its threads
/// are the process's threads); returns whether to count it out at the end. `false` changes
/// nothing: off is the default, and what turned it on for the process stays in force.
#[allow(dead_code)] // production only
pub(crate) fn run_begins(on: Option<bool>) -> bool {
    if on != Some(true) {
        return false;
    }
    process_enabled(); // settle the mode bits first
    let before = MODE.fetch_add(ONE_RUN, Ordering::Relaxed);
    #[cfg(not(threadcheck_model))]
    if !is_on(before) {
        real::new_generation();
    }
    #[cfg(threadcheck_model)]
    let _ = before;
    true
}

/// Production: a run counted in by [`run_begins`] is over.
#[allow(dead_code)] // production only
pub(crate) fn run_ends() {
    MODE.fetch_sub(ONE_RUN, Ordering::Relaxed);
}

/// Model builds, `Builder::lock_order` on a check: the setting for this OS thread's check
/// (loom and shuttle run every model thread on it); returns what to restore.
#[cfg(threadcheck_model)]
pub(crate) fn swap_run(on: Option<bool>) -> Option<bool> {
    model::set_run_setting(on)
}

/// How an acquire may wait.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Wait {
    /// Until it gets the lock: part of a wait-for cycle if it never does.
    Forever,
    /// With a deadline: it can time out, so it is no deadlock, but its order still counts.
    Timed,
}

impl Wait {
    /// The wait of an acquire with this deadline (`None`: blocking).
    #[inline(always)]
    pub(crate) fn until<T>(deadline: &Option<T>) -> Wait {
        match deadline {
            None => Wait::Forever,
            Some(_) => Wait::Timed,
        }
    }
}

/// A blocking or timed acquire of `obj` at `at` is about to wait for it, if it must. May
/// panic with a lock-order report (before the trace shows any wait: none has begun).
#[inline(always)]
pub(crate) fn before_acquire(obj: &Obj, at: &'static Location<'static>) {
    #[cfg(threadcheck_model)]
    model::before_acquire(obj, at);
    #[cfg(not(threadcheck_model))]
    if process_enabled() {
        real::before_acquire(obj, at);
    }
}

/// Model builds: the thread now waits for `obj` (the trace shows it waiting). A wait with no
/// deadline that closes a wait-for cycle panics with the deadlock at once.
#[inline(always)]
pub(crate) fn waits(_obj: &Obj, _wait: Wait) {
    #[cfg(threadcheck_model)]
    model::waits(_obj, _wait);
}

/// `obj` was acquired at `at` (after [`before_acquire`], or by a successful try).
#[inline(always)]
pub(crate) fn acquired(obj: &Obj, at: &'static Location<'static>) {
    #[cfg(threadcheck_model)]
    model::acquired(obj, at);
    #[cfg(not(threadcheck_model))]
    if process_enabled() {
        real::acquired(obj, at);
    }
}

/// A timed acquire of `obj` gave up.
#[inline(always)]
pub(crate) fn gave_up(_obj: &Obj) {
    #[cfg(threadcheck_model)]
    model::gave_up(_obj);
}

/// `obj` is released by the calling thread, which may not be the one holding it (Python's
/// `Lock`).
#[inline(always)]
pub(crate) fn released(obj: &Obj) {
    #[cfg(threadcheck_model)]
    model::released(obj);
    #[cfg(not(threadcheck_model))]
    if process_enabled() {
        real::released(obj);
    }
}

/// A `Lock`'s guard was leaked: the lock stays held, but any thread may release it, so its
/// holder waiting for something is no deadlock yet.
#[inline(always)]
pub(crate) fn leaked(_obj: &Obj) {
    #[cfg(threadcheck_model)]
    model::leaked(_obj);
}

/// A semaphore permit's guard was forgotten: the permit is no longer held by anyone.
#[inline(always)]
pub(crate) fn forgotten(obj: &Obj) {
    released(obj)
}

/// The thread's name in a report.
fn thread_name() -> String {
    crate::trace::current_thread_name().unwrap_or_else(|| "an unnamed thread".into())
}

/// A lock's name in a report: "Lock A", or "Lock #3" for an unnamed one.
fn lock_name(obj: &Obj, id: graph::Id) -> String {
    match obj.name {
        Some(n) => format!("{} {n}", obj.kind),
        None => format!("{} #{id}", obj.kind),
    }
}
