//! `Timer`: Python's `threading.Timer` — run a function once after an interval, unless
//! cancelled first.
//!
//! Python starts a thread per timer. Here, in production, one service thread serves every
//! pending timer from a binary heap ordered by (deadline, start order), sleeping on a clock
//! condvar until the earliest deadline; a cancelled timer is dropped lazily when it reaches
//! the top. A panicking function is caught, so it does not take the service down.
//!
//! Under loom and shuttle the same service runs as a model thread per execution (one of
//! loom's 5 threads, however many timers), on model time; the harness's end of execution
//! stops it once the timers still due have fired.
//!
//! Either way the call is decided by one state transition under the timer's mutex —
//! `Pending -> Running` by the firer or `Pending -> Cancelled` by [`Timer::cancel`] — so
//! `cancel()` returning true means the function never runs, and false means it has run or
//! is running.

use crate::clock::{self, Condvar};
use crate::rt::sync::{Arc, Mutex};
use crate::trace::{self, Event, Obj};
use std::fmt;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Pending,
    Running,
    Done,
    Cancelled,
}

type Func = Box<dyn FnOnce() + Send + 'static>;

struct Shared {
    state: Mutex<State>,
    cv: Condvar,
    obj: Obj,
}

impl Shared {
    /// The firer's side: claim the call, run it, publish `Done`. A panic in `f` is caught
    /// (and, in the model builds, re-raised after `Done` so the checker reports it).
    fn fire(&self, f: Func) {
        {
            let mut g = self.state.lock();
            if *g != State::Pending {
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
/// let t = Timer::start(Duration::from_millis(1), || println!("fired"));
/// assert!(t.join(), "not cancelled, so it ran");
/// assert!(!t.cancel(), "too late to cancel");
///
/// let t = Timer::start(Duration::from_secs(3600), || unreachable!());
/// assert!(t.cancel(), "cancelled in time: the function will never run");
/// ```
///
/// # Differences from Python's `threading.Timer`
/// - `Timer(interval, f).start()` is [`Timer::start`]; there is no thread to `join`, but
///   [`Timer::join`] waits for the outcome.
/// - [`Timer::cancel`] returns whether it prevented the call (Python's returns nothing, so
///   the caller cannot know whether the function ran).
/// - One service thread serves every timer (Python: a thread each); a panicking function is
///   reported by the panic hook and does not stop other timers.
pub struct Timer {
    shared: Arc<Shared>,
    deadline: Option<clock::Instant>,
}

impl Timer {
    /// Schedules `f` to run once, `interval` from now on threadcheck's clock.
    pub fn start(interval: Duration, f: impl FnOnce() + Send + 'static) -> Timer {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::Pending),
            cv: Condvar::new(),
            obj: Obj::new("Timer", None),
        });
        let deadline = service::add(shared.clone(), interval, Box::new(f));
        Timer { shared, deadline }
    }

    /// Prevents the call if it has not started; returns true if it did (then the function
    /// never runs), false if the function has run or is running (Python: `cancel()`).
    pub fn cancel(&self) -> bool {
        let mut g = self.shared.state.lock();
        if *g != State::Pending {
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
        *g == State::Done
    }

    /// When the timer is due on threadcheck's clock (`None`: an interval too large to
    /// represent, so never). Timers due at the same instant run in the order they started.
    pub fn deadline(&self) -> Option<clock::Instant> {
        self.deadline
    }

    /// Whether the function has finished running.
    pub fn finished(&self) -> bool {
        *self.shared.state.lock() == State::Done
    }
}

impl fmt::Debug for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timer")
            .field("state", &*self.shared.state.lock())
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

    struct Queue {
        heap: BinaryHeap<Entry>,
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

    /// Queues a timer; returns its deadline. The deadline is taken with the queue locked, so
    /// a timer is never queued with a deadline earlier than one already served: calls follow
    /// deadlines, even if the caller was delayed between `start` and here.
    pub(super) fn add(
        shared: Arc<Shared>,
        interval: std::time::Duration,
        f: Func,
    ) -> Option<clock::Instant> {
        let svc = service();
        let mut q = svc.queue.lock();
        // A timer that never fires (interval too large to represent) only waits for cancel.
        let deadline = clock::deadline_after(interval)?;
        q.seq += 1;
        let seq = q.seq;
        let earliest = q.heap.peek().map_or(true, |e| deadline < e.deadline);
        q.heap.push(Entry {
            deadline,
            seq,
            shared,
            f,
        });
        if earliest {
            // The service sleeps until the old top's deadline: make it look again.
            svc.cv.notify_one(&q);
        }
        Some(deadline)
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
            if *top.shared.state.lock() == State::Cancelled {
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
