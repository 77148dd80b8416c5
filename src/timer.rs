//! `Timer`: Python's `threading.Timer` — run a function once after an interval, unless
//! cancelled first.
//!
//! Python starts a thread per timer. Here, in production, one service thread serves every
//! pending timer from a binary heap ordered by (deadline, start order), sleeping on a clock
//! condvar until the earliest deadline; a cancelled timer is dropped lazily when it reaches
//! the top, and the heap is swept of cancelled timers each time it doubles (from 4096 on), so
//! a million pending timers plus start+cancel in a loop cost about 220 ns per pair (1.24 µs,
//! and memory without bound, before the sweep). A panicking function is caught, so it does
//! not take the service down.
//!
//! Under loom and shuttle the same service runs as a model thread per execution (one of
//! loom's 5 threads, however many timers), on model time; the harness's end of execution
//! stops it once the timers still due have fired.
//!
//! Either way the call is decided by one state transition under the timer's mutex —
//! `Pending -> Running` by the firer or `Pending -> Cancelled` by [`Timer::cancel`] — so
//! `cancel()` returning true means the function never runs, and false means it has run or
//! is running. A timer made with [`Timer::new`] holds its function in `NotStarted` until
//! [`Timer::start`] hands it to the service; `cancel()` before `start()` drops it, so it can
//! never fire (Python: `t.cancel(); t.start()` starts a thread that does nothing).

use crate::clock::{self, Condvar};
use crate::rt::sync::{Arc, Mutex};
use crate::trace::{self, Event, Obj};
use std::fmt;
use std::time::Duration;

enum State {
    /// Made by `Timer::new`, not started: holds the function.
    NotStarted(Func),
    Pending,
    Running,
    Done,
    Cancelled,
}

type Func = Box<dyn FnOnce() + Send + 'static>;

struct Shared {
    state: Mutex<State>,
    /// When the timer is due; set when it is queued (`None`: not started, or never due).
    deadline: Mutex<Option<clock::Instant>>,
    cv: Condvar,
    obj: Obj,
}

impl Shared {
    fn new(state: State, deadline: Option<clock::Instant>) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(state),
            deadline: Mutex::new(deadline),
            cv: Condvar::new(),
            obj: Obj::new("Timer", None),
        })
    }
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            State::NotStarted(_) => "NotStarted",
            State::Pending => "Pending",
            State::Running => "Running",
            State::Done => "Done",
            State::Cancelled => "Cancelled",
        }
    }
}

/// Why [`Timer::start`] refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimerError {
    /// The timer was already started (Python: `RuntimeError: threads can only be started
    /// once`). Nothing changed.
    AlreadyStarted,
}

impl fmt::Display for TimerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the timer was already started")
    }
}

impl std::error::Error for TimerError {}

impl Shared {
    /// The firer's side: claim the call, run it, publish `Done`. A panic in `f` is caught
    /// (and, in the model builds, re-raised after `Done` so the checker reports it).
    fn fire(&self, f: Func) {
        {
            let mut g = self.state.lock();
            if !matches!(*g, State::Pending) {
                return;
            }
            *g = State::Running;
        }
        trace::event(&self.obj, Event::Acquired);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        {
            let mut g = self.state.lock();
            *g = State::Done;
            self.cv.notify_all(&g);
        }
        #[cfg(threadcheck_model)]
        if let Err(p) = r {
            std::panic::resume_unwind(p);
        }
        #[cfg(not(threadcheck_model))]
        drop(r);
    }
}

/// A function scheduled to run once after an interval, unless cancelled, as Python's
/// `threading.Timer`.
///
/// # Examples
/// ```
/// use threadcheck::Timer;
/// use std::time::Duration;
/// let t = Timer::new(Duration::from_millis(1), || println!("fired"));
/// t.start().unwrap();
/// assert!(t.join(), "not cancelled, so it ran");
/// assert!(!t.cancel(), "too late to cancel");
///
/// let t = Timer::after(Duration::from_secs(3600), || unreachable!()); // new + start
/// assert!(t.cancel(), "cancelled in time: the function will never run");
/// ```
///
/// # Differences from Python's `threading.Timer`
/// - `Timer(interval, f)` is [`Timer::new`] and `start()` is [`Timer::start`], which returns
///   `Err(TimerError::AlreadyStarted)` the second time (Python: `RuntimeError`);
///   [`Timer::after`] does both. `args`/`kwargs` are the closure's captures.
/// - There is no thread: one service thread serves every timer (Python: a thread each), so
///   [`Timer::join`] waits for the outcome and returns whether the function ran, and
///   [`Timer::is_alive`] is true from `start()` until the function has run or the timer was
///   cancelled. A panicking function is reported by the panic hook and does not stop other
///   timers.
/// - [`Timer::cancel`] returns whether it prevented the call (Python's returns nothing, so
///   the caller cannot know whether the function ran).
/// - `join()` on a timer never started returns false at once (Python: `RuntimeError:
///   cannot join thread before it is started`), rather than wait for a start that may
///   never come.
pub struct Timer {
    shared: Arc<Shared>,
    interval: Duration,
}

impl Timer {
    /// A timer that will call `f` once, `interval` after [`Timer::start`], on threadcheck's
    /// clock (Python: `Timer(interval, f)`). Nothing is scheduled until `start`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let t = threadcheck::Timer::new(Duration::from_millis(1), || unreachable!());
    /// assert!(!t.is_alive());
    /// assert!(t.cancel(), "cancel before start: the function can never run");
    /// t.start().unwrap(); // starts nothing
    /// assert!(!t.join());
    /// ```
    pub fn new(interval: Duration, f: impl FnOnce() + Send + 'static) -> Timer {
        Timer {
            shared: Shared::new(State::NotStarted(Box::new(f)), None),
            interval,
        }
    }

    /// Schedules `f` to run once, `interval` from now: [`Timer::new`] then [`Timer::start`]
    /// in one step.
    pub fn after(interval: Duration, f: impl FnOnce() + Send + 'static) -> Timer {
        // Built inside the service's queue lock, once the deadline is known: no second lock.
        let (shared, _) = service::add(interval, Box::new(f), |d| Shared::new(State::Pending, d));
        Timer { shared, interval }
    }

    /// Starts the interval: the function runs once it has passed, unless cancelled first
    /// (Python: `start()`). A timer cancelled before `start` stays cancelled.
    ///
    /// ```
    /// use threadcheck::{Timer, TimerError};
    /// let t = Timer::new(std::time::Duration::from_millis(1), || {});
    /// t.start().unwrap();
    /// assert_eq!(t.start(), Err(TimerError::AlreadyStarted));
    /// assert!(t.join());
    /// ```
    pub fn start(&self) -> Result<(), TimerError> {
        let f = {
            let mut g = self.shared.state.lock();
            match std::mem::replace(&mut *g, State::Pending) {
                State::NotStarted(f) => f,
                State::Cancelled => {
                    // Cancelled before start (or after): stays cancelled, never fires.
                    *g = State::Cancelled;
                    return Ok(());
                }
                other => {
                    *g = other;
                    return Err(TimerError::AlreadyStarted);
                }
            }
        };
        let (_, deadline) = service::add(self.interval, f, |_| self.shared.clone());
        *self.shared.deadline.lock() = deadline;
        Ok(())
    }

    /// Prevents the call if it has not started; returns true if it did (then the function
    /// never runs), false if the function has run or is running (Python: `cancel()`).
    /// Cancelling a timer not yet started drops its function.
    pub fn cancel(&self) -> bool {
        let mut g = self.shared.state.lock();
        if !matches!(*g, State::Pending | State::NotStarted(_)) {
            return false;
        }
        *g = State::Cancelled;
        trace::event(&self.shared.obj, Event::GaveUp);
        self.shared.cv.notify_all(&g);
        true
    }

    /// Waits until the timer is settled: returns true once the function has run (or
    /// panicked), false if it was cancelled.
    pub fn join(&self) -> bool {
        let mut g = self.shared.state.lock();
        while matches!(*g, State::Pending | State::Running) {
            self.shared.cv.wait(&mut g);
        }
        matches!(*g, State::Done)
    }

    /// When the timer is due on threadcheck's clock: `None` before [`Timer::start`], for a
    /// timer cancelled before it, or for an interval too large to represent (never due).
    /// Timers due at the same instant run in the order they started.
    pub fn deadline(&self) -> Option<clock::Instant> {
        *self.shared.deadline.lock()
    }

    /// The interval given at construction (Python: `interval`).
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Whether the function has finished running.
    pub fn finished(&self) -> bool {
        matches!(*self.shared.state.lock(), State::Done)
    }

    /// Whether the timer is started and not settled: waiting for its interval or running
    /// its function (Python: `is_alive()` of the timer's thread).
    ///
    /// ```
    /// let t = threadcheck::Timer::after(std::time::Duration::from_secs(3600), || {});
    /// assert!(t.is_alive());
    /// t.cancel();
    /// assert!(!t.is_alive());
    /// ```
    pub fn is_alive(&self) -> bool {
        matches!(*self.shared.state.lock(), State::Pending | State::Running)
    }
}

impl fmt::Debug for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timer")
            .field("state", &self.shared.state.lock().name())
            .field("interval", &self.interval)
            .finish()
    }
}

mod service {
    use super::{Func, Shared, State};
    use crate::clock::{self, Condvar};
    use crate::rt::sync::{Arc, Mutex};
    use std::cmp::Ordering;
    use std::collections::BinaryHeap;

    struct Entry {
        deadline: clock::Instant,
        seq: u64,
        shared: Arc<Shared>,
        f: Func,
    }
    impl PartialEq for Entry {
        fn eq(&self, o: &Self) -> bool {
            (self.deadline, self.seq) == (o.deadline, o.seq)
        }
    }
    impl Eq for Entry {}
    impl PartialOrd for Entry {
        fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Entry {
        /// Reversed: `BinaryHeap` is a max-heap, the earliest deadline must be on top.
        fn cmp(&self, o: &Self) -> Ordering {
            (o.deadline, o.seq).cmp(&(self.deadline, self.seq))
        }
    }

    /// A heap this long is swept of cancelled timers before it grows further (never reached by
    /// the corpus's models, so the model builds never sweep).
    const SWEEP_AT_LEAST: usize = 4096;

    struct Queue {
        heap: BinaryHeap<Entry>,
        /// Sweep the heap when it reaches this length: twice what the last sweep left.
        sweep_at: usize,
        seq: u64,
        /// Model builds, end of execution: exit once the heap is empty.
        stop: bool,
    }

    pub(super) struct Service {
        queue: Mutex<Queue>,
        cv: Condvar,
    }

    impl Service {
        fn new() -> Self {
            Service {
                queue: Mutex::new(Queue {
                    heap: BinaryHeap::new(),
                    sweep_at: SWEEP_AT_LEAST,
                    seq: 0,
                    stop: false,
                }),
                cv: Condvar::new(),
            }
        }
    }

    /// Production: one service thread for the process, started by the first timer.
    #[cfg(not(threadcheck_model))]
    fn service() -> &'static Service {
        static SERVICE: crate::rt::sync::OnceLock<Service> = crate::rt::sync::OnceLock::new();
        let mut started = false;
        let svc = SERVICE.get_or_init(|| {
            started = true;
            Service::new()
        });
        if started {
            crate::rt::thread::spawn(Some("threadcheck-timer".into()), move || run(svc));
        }
        svc
    }

    /// Model builds: one service model thread per execution, started by the first timer and
    /// stopped (after the timers still due have fired) when the execution's main thread ends.
    #[cfg(threadcheck_model)]
    fn service() -> Arc<Service> {
        use std::mem::ManuallyDrop;
        std::thread_local! {
            // (execution, service): unmodelled bookkeeping, reset per execution. Never dropped
            // implicitly: a checker object must not be dropped outside its execution.
            static SERVICE: std::cell::RefCell<Option<(u64, ManuallyDrop<Arc<Service>>)>> =
                const { std::cell::RefCell::new(None) };
        }
        let exec = clock::execution_id();
        if let Some(s) = SERVICE.with(|s| match &*s.borrow() {
            Some((e, svc)) if *e == exec => Some(Arc::clone(svc)),
            _ => None,
        }) {
            return s;
        }
        // A service left by an execution that panicked is replaced (and leaked, see above).
        let svc = Arc::new(Service::new());
        SERVICE.with(|s| *s.borrow_mut() = Some((exec, ManuallyDrop::new(svc.clone()))));
        let runner = svc.clone();
        crate::thread::Builder::new()
            .name("Timer")
            .internal()
            .spawn(move || run(&runner));
        clock::at_end_of_execution(Box::new(move || {
            let svc = SERVICE.with(|s| s.borrow_mut().take());
            if let Some((_, svc)) = svc {
                let svc = ManuallyDrop::into_inner(svc);
                let mut q = svc.queue.lock();
                q.stop = true;
                svc.cv.notify_one(&q);
            }
        }));
        svc
    }

    /// Queues a timer; returns it (`shared` is given the deadline) and its deadline. The
    /// deadline is taken with the queue locked, so a timer is never queued with a deadline
    /// earlier than one already served: calls follow deadlines, even if the caller was
    /// delayed between `start` and here.
    pub(super) fn add(
        interval: std::time::Duration,
        f: Func,
        shared: impl FnOnce(Option<clock::Instant>) -> Arc<Shared>,
    ) -> (Arc<Shared>, Option<clock::Instant>) {
        let svc = service();
        let mut q = svc.queue.lock();
        let deadline = clock::deadline_after(interval);
        let shared = shared(deadline);
        // A timer that never fires (interval too large to represent) only waits for cancel.
        let Some(deadline) = deadline else {
            return (shared, None);
        };
        if q.heap.len() >= q.sweep_at {
            sweep(&mut q);
        }
        q.seq += 1;
        let seq = q.seq;
        let earliest = q.heap.peek().map_or(true, |e| deadline < e.deadline);
        q.heap.push(Entry {
            deadline,
            seq,
            shared: shared.clone(),
            f,
        });
        if earliest {
            // The service sleeps until the old top's deadline: make it look again.
            svc.cv.notify_one(&q);
        }
        (shared, Some(deadline))
    }

    /// Drops the cancelled timers from the heap. A cancelled timer otherwise leaves only when
    /// it reaches the top, which for a long interval is never: start+cancel in a loop grew
    /// the heap (and memory) without bound, 1.24 µs per pair beside a million pending timers.
    /// Sweeping each time the heap doubles costs O(1) per timer, amortized.
    #[cold]
    fn sweep(q: &mut Queue) {
        q.heap
            .retain(|e| !matches!(*e.shared.state.lock(), State::Cancelled));
        q.sweep_at = (2 * q.heap.len()).max(SWEEP_AT_LEAST);
    }

    fn run(svc: &Service) {
        let mut q = svc.queue.lock();
        loop {
            let Some(top) = q.heap.peek() else {
                if q.stop {
                    return;
                }
                svc.cv.wait(&mut q);
                continue;
            };
            if matches!(*top.shared.state.lock(), State::Cancelled) {
                q.heap.pop();
                continue;
            }
            if top.deadline <= clock::now() {
                let e = q.heap.pop().expect("peeked");
                drop(q);
                e.shared.fire(e.f);
                q = svc.queue.lock();
                continue;
            }
            let d = top.deadline;
            svc.cv.wait_until(&mut q, Some(d));
        }
    }
}
