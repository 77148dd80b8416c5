//! Model clock (loom and shuttle builds): logical time, advanced by the model itself.
//!
//! Neither checker models time, so threadcheck does (shared/DESIGN.md, "Time is part of the
//! model"). Per execution the clock keeps `now`, the live and blocked model threads, and the
//! pending deadlines. Time advances in two ways:
//!
//! - **settled**: when the last live thread blocks (or a thread exits and leaves every other
//!   one blocked), that thread itself moves `now` to the earliest pending deadline and fires
//!   the waiters due then — tokio's paused clock. Deterministic, finite, always on.
//! - **early**: a driver model thread, started lazily at an execution's first timed wait,
//!   fires the earliest deadline *while other threads could still run* — what a loaded
//!   machine does. At most K times per execution ([`crate::set_early_advances`], default 1);
//!   K = 0 is the settled clock alone. Bounding K is what keeps
//!   `while !ev.is_set() { ev.wait_timeout(..) }` from spinning forever under loom.
//!
//! # Why unmodelled bookkeeping is sound here
//! loom and shuttle run every model thread as a coroutine on the calling OS thread, one at a
//! time, switching only at modelled operations (atomics, locks, park/unpark, spawn). So the
//! clock's state lives in a plain `std::thread_local!` `RefCell`: invisible to the checker,
//! no state-space cost, and a sequence of operations on it with no modelled operation in
//! between is atomic. Every wait is built on that:
//!
//! 1. under the caller's mutex, register a [`Waiter`] (state `Waiting`) in the condvar's list,
//!    count the thread blocked, maybe settle — one atomic step;
//! 2. unlock the caller's mutex and park on the waiter's own `rt::thread::Parker` until the
//!    waiter's state is not `Waiting`.
//!
//! A notifier (which holds the mutex) or a firer (which does not) changes the state, adjusts
//! the blocked count *at that moment* (so "everyone is blocked" is exact) and unparks the
//! waiter's parker. A parker's token is sticky, so an unpark that lands between step 1 and
//! the park (the mutex unlock is a switch point) is not lost: this is why the firer needs no
//! lock of the waiter's. Each wake is targeted at one waiter: no herd of woken threads for
//! the checker to interleave.
//!
//! DPOR does not see the unmodelled state. While the driver is alive (early advances left),
//! every clock step is preceded by a read-modify-write of one modelled atomic, the *epoch*,
//! so loom explores the orders between the driver's decisions and the other threads' steps.
//! (shuttle has no DPOR: it chooses at every switch point, so there the epoch is skipped.)
//! Without the driver a settled advance happens only when every thread is blocked: a point
//! that does not depend on the order in which they got there.
//!
//! # Limits
//! - The clock counts threads spawned through `threadcheck::thread` and blocks in
//!   threadcheck's primitives (and joins). A thread spawned or blocked any other way is seen
//!   as running, so time would not settle while it is blocked (and would settle early if it
//!   is running unseen).
//! - Each early advance multiplies the schedules: `event/tutorial_wait_timeout_loop` under
//!   loom took 16,026 executions with K = 1 and 1,471,275 with K = 2.
//! - An execution that panics leaves its clock state behind; the next `begin_execution`
//!   leaks it rather than drop checker objects outside their execution.

use crate::rt::sync::atomic::{AtomicUsize, Ordering};
use crate::rt::sync::MutexGuard;
use crate::rt::thread as rtt;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

/// A point on threadcheck's model clock: time since the start of the execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(Duration);

impl Instant {
    /// The current model time (in an execution of `threadcheck::model`).
    pub fn now() -> Instant {
        now()
    }
    /// Model time elapsed from `earlier` to `self` (zero if `earlier` is later).
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
    /// `self + d`, or `None` if it overflows.
    pub fn checked_add(&self, d: Duration) -> Option<Instant> {
        self.0.checked_add(d).map(Instant)
    }
    /// Time since the start of the execution.
    pub fn since_start(&self) -> Duration {
        self.0
    }
}

/// The current model time. Outside an execution (no `threadcheck::model`), time stands at 0.
pub(crate) fn now() -> Instant {
    Instant(CLOCK.with(|c| c.borrow().now))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WaitState {
    Waiting,
    Notified,
    TimedOut,
}

/// One blocked call: a condvar wait (timed or not).
#[derive(Debug)]
struct Waiter {
    state: Cell<WaitState>,
    parker: Rc<rtt::Parker>,
    deadline: Option<Instant>,
    /// Counted in `Clock::blocked` (false outside an execution).
    counted: Cell<bool>,
}

impl Waiter {
    fn new(deadline: Option<Instant>) -> Rc<Waiter> {
        Rc::new(Waiter {
            state: Cell::new(WaitState::Waiting),
            parker: Rc::new(rtt::Parker::new()),
            deadline,
            counted: Cell::new(false),
        })
    }

    /// Parks the calling thread (the waiter's) until it is notified or times out.
    fn park_until_released(&self) {
        while self.state.get() == WaitState::Waiting {
            self.parker.park();
        }
    }
}

/// The driver thread's state.
#[derive(Default)]
struct Driver {
    /// The driver thread exists in this execution (it may have exited since).
    started: bool,
    /// The driver is alive: clock steps must touch the epoch.
    alive: bool,
    /// The driver is parked, waiting for a deadline to be registered (or for `stop`).
    parked: Option<Rc<rtt::Parker>>,
    /// End of execution: the driver exits at its next step.
    stop: bool,
}

#[derive(Default)]
struct Clock {
    /// `begin_execution` ran and the execution has threads left.
    active: bool,
    now: Duration,
    /// Model threads alive (main + spawned through `threadcheck::thread`), the driver excluded.
    live: usize,
    /// Of those, the ones blocked in a clock wait or a join.
    blocked: usize,
    /// Timed waiters still `Waiting`, in registration order (ties fire in that order).
    pending: Vec<Rc<Waiter>>,
    /// Threads blocked joining thread `token`: (token, how many).
    joiners: Vec<(u64, usize)>,
    /// Threads in [`join_until`] for thread `token`, each parked on its waiter.
    timed_joins: Vec<(u64, Rc<Waiter>)>,
    /// Tokens of threads that have exited.
    exited: Vec<u64>,
    next_token: u64,
    /// Early advances left in this execution.
    budget: usize,
    driver: Driver,
    /// The modelled atomic every clock step touches while the driver is alive (see module
    /// docs). loom only; created by `begin_execution`.
    epoch: Option<Rc<AtomicUsize>>,
    /// Which execution this is (counts `begin_execution` calls on this OS thread).
    execution: u64,
    /// Run by the main thread at the end of the execution (e.g. stop the timer service).
    at_end: Vec<Box<dyn FnOnce()>>,
}

std::thread_local! {
    static CLOCK: RefCell<Clock> = RefCell::new(Clock::default());
}

fn with_clock<R>(f: impl FnOnce(&mut Clock) -> R) -> R {
    CLOCK.with(|c| f(&mut c.borrow_mut()))
}

impl Clock {
    /// If every live thread is blocked, advance `now` to the earliest pending deadline and
    /// fire the waiters due then. Returns the threads to unpark.
    fn settle(&mut self) -> Vec<Rc<rtt::Parker>> {
        if self.live == 0 || self.blocked < self.live {
            return Vec::new();
        }
        self.fire_earliest()
    }

    /// Advance `now` to the earliest pending deadline (never backwards) and time out every
    /// waiter due by then.
    fn fire_earliest(&mut self) -> Vec<Rc<rtt::Parker>> {
        let Some(earliest) = self.pending.iter().filter_map(|w| w.deadline).min() else {
            return Vec::new();
        };
        self.now = self.now.max(earliest.0);
        let now = Instant(self.now);
        let mut fired = Vec::new();
        let blocked = &mut self.blocked;
        self.pending.retain(|w| {
            if w.deadline.is_some_and(|d| d <= now) {
                w.state.set(WaitState::TimedOut);
                if w.counted.replace(false) {
                    *blocked -= 1;
                }
                fired.push(w.parker.clone());
                false
            } else {
                true
            }
        });
        fired
    }

    /// `w`'s thread blocks now (its deadline pending): the threads to wake, the parked driver
    /// and whoever settling fires (maybe `w` itself).
    fn block(&mut self, w: &Rc<Waiter>) -> Vec<Rc<rtt::Parker>> {
        self.blocked += 1;
        w.counted.set(true);
        if w.deadline.is_some() {
            self.pending.push(w.clone());
        }
        let mut wake = self.settle();
        // A parked driver parked with nothing pending: if settling fired our deadline, it
        // would only wake to park again.
        if w.deadline.is_some() && w.state.get() == WaitState::Waiting {
            wake.extend(self.take_parked_driver());
        }
        wake
    }

    /// The waiter stops waiting (notified or timed out by someone else): exact counts now.
    fn release(&mut self, w: &Rc<Waiter>, to: WaitState) {
        debug_assert_eq!(w.state.get(), WaitState::Waiting);
        w.state.set(to);
        if w.counted.replace(false) {
            self.blocked -= 1;
        }
        self.pending.retain(|p| !Rc::ptr_eq(p, w));
    }

    /// The epoch to touch before the next clock step, while the driver is alive.
    fn epoch(&self) -> Option<Rc<AtomicUsize>> {
        if self.driver.alive {
            self.epoch.clone()
        } else {
            None
        }
    }

    /// Wake the parked driver (a deadline was registered, or the execution ends).
    fn take_parked_driver(&mut self) -> Option<Rc<rtt::Parker>> {
        self.driver.parked.take()
    }
}

/// Makes the coming clock step a modelled operation while the driver is alive, so DPOR
/// orders it against the driver's decisions. Must come *before* the unmodelled step: loom
/// and shuttle switch threads only before modelled operations.
fn touch_epoch() {
    // Only DPOR (loom) needs it; under shuttle it would only add switch points. Not out of
    // a torn-down execution: a modelled operation would panic again (rt/teardown.rs).
    if !crate::rt::DPOR || crate::rt::teardown::torn_down() {
        return;
    }
    if let Some(e) = with_clock(|c| c.epoch()) {
        e.fetch_add(1, Ordering::SeqCst);
    }
}

fn unpark_all(threads: Vec<Rc<rtt::Parker>>) {
    // Out of a torn-down execution a modelled operation would panic again and abort the
    // process (rt/teardown.rs); the counts are already right, so skip the wakes.
    if crate::rt::teardown::torn_down() {
        return;
    }
    for p in threads {
        p.unpark();
    }
}

/// How many early advances the next executions on this OS thread allow.
pub(crate) fn early_advances() -> usize {
    super::early_advances()
}

/// Called by the harness before each execution's body (on the model's main thread).
pub(crate) fn begin_execution() {
    let budget = early_advances();
    // Created here, on the main thread before any spawn, so every model thread's access is
    // ordered after its initialization (loom checks that causality).
    let epoch = (budget > 0 && crate::rt::DPOR).then(|| Rc::new(AtomicUsize::new(0)));
    let old = with_clock(|c| {
        let execution = c.execution + 1;
        std::mem::replace(
            c,
            Clock {
                active: true,
                live: 1,
                budget,
                execution,
                epoch,
                ..Clock::default()
            },
        )
    });
    if old.active {
        // Left by an execution that panicked: it may hold objects of that finished execution,
        // and dropping them could touch the checker outside it. Leak it (rare, small).
        std::mem::forget(old);
    }
}

/// Called by the harness after each execution's body: the main thread is done. Stops the
/// driver so the checker does not see it parked forever (a bogus deadlock).
pub(crate) fn end_execution() {
    for f in with_clock(|c| std::mem::take(&mut c.at_end)) {
        f();
    }
    touch_epoch();
    let (wake, epoch) = with_clock(|c| {
        let mut wake = Vec::new();
        if !c.active {
            return (wake, None);
        }
        c.live -= 1;
        c.driver.stop = true;
        wake.extend(c.take_parked_driver());
        wake.extend(c.settle());
        if c.live == 0 {
            c.active = false;
        }
        (wake, c.epoch.take())
    });
    unpark_all(wake);
    drop(epoch);
}

/// Identifies the current execution on this OS thread, for per-execution state kept
/// outside the clock.
pub(crate) fn execution_id() -> u64 {
    with_clock(|c| c.execution)
}

/// Runs `f` on the main thread when the current execution's body returns.
pub(crate) fn at_end_of_execution(f: Box<dyn FnOnce()>) {
    with_clock(|c| c.at_end.push(f));
}

/// A model thread is about to be spawned (called in the parent, before the spawn). Returns
/// the thread's token, for [`thread_exiting`] and [`joining`].
pub(crate) fn thread_spawning() -> u64 {
    touch_epoch();
    with_clock(|c| {
        c.next_token += 1;
        if c.active {
            c.live += 1;
        }
        c.next_token
    })
}

/// A model thread is finishing (called in the child, last thing, even when unwinding).
pub(crate) fn thread_exiting(token: u64) {
    touch_epoch();
    let wake = with_clock(|c| {
        if !c.active {
            return Vec::new();
        }
        c.live -= 1;
        c.exited.push(token);
        if let Some(i) = c.joiners.iter().position(|j| j.0 == token) {
            // Its joiners will run again: they are not blocked any more.
            c.blocked -= c.joiners.swap_remove(i).1;
        }
        // Its timed joiners still waiting are notified (one the clock timed out was woken).
        let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut c.timed_joins)
            .into_iter()
            .partition(|j| j.0 == token);
        c.timed_joins = rest;
        let mut wake = Vec::new();
        for (_, w) in mine
            .into_iter()
            .filter(|j| j.1.state.get() == WaitState::Waiting)
        {
            c.release(&w, WaitState::Notified);
            wake.push(w.parker.clone());
        }
        if c.live == 0 {
            c.active = false;
            c.driver.stop = true;
            wake.extend(c.take_parked_driver());
            return wake;
        }
        wake.extend(c.settle());
        wake
    });
    unpark_all(wake);
}

/// The calling thread is about to join the thread with `token`: it counts as blocked until
/// that thread exits (a join is a wait the clock must see, or a sleeping child would wait
/// forever for "everyone else" to block).
pub(crate) fn joining(token: u64) {
    touch_epoch();
    let wake = with_clock(|c| {
        if !c.active || c.exited.contains(&token) {
            return Vec::new();
        }
        c.blocked += 1;
        match c.joiners.iter_mut().find(|j| j.0 == token) {
            Some(j) => j.1 += 1,
            None => c.joiners.push((token, 1)),
        }
        c.settle()
    });
    unpark_all(wake);
}

/// Waits until thread `token` exits or `deadline` passes on the model clock; true if it
/// exited. Blocks like a timed condvar wait (counted blocked, deadline pending, woken by
/// [`thread_exiting`] or by the clock), so time settles while a thread waits in a timed join.
pub(crate) fn join_until(token: u64, deadline: Option<Instant>) -> bool {
    require_clock();
    if !deadline_ahead(deadline) {
        return with_clock(|c| c.exited.contains(&token));
    }
    touch_epoch();
    // One atomic step (see the module docs): exited already, or registered before the exit.
    let w = Waiter::new(deadline);
    let wake = with_clock(|c| {
        if c.exited.contains(&token) {
            return None;
        }
        c.timed_joins.push((token, w.clone()));
        Some(c.block(&w))
    });
    let Some(wake) = wake else { return true };
    if wake_others(&w, wake) {
        w.park_until_released();
    }
    with_clock(|c| c.timed_joins.retain(|j| !Rc::ptr_eq(&j.1, &w)));
    w.state.get() == WaitState::Notified
}

/// For a wait until `deadline`: false if the deadline has passed already, else true (and the
/// early-advance driver is running if the execution allows one).
fn deadline_ahead(deadline: Option<Instant>) -> bool {
    let Some(d) = deadline else { return true };
    if d.0 <= require_clock() {
        return false;
    }
    ensure_driver();
    true
}

/// Wakes `wake` but `w`'s own thread, which may have fired itself while settling; true if `w`
/// is still waiting (its thread must park).
fn wake_others(w: &Rc<Waiter>, wake: Vec<Rc<rtt::Parker>>) -> bool {
    let me_fired = w.state.get() != WaitState::Waiting;
    unpark_all(
        wake.into_iter()
            .filter(|p| !(me_fired && Rc::ptr_eq(p, &w.parker)))
            .collect(),
    );
    !me_fired
}

/// The current model time, or a panic that says how to get a model clock: timed waits and
/// timed joins cannot work without one.
fn require_clock() -> Duration {
    let (active, now) = with_clock(|c| (c.active, c.now));
    if !active {
        panic!(
            "threadcheck: a timed wait under a model checker needs the model clock: \
             run the test body with `threadcheck::model(|| ...)` (or through \
             `threadcheck::check`), not loom's `model` or shuttle's `check_*` directly"
        );
    }
    now
}

/// Starts the driver thread if this execution allows early advances and has none yet.
fn ensure_driver() {
    let start = with_clock(|c| {
        if !c.active || c.driver.started || c.budget == 0 {
            return false;
        }
        c.driver.started = true;
        true
    });
    if !start {
        return;
    }
    with_clock(|c| c.driver.alive = true);
    drop(rtt::spawn(Some("threadcheck-clock".into()), driver));
}

/// The early-advance driver. Each step touches the epoch (a modelled operation the checker
/// orders against every other clock step), then decides without a switch: exit (stopped, or
/// no budget left), fire the earliest deadline (one early advance), or park until a deadline
/// is registered.
fn driver() {
    // `Some(epoch)` while the driver has work to do (the epoch itself is loom's only).
    while let Some(epoch) = with_clock(|c| {
        if c.driver.stop || c.budget == 0 {
            None
        } else {
            Some(c.epoch.clone())
        }
    }) {
        if let Some(e) = epoch {
            e.fetch_add(1, Ordering::SeqCst);
        }
        enum Step {
            Exit,
            Fire(Vec<Rc<rtt::Parker>>),
            Park(Rc<rtt::Parker>),
        }
        let step = with_clock(|c| {
            if c.driver.stop || c.budget == 0 {
                return Step::Exit;
            }
            if c.pending.is_empty() {
                let p = Rc::new(rtt::Parker::new());
                c.driver.parked = Some(p.clone());
                return Step::Park(p);
            }
            // With every live thread blocked this is a settled advance, not an early one.
            if c.blocked < c.live {
                c.budget -= 1;
            }
            Step::Fire(c.fire_earliest())
        });
        match step {
            Step::Exit => break,
            Step::Fire(w) => unpark_all(w),
            Step::Park(p) => {
                while with_clock(|c| c.driver.parked.is_some()) {
                    p.park();
                }
            }
        }
    }
    with_clock(|c| c.driver.alive = false);
}

/// A condvar on the model clock. Waiters register in `waiters` and park; notify and timeout
/// flip the waiter's state and unpark its thread (see the module docs).
///
/// Same contract as the production condvar (`clock/real.rs`): every method is called with
/// the associated mutex held; spurious wakeups never happen here but callers loop anyway.
#[derive(Debug, Default)]
pub(crate) struct Condvar {
    // Touched only with the associated mutex held, on the checker's single OS thread.
    waiters: RefCell<VecDeque<Rc<Waiter>>>,
}

// SAFETY: model builds run every model thread on one OS thread (see the module docs), and
// `waiters` is only touched with the associated mutex held; the `Rc`s never leave that
// OS thread.
unsafe impl Sync for Condvar {}
// SAFETY: as above.
unsafe impl Send for Condvar {}

impl Condvar {
    pub(crate) fn new() -> Self {
        Condvar::default()
    }

    /// Waits until notified.
    pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
        self.wait_until(guard, None);
    }

    /// Waits until notified or `deadline` passes on the model clock; true if it timed out.
    pub(crate) fn wait_until<T>(
        &self,
        guard: &mut MutexGuard<'_, T>,
        deadline: Option<Instant>,
    ) -> bool {
        self.wait_inner(guard, deadline).0
    }

    /// `wait_until`, and whether the wait ended alone: its own deadline passed because no
    /// other thread could run, and none can now (nothing else woken, nothing pending).
    fn wait_inner<T>(
        &self,
        guard: &mut MutexGuard<'_, T>,
        deadline: Option<Instant>,
    ) -> (bool, bool) {
        if !deadline_ahead(deadline) {
            return (true, false);
        }
        touch_epoch();
        // One atomic step (no modelled operation until the unpark below): register, count
        // ourselves blocked, settle if we are the last one.
        let w = Waiter::new(deadline);
        self.waiters.borrow_mut().push_back(w.clone());
        let (wake, alone) = with_clock(|c| {
            if !c.active {
                return (Vec::new(), false);
            }
            let wake = c.block(&w);
            // Time passed because nothing else could run, nothing else was woken, and no
            // deadline is left: no thread can do anything before we go on (a driver that has
            // not parked yet would only find nothing pending and park again).
            let me_fired = w.state.get() != WaitState::Waiting;
            let alone = me_fired && wake.len() == 1 && c.pending.is_empty();
            (wake, alone)
        });
        if wake_others(&w, wake) {
            MutexGuard::unlocked(guard, || w.park_until_released());
        }
        self.waiters.borrow_mut().retain(|x| !Rc::ptr_eq(x, &w));
        (w.state.get() == WaitState::TimedOut, alone)
    }

    /// Number of threads waiting (notified ones count until they have the mutex back, as in
    /// production).
    #[allow(dead_code)] // not every primitive needs it
    pub(crate) fn waiters<T>(&self, _guard: &MutexGuard<'_, T>) -> usize {
        self.waiters.borrow().len()
    }

    /// Wakes the longest-waiting thread still waiting; false if there was none.
    pub(crate) fn notify_one<T>(&self, _guard: &MutexGuard<'_, T>) -> bool {
        if self.waiters.borrow().is_empty() {
            return false;
        }
        touch_epoch();
        let w = self
            .waiters
            .borrow()
            .iter()
            .find(|w| w.state.get() == WaitState::Waiting)
            .cloned();
        let Some(w) = w else { return false };
        with_clock(|c| c.release(&w, WaitState::Notified));
        unpark_all(vec![w.parker.clone()]);
        true
    }

    /// Wakes every waiting thread; returns how many were waiting.
    pub(crate) fn notify_all<T>(&self, _guard: &MutexGuard<'_, T>) -> usize {
        if self.waiters.borrow().is_empty() {
            return 0;
        }
        touch_epoch();
        let ws: Vec<Rc<Waiter>> = self
            .waiters
            .borrow()
            .iter()
            .filter(|w| w.state.get() == WaitState::Waiting)
            .cloned()
            .collect();
        with_clock(|c| {
            for w in &ws {
                c.release(w, WaitState::Notified);
            }
        });
        let n = ws.len();
        unpark_all(ws.iter().map(|w| w.parker.clone()).collect());
        n
    }
}

/// `threadcheck::sleep` on the model clock: a timed wait with nothing to wait for.
///
/// A thread polling in a loop (`while !x.load(Relaxed) { sleep(..) }`) must see what the
/// others stored, or loom may return the same stale value forever ("maximum number of
/// branches"). So a sleep that ended alone (see `Condvar::wait_inner`) hints to the checker
/// that the thread waits for progress: loom's yield, after which its loads stop returning
/// values it has already read. No other thread can run at that point, so the hint prunes no
/// interleaving. Only `sleep` does this: the primitives' own timed waits keep every stale
/// read loom allows.
pub(crate) fn sleep_until(deadline: Instant) {
    let m = crate::rt::sync::Mutex::new(());
    let cv = Condvar::new();
    let mut g = m.lock();
    loop {
        let (timed_out, alone) = cv.wait_inner(&mut g, Some(deadline));
        if alone {
            rtt::progress_hint();
        }
        if timed_out {
            return;
        }
    }
}

/// Accounting for threads blocked on a raw facade mutex held across calls (the `RLock`'s),
/// so the clock's "every thread is blocked" stays exact without a condvar.
///
/// The checker blocks every thread whose pending operation is the mutex when one thread
/// acquires it, and makes them all runnable again when it is released (loom:
/// `post_acquire` / `release_lock`). The list mirrors that: a thread registers just before
/// it locks (no modelled operation in between), the acquirer counts every other registered
/// thread blocked, the releaser counts them all runnable.
#[derive(Debug, Default)]
pub(crate) struct RawWaiters {
    // Touched only on the checker's single OS thread (see the module docs).
    held: Cell<bool>,
    waiting: RefCell<Vec<(usize, Cell<bool>)>>,
}

// SAFETY: as `Condvar` above: one OS thread, no `Rc` escapes.
unsafe impl Sync for RawWaiters {}
// SAFETY: as above.
unsafe impl Send for RawWaiters {}

impl RawWaiters {
    /// The calling thread is about to lock the mutex: blocked now if it is held.
    pub(crate) fn before_lock(&self) {
        touch_epoch();
        let me = rtt::current_id();
        let held = self.held.get();
        self.waiting.borrow_mut().push((me, Cell::new(false)));
        let wake = with_clock(|c| {
            if !c.active || !held {
                return Vec::new();
            }
            c.blocked += 1;
            if let Some(w) = self.waiting.borrow().last() {
                w.1.set(true);
            }
            c.settle()
        });
        unpark_all(wake);
    }

    /// The calling thread holds the mutex: every other registered thread is blocked on it.
    pub(crate) fn after_lock(&self) {
        touch_epoch();
        let me = rtt::current_id();
        self.held.set(true);
        let mut waiting = self.waiting.borrow_mut();
        if let Some(i) = waiting.iter().position(|w| w.0 == me) {
            let w = waiting.swap_remove(i);
            if w.1.get() {
                with_clock(|c| c.blocked -= 1);
            }
        }
        with_clock(|c| {
            if c.active {
                for w in waiting.iter().filter(|w| !w.1.get()) {
                    w.1.set(true);
                    c.blocked += 1;
                }
            }
        });
    }

    /// The holder is about to unlock: every registered thread becomes runnable.
    pub(crate) fn before_unlock(&self) {
        touch_epoch();
        self.held.set(false);
        with_clock(|c| {
            for w in self.waiting.borrow().iter().filter(|w| w.1.get()) {
                w.1.set(false);
                c.blocked -= 1;
            }
        });
    }
}
