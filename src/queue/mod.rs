//! The `queue` module's three queues: [`Queue`] (FIFO), [`LifoQueue`] and [`PriorityQueue`].
//!
//! One core, three orders, in the spirit of crossbeam-channel's flavors: the order is a
//! small buffer type ([`fifo`], [`lifo`], [`priority`]) and everything else — bounds,
//! blocking, timeouts, `task_done`/`join`, shutdown — is written once in [`Core`]. The
//! algorithm is CPython's `queue.py`: one mutex, three condvars (`not_empty`, `not_full`,
//! `all_tasks_done`), a count of unfinished tasks, and a shutdown flag. Blocking, timed and
//! try operations are one code path: [`Wait::Never`] is try, [`Wait::Until`] with `None`
//! blocks forever, with `Some(deadline)` is timed.
//!
//! The condvars count their waiters (`clock::Condvar`), so a put with no getter waiting does
//! not notify — in production that saves a futex call per operation; under a checker it
//! removes a scheduling point per operation.
//!
//! In production a put or get about to block first spins briefly with the mutex let go
//! (`src/rt/handoff.rs`), watching a length hint, as crossbeam-channel does before it
//! parks: on a loaded 2-vCPU machine a parked thread takes tens of µs to wake, and the other
//! side was usually a few hundred ns from making room. That took the bounded queue from 2–5×
//! crossbeam-channel's `bounded` at capacities 64 and 1024 to about its speed (README,
//! *Performance*). The model builds park at once, as before (the corpus's loom executions are
//! unchanged); `tests/fastpath_queue.rs` checks the spinning shape on loom's atomics.

mod error;
mod fifo;
mod lifo;
mod priority;

pub use error::{
    GetError, GetTimeoutError, PutError, PutTimeoutError, TaskDoneError, TryGetError, TryPutError,
};

use crate::clock::{self, Condvar, Instant};
use crate::rt::handoff::{Handoff, HandoffApi};
use crate::rt::sync::Mutex;
use crate::trace::{self, Event, Obj};
use fifo::Fifo;
use lifo::Lifo;
use priority::Priority;
use std::fmt;
use std::time::Duration;

/// The order a queue keeps its items in: the only thing the three queues do differently.
pub(crate) trait Order {
    type Item;
    fn with_capacity(n: usize) -> Self;
    fn push(&mut self, item: Self::Item);
    fn pop(&mut self) -> Option<Self::Item>;
    fn len(&self) -> usize;
}

/// Don't preallocate more than this for a bounded queue: `Queue::new(1 << 40)` is a bound,
/// not a request for memory.
const MAX_PREALLOC: usize = 1024;

/// How long an operation may block.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Wait {
    /// Not at all (`try_*`, Python's `block=False`).
    Never,
    /// Until the deadline; `None` is forever.
    Until(Option<Instant>),
}

/// Why a put failed; the item comes back.
pub(crate) enum PutFail<T> {
    Full(T),
    Timeout(T),
    ShutDown(T),
}

/// Why a get failed.
#[derive(Debug)]
pub(crate) enum GetFail {
    Empty,
    Timeout,
    ShutDown,
}

/// Everything guarded by the queue's one mutex.
struct State<O> {
    items: O,
    /// 0: unbounded. Under the mutex: [`Core::set_maxsize`] may change it.
    maxsize: usize,
    /// Items put and not yet marked done with `task_done` (Python: `unfinished_tasks`).
    unfinished: usize,
    shut_down: bool,
}

/// The queue algorithm, generic over the order and over the spin-before-park shape (this
/// build's [`Handoff`]; the fast-path models pick production's on loom's atomics).
pub(crate) struct Core<O, H = Handoff> {
    state: Mutex<State<O>>,
    not_empty: Condvar,
    not_full: Condvar,
    all_done: Condvar,
    handoff: H,
    obj: Obj,
}

impl<O: Order, H: HandoffApi> Core<O, H> {
    pub(crate) fn new(maxsize: usize, obj: Obj) -> Self {
        Core {
            handoff: H::new(),
            state: Mutex::new(State {
                items: O::with_capacity(maxsize.min(MAX_PREALLOC)),
                maxsize,
                unfinished: 0,
                shut_down: false,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            all_done: Condvar::new(),
            obj,
        }
    }

    pub(crate) fn try_put(&self, item: O::Item) -> Result<(), PutFail<O::Item>> {
        self.put_until(item, Wait::Never)
    }

    pub(crate) fn put(
        &self,
        item: O::Item,
        deadline: Option<Instant>,
    ) -> Result<(), PutFail<O::Item>> {
        self.put_until(item, Wait::Until(deadline))
    }

    pub(crate) fn try_get(&self) -> Result<O::Item, GetFail> {
        self.get_until(Wait::Never)
    }

    pub(crate) fn get(&self, deadline: Option<Instant>) -> Result<O::Item, GetFail> {
        self.get_until(Wait::Until(deadline))
    }

    fn put_until(&self, item: O::Item, wait: Wait) -> Result<(), PutFail<O::Item>> {
        let mut g = self.state.lock();
        let mut timed_out = false;
        let mut blocked = false;
        loop {
            // Shutdown is checked first and after every wake, as in CPython: a putter
            // blocked on a full queue leaves with its item when the queue shuts down.
            if g.shut_down {
                trace::event(&self.obj, Event::GaveUp);
                return Err(PutFail::ShutDown(item));
            }
            if g.maxsize == 0 || g.items.len() < g.maxsize {
                break;
            }
            let deadline = match wait {
                Wait::Never => return Err(PutFail::Full(item)),
                Wait::Until(d) => d,
            };
            // Checked after the predicate: an item taken just as the deadline passed
            // still lets this put through.
            if timed_out {
                trace::event(&self.obj, Event::TimedOut);
                return Err(PutFail::Timeout(item));
            }
            if !blocked {
                blocked = true;
                trace::event(&self.obj, Event::Blocks);
                // A getter is usually about to make room: spin before parking (production
                // only), then re-check under the mutex.
                let max = g.maxsize;
                if max > 1 {
                    self.handoff.spin_while(&mut g, |len| len >= max);
                    continue;
                }
            }
            timed_out = self.not_full.wait_until(&mut g, deadline);
        }
        g.items.push(item);
        g.unfinished += 1;
        self.handoff.publish(g.items.len());
        trace::event(&self.obj, Event::Put);
        self.not_empty.notify_one(&g);
        Ok(())
    }

    fn get_until(&self, wait: Wait) -> Result<O::Item, GetFail> {
        let mut g = self.state.lock();
        let mut timed_out = false;
        let mut blocked = false;
        loop {
            // Items first: after a shutdown, get drains what is left (Python 3.13).
            if let Some(item) = g.items.pop() {
                self.handoff.publish(g.items.len());
                trace::event(&self.obj, Event::Got);
                self.not_full.notify_one(&g);
                return Ok(item);
            }
            if g.shut_down {
                trace::event(&self.obj, Event::GaveUp);
                return Err(GetFail::ShutDown);
            }
            let deadline = match wait {
                Wait::Never => return Err(GetFail::Empty),
                Wait::Until(d) => d,
            };
            if timed_out {
                trace::event(&self.obj, Event::TimedOut);
                return Err(GetFail::Timeout);
            }
            if !blocked {
                blocked = true;
                trace::event(&self.obj, Event::Blocks);
                // Not at capacity 1, where every item is a handoff and both sides would
                // spin for every one: measured slower than parking at once there.
                if g.maxsize != 1 {
                    self.handoff.spin_while(&mut g, |len| len == 0);
                    continue;
                }
            }
            timed_out = self.not_empty.wait_until(&mut g, deadline);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.state.lock().items.len()
    }

    pub(crate) fn is_full(&self) -> bool {
        let g = self.state.lock();
        g.maxsize > 0 && g.items.len() >= g.maxsize
    }

    pub(crate) fn maxsize(&self) -> usize {
        self.state.lock().maxsize
    }

    /// Changes the bound. Putters blocked on a full queue re-check it when it grows (Python
    /// does not wake them: they wait for the next `get`).
    pub(crate) fn set_maxsize(&self, maxsize: usize) {
        let mut g = self.state.lock();
        let grew = maxsize == 0 || (g.maxsize != 0 && maxsize > g.maxsize);
        g.maxsize = maxsize;
        if grew {
            self.not_full.notify_all(&g);
        }
    }

    pub(crate) fn unfinished(&self) -> usize {
        self.state.lock().unfinished
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.state.lock().shut_down
    }

    pub(crate) fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut g = self.state.lock();
        if g.unfinished == 0 {
            return Err(TaskDoneError);
        }
        g.unfinished -= 1;
        if g.unfinished == 0 {
            self.all_done.notify_all(&g);
        }
        Ok(())
    }

    pub(crate) fn join(&self) {
        let mut g = self.state.lock();
        if g.unfinished > 0 {
            trace::event(&self.obj, Event::Blocks);
            while g.unfinished > 0 {
                self.all_done.wait(&mut g);
            }
        }
    }

    /// Returns the discarded items (none unless `immediate`), in the order `get` would
    /// have returned them.
    pub(crate) fn shutdown(&self, immediate: bool) -> Vec<O::Item> {
        let mut g = self.state.lock();
        g.shut_down = true;
        let mut discarded = Vec::new();
        if immediate {
            while let Some(item) = g.items.pop() {
                discarded.push(item);
                // A discarded item counts as done. Saturating: task_done may already have
                // been called for it (CPython guards the same way).
                g.unfinished = g.unfinished.saturating_sub(1);
            }
            self.handoff.publish(0);
            if g.unfinished == 0 {
                self.all_done.notify_all(&g);
            }
        }
        // Every blocked getter re-checks and fails (the queue is empty or will drain);
        // every blocked putter fails with its item.
        self.not_empty.notify_all(&g);
        self.not_full.notify_all(&g);
        discarded
    }
}

/// The production queue core on loom's atomics, for `tests/fastpath_queue.rs`.
#[cfg(loom)]
pub mod fastpath;

/// Writes the public type for one order. The three queues differ only in order, so their
/// API and docs are written once; each type's own docs show its order.
macro_rules! queue_type {
    (
        $(#[$attr:meta])*
        $Name:ident [$($bound:tt)*], $Order:ident, order: $order:literal
    ) => {
        $(#[$attr])*
        pub struct $Name<T> {
            core: Core<$Order<T>>,
        }

        impl<T $($bound)*> $Name<T> {
            #[doc = concat!("A ", $order, " queue holding at most `maxsize` items; 0 means unbounded, as in Python.")]
            ///
            /// ```
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::<u32>::new(3);")]
            /// assert_eq!(q.maxsize(), 3);
            /// assert!(q.is_empty());
            /// ```
            pub fn new(maxsize: usize) -> Self {
                Self::build(maxsize, None)
            }

            #[doc = concat!("An unbounded ", $order, " queue (Python: `maxsize=0`).")]
            pub fn unbounded() -> Self {
                Self::build(0, None)
            }

            /// A queue with a name, used in counterexamples.
            ///
            /// ```
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::<u32>::named(\"jobs\", 0);")]
            /// assert_eq!(q.name(), Some("jobs"));
            /// ```
            pub fn named(name: &'static str, maxsize: usize) -> Self {
                Self::build(maxsize, Some(name))
            }

            fn build(maxsize: usize, name: Option<&'static str>) -> Self {
                $Name {
                    core: Core::new(maxsize, Obj::new(stringify!($Name), name)),
                }
            }

            #[doc = concat!("The name given to [`", stringify!($Name), "::named`].")]
            pub fn name(&self) -> Option<&'static str> {
                self.core.obj.name
            }

            /// The bound; 0 means unbounded (Python: the `maxsize` attribute).
            pub fn maxsize(&self) -> usize {
                self.core.maxsize()
            }

            /// Changes the bound (Python: `q.maxsize = n`); 0 means unbounded. Shrinking
            /// below the current length drops nothing: puts fail or wait until gets bring the
            /// queue under the new bound. Growing it lets blocked putters through at once.
            ///
            /// ```
            /// use threadcheck::TryPutError;
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::new(3);")]
            /// q.put(1).unwrap();
            /// q.put(2).unwrap();
            /// q.set_maxsize(2);
            /// assert_eq!(q.try_put(3), Err(TryPutError::Full(3)));
            /// q.set_maxsize(0);
            /// q.try_put(3).unwrap();
            /// ```
            pub fn set_maxsize(&self, maxsize: usize) {
                self.core.set_maxsize(maxsize)
            }

            /// Puts `item`, blocking while the queue is full (Python: `put(item)`).
            ///
            /// Fails only if the queue is shut down, before or while waiting; the item
            /// comes back in the error.
            ///
            /// ```
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::new(0);")]
            /// q.put(1).unwrap();
            /// q.shutdown(false);
            /// assert_eq!(q.put(2).unwrap_err().into_inner(), 2);
            /// ```
            pub fn put(&self, item: T) -> Result<(), PutError<T>> {
                match self.core.put(item, None) {
                    Ok(()) => Ok(()),
                    Err(PutFail::ShutDown(t)) => Err(PutError(t)),
                    Err(PutFail::Full(_) | PutFail::Timeout(_)) => {
                        unreachable!("an untimed put neither times out nor reports Full")
                    }
                }
            }

            /// Puts `item`, waiting at most `timeout` for room, on threadcheck's clock
            /// (Python: `put(item, timeout=t)`). A timeout too large to represent waits
            /// forever.
            ///
            /// ```
            /// use std::time::Duration;
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::new(1);")]
            /// q.put_timeout(1, Duration::from_millis(1)).unwrap();
            /// let e = q.put_timeout(2, Duration::from_millis(1)).unwrap_err();
            /// assert!(e.is_timeout());
            /// assert_eq!(e.into_inner(), 2);
            /// ```
            pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>> {
                match self.core.put(item, clock::deadline_after(timeout)) {
                    Ok(()) => Ok(()),
                    Err(PutFail::ShutDown(t)) => Err(PutTimeoutError::ShutDown(t)),
                    Err(PutFail::Timeout(t) | PutFail::Full(t)) => Err(PutTimeoutError::Timeout(t)),
                }
            }

            /// Puts `item` if there is room, without blocking (Python: `put_nowait`).
            ///
            /// ```
            /// use threadcheck::TryPutError;
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::new(1);")]
            /// q.try_put('a').unwrap();
            /// assert_eq!(q.try_put('b'), Err(TryPutError::Full('b')));
            /// q.shutdown(false);
            /// assert_eq!(q.try_put('c'), Err(TryPutError::ShutDown('c')));
            /// ```
            pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
                match self.core.try_put(item) {
                    Ok(()) => Ok(()),
                    Err(PutFail::ShutDown(t)) => Err(TryPutError::ShutDown(t)),
                    Err(PutFail::Full(t) | PutFail::Timeout(t)) => Err(TryPutError::Full(t)),
                }
            }

            /// Removes and returns the next item, blocking while the queue is empty (Python:
            /// `get()`).
            ///
            /// After [`shutdown`](Self::shutdown) it still returns what is left, then fails.
            ///
            /// ```
            /// use threadcheck::GetError;
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::new(0);")]
            /// q.put(7).unwrap();
            /// q.shutdown(false);
            /// assert_eq!(q.get(), Ok(7));
            /// assert_eq!(q.get(), Err(GetError));
            /// ```
            pub fn get(&self) -> Result<T, GetError> {
                match self.core.get(None) {
                    Ok(t) => Ok(t),
                    Err(GetFail::ShutDown) => Err(GetError),
                    Err(e @ (GetFail::Empty | GetFail::Timeout)) => {
                        unreachable!("an untimed get failed with {e:?}")
                    }
                }
            }

            /// Removes and returns the next item, waiting at most `timeout` for one, on
            /// threadcheck's clock (Python: `get(timeout=t)`).
            ///
            /// ```
            /// use std::time::Duration;
            /// use threadcheck::GetTimeoutError;
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::<u8>::new(0);")]
            /// assert_eq!(q.get_timeout(Duration::from_millis(1)), Err(GetTimeoutError::Timeout));
            /// ```
            pub fn get_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError> {
                match self.core.get(clock::deadline_after(timeout)) {
                    Ok(t) => Ok(t),
                    Err(GetFail::ShutDown) => Err(GetTimeoutError::ShutDown),
                    Err(GetFail::Timeout | GetFail::Empty) => Err(GetTimeoutError::Timeout),
                }
            }

            /// Removes and returns the next item if there is one, without blocking (Python:
            /// `get_nowait`).
            ///
            /// ```
            /// use threadcheck::TryGetError;
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::<u8>::new(0);")]
            /// assert_eq!(q.try_get(), Err(TryGetError::Empty));
            /// q.shutdown(false);
            /// assert_eq!(q.try_get(), Err(TryGetError::ShutDown));
            /// ```
            pub fn try_get(&self) -> Result<T, TryGetError> {
                match self.core.try_get() {
                    Ok(t) => Ok(t),
                    Err(GetFail::ShutDown) => Err(TryGetError::ShutDown),
                    Err(GetFail::Empty | GetFail::Timeout) => Err(TryGetError::Empty),
                }
            }

            /// The number of items in the queue (Python: `qsize()`). Another thread may
            /// change it before you act on it.
            pub fn len(&self) -> usize {
                self.core.len()
            }

            /// Same as [`len`](Self::len), under Python's name.
            pub fn qsize(&self) -> usize {
                self.core.len()
            }

            /// Whether the queue holds no items (Python: `empty()`). Checking this and then
            /// calling `get` is a race: see the corpus model `bugs/empty_then_get`.
            pub fn is_empty(&self) -> bool {
                self.core.len() == 0
            }

            /// Whether the queue holds `maxsize` items (Python: `full()`). Never true for an
            /// unbounded queue.
            pub fn is_full(&self) -> bool {
                self.core.is_full()
            }

            /// Marks one item got earlier as processed (Python: `task_done()`).
            ///
            /// Called more times than items were put, it is an error and changes nothing.
            ///
            /// ```
            /// use threadcheck::TaskDoneError;
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::new(0);")]
            /// q.put(1).unwrap();
            /// q.get().unwrap();
            /// assert_eq!(q.task_done(), Ok(()));
            /// assert_eq!(q.task_done(), Err(TaskDoneError));
            /// q.join(); // returns at once: nothing unfinished
            /// ```
            pub fn task_done(&self) -> Result<(), TaskDoneError> {
                self.core.task_done()
            }

            /// Blocks until every item put has been marked done with
            /// [`task_done`](Self::task_done) or discarded by an immediate
            /// [`shutdown`](Self::shutdown) (Python: `join()`).
            pub fn join(&self) {
                self.core.join()
            }

            /// Items put and not yet marked done (Python: the `unfinished_tasks` attribute).
            pub fn unfinished_tasks(&self) -> usize {
                self.core.unfinished()
            }

            /// Shuts the queue down (Python 3.13: `shutdown(immediate)`), waking every
            /// blocked putter and getter.
            ///
            /// Afterwards `put` fails and hands the item back; `get` returns what is left,
            /// then fails. With `immediate`, what is left is discarded instead: it is
            /// returned here (in the order `get` would have returned it), counts as done,
            /// and `join` returns once the items already got are marked done.
            ///
            /// ```
            #[doc = concat!("let q = threadcheck::", stringify!($Name), "::new(0);")]
            /// q.put(1).unwrap();
            /// q.get().unwrap();
            /// q.put(2).unwrap();
            /// assert_eq!(q.shutdown(true), vec![2]);
            /// assert_eq!(q.unfinished_tasks(), 1); // the item got is not done yet
            /// q.task_done().unwrap();
            /// q.join();
            /// ```
            pub fn shutdown(&self, immediate: bool) -> Vec<T> {
                self.core.shutdown(immediate)
            }

            /// Whether [`shutdown`](Self::shutdown) was called (Python: `is_shutdown`).
            pub fn is_shut_down(&self) -> bool {
                self.core.is_shut_down()
            }
        }

        impl<T $($bound)*> Default for $Name<T> {
            /// An unbounded queue.
            fn default() -> Self {
                Self::unbounded()
            }
        }

        impl<T $($bound)*> fmt::Debug for $Name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let g = self.core.state.lock();
                f.debug_struct(stringify!($Name))
                    .field("name", &self.core.obj.name)
                    .field("maxsize", &g.maxsize)
                    .field("len", &g.items.len())
                    .field("unfinished_tasks", &g.unfinished)
                    .field("shut_down", &g.shut_down)
                    .finish()
            }
        }
    };
}

queue_type! {
    /// A first-in, first-out queue, as Python's `queue.Queue`.
    ///
    /// # Examples
    /// ```
    /// use threadcheck::{thread, Queue};
    /// use std::sync::Arc;
    /// let q = Arc::new(Queue::new(3));
    /// let q2 = q.clone();
    /// let producer = thread::spawn(move || {
    ///     for i in 1..=5 {
    ///         q2.put(i).unwrap(); // blocks while 3 items wait
    ///     }
    /// });
    /// let got: Vec<i32> = (0..5).map(|_| q.get().unwrap()).collect();
    /// producer.join().unwrap();
    /// assert_eq!(got, [1, 2, 3, 4, 5]);
    /// ```
    ///
    /// # Differences from Python's `queue.Queue`
    /// - Errors are values: `put` on a shut-down queue is `Err(PutError(item))`, handing the
    ///   item back; `queue.Full`/`queue.Empty` are [`TryPutError::Full`] and
    ///   [`TryGetError::Empty`]; a timed-out wait is [`PutTimeoutError::Timeout`] /
    ///   [`GetTimeoutError::Timeout`]; `task_done()` too many times is `Err(TaskDoneError)`.
    /// - `put(block=False)`/`put_nowait` is [`try_put`](Queue::try_put),
    ///   `put(timeout=t)` is [`put_timeout`](Queue::put_timeout); the same for `get`.
    /// - `shutdown(immediate=True)` returns the discarded items instead of dropping them
    ///   silently, so no item is ever lost without a trace.
    /// - Timeouts run on threadcheck's clock: real time in production, model time under
    ///   loom and shuttle. A `Duration` cannot be negative (Python: `ValueError`).
    /// - `q.maxsize = n` is [`set_maxsize`](Queue::set_maxsize), which also wakes putters
    ///   blocked on a full queue when the bound grows (Python leaves them waiting for a get).
    /// - `SimpleQueue` is [`Queue::unbounded`] (same order and blocking; `task_done` and
    ///   `join` exist but need not be used).
    Queue [], Fifo, order: "first-in, first-out"
}

queue_type! {
    /// A last-in, first-out queue (a stack), as Python's `queue.LifoQueue`.
    ///
    /// # Examples
    /// ```
    /// let q = threadcheck::LifoQueue::new(0);
    /// for i in 1..=3 {
    ///     q.put(i).unwrap();
    /// }
    /// let got: Vec<i32> = (0..3).map(|_| q.get().unwrap()).collect();
    /// assert_eq!(got, [3, 2, 1]);
    /// ```
    ///
    /// # Differences from Python's `queue.LifoQueue`
    /// The same as [`Queue`]'s.
    LifoQueue [], Lifo, order: "last-in, first-out"
}

queue_type! {
    /// A queue that returns its smallest item first, as Python's `queue.PriorityQueue`.
    ///
    /// Items are ordered by `Ord`; put `(priority, data)` tuples for Python's idiom, or
    /// wrap in [`std::cmp::Reverse`] to get the largest first. Equal items come out in no
    /// particular order (a binary heap, as Python's `heapq`).
    ///
    /// # Examples
    /// ```
    /// let q = threadcheck::PriorityQueue::new(0);
    /// q.put((2, "code")).unwrap();
    /// q.put((1, "eat")).unwrap();
    /// q.put((3, "sleep")).unwrap();
    /// assert_eq!(q.get(), Ok((1, "eat")));
    /// assert_eq!(q.get(), Ok((2, "code")));
    /// assert_eq!(q.get(), Ok((3, "sleep")));
    /// ```
    ///
    /// # Differences from Python's `queue.PriorityQueue`
    /// The same as [`Queue`]'s; and items must be `Ord` (Python compares at run time and
    /// raises `TypeError` on items it cannot compare).
    PriorityQueue [: Ord], Priority, order: "smallest-first"
}
