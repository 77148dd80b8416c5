//! CPython's conformance tests for the `threading` primitives and the `queue` module, ported
//! case by case to threadcheck's public API (no code copied; the README's "CPython
//! conformance" table lists every case with its status).
//!
//! Sources, read from CPython's repository: `Lib/test/lock_tests.py` (LockTests, RLockTests,
//! EventTests, ConditionTests, SemaphoreTests, BoundedSemaphoreTests, BarrierTests),
//! `Lib/test/test_queue.py` (3.13, with the `shutdown` tests) and the `Timer` tests of
//! `Lib/test/test_threading.py`. Each Python test is a Rust test of the same name, prefixed
//! with its class (`lock_`, `rlock_`, `event_`, ...).
//!
//! What changed in the port:
//! - Every case runs through [`check`]: once on real threads in the production build, and in
//!   the loom and shuttle builds under `threadcheck::model` (loom: every interleaving, at a
//!   preemption bound; shuttle: PCT), on the model clock. Sizes shrink in the model builds
//!   (loom allows 5 threads per execution): [`size`].
//! - Python's `time.sleep`/`support.sleeping_retry` waits ("until N threads are blocked")
//!   are `threadcheck::sleep`, which on the settled model clock ends only when every other
//!   thread is blocked: exactly what CPython's sleeps hope for (see [`check`]).
//! - Python's `assertTimeout(dt, t)` checks `0.6 t <= dt < 10 t`; here `dt >= t` on
//!   threadcheck's clock (exact on the model clock; real time cannot be early), and no upper
//!   bound, which would make a timed test flaky on a loaded machine.
//! - Exceptions are values: `assertRaises(X, f)` is a match on the `Err`.

#[path = "cpython/barrier.rs"]
mod barrier;
#[path = "cpython/condition.rs"]
mod condition;
#[path = "cpython/event.rs"]
mod event;
#[path = "cpython/locks.rs"]
mod locks;
#[path = "cpython/queue.rs"]
mod queue;
#[path = "cpython/semaphore.rs"]
mod semaphore;
#[path = "cpython/simple_queue.rs"]
mod simple_queue;
#[path = "cpython/timer.rs"]
mod timer;

use std::time::Duration;
use threadcheck::model::Builder;
use threadcheck::thread::{self, JoinHandle};

/// Runs a case: once on real threads (production); under loom (preemption bound 3) or
/// shuttle's random scheduler (200 schedules; PCT rejects the cases with little or no
/// concurrency), on the settled model clock.
///
/// The settled clock (no early advance) lets time pass only when every thread is blocked.
/// That is what CPython's tests assume: their sleeps ("until the threads are blocked") and
/// their generous timeouts (a barrier's 2 s default, a 10 s blocking put) never expire
/// while another thread could still make progress. An early advance — a loaded machine
/// delaying a thread past such a timeout — breaks those tests by design, in CPython too.
pub fn check(f: impl Fn() + Send + Sync + 'static) {
    let b = Builder::new().early_timeouts(0);
    match threadcheck::backend() {
        "loom" => b.preemption_bound(3),
        "shuttle" => b
            .checker(threadcheck::model::Checker::Random)
            .iterations(200),
        _ => b,
    }
    .check(f);
}

/// `real` threads on real threads, `model` under a checker.
pub fn size(real: usize, model: usize) -> usize {
    if threadcheck::backend() == "production" {
        real
    } else {
        model
    }
}

/// Milliseconds.
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// CPython's `wait_threads_blocked(n)`: a sleep long enough for `n` threads to block (real
/// threads: 50 ms each, five times CPython's, for loaded CI machines), or until every other
/// thread is blocked (settled model clock).
pub fn wait_threads_blocked(n: usize) {
    threadcheck::sleep(ms(50 * n as u64));
}

/// CPython's `Bunch(f, n)`: `n` threads running `f`.
pub fn bunch(n: usize, f: impl Fn() + Send + Sync + 'static) -> Vec<JoinHandle<()>> {
    let f = std::sync::Arc::new(f);
    (0..n)
        .map(|_| {
            let f = f.clone();
            thread::spawn(move || f())
        })
        .collect()
}

/// Leaving CPython's `with Bunch(...)`: joins every thread, re-raising a thread's panic.
pub fn finish<T>(hs: Vec<JoinHandle<T>>) -> Vec<T> {
    hs.into_iter()
        .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        .collect()
}

/// Polls `cond` with sleeps until it holds (CPython's `support.sleeping_retry`). On the
/// model clock each sleep ends when the other threads are blocked, so the loop is finite.
pub fn sleep_until(mut cond: impl FnMut() -> bool) {
    for _ in 0..10_000 {
        if cond() {
            return;
        }
        threadcheck::sleep(ms(1));
    }
    panic!("condition not reached after 10,000 sleeps");
}

/// A list threads append to (Python's shared `results` lists). The std mutex is held only
/// around a push or a copy, with no threadcheck operation inside, so under loom and shuttle
/// (which switch threads only at their own operations) it is never contended.
pub struct Log<T>(std::sync::Mutex<Vec<T>>);

/// An empty [`Log`], shareable across threads.
pub fn log<T>() -> std::sync::Arc<Log<T>> {
    std::sync::Arc::new(Log(std::sync::Mutex::new(Vec::new())))
}

impl<T: Clone> Log<T> {
    /// Python's `results.append(x)`.
    pub fn push(&self, x: T) {
        self.0.lock().unwrap().push(x);
    }
    /// A copy of the list.
    pub fn get(&self) -> Vec<T> {
        self.0.lock().unwrap().clone()
    }
    /// Python's `len(results)`.
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

/// Time elapsed on threadcheck's clock since `t0`.
pub fn since(t0: threadcheck::Instant) -> Duration {
    threadcheck::Instant::now().duration_since(t0)
}
