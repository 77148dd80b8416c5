//! Which threads exist: Python's `threading._active`, as unmodelled bookkeeping.
//!
//! One [`Registry`] per program: the process in production, one execution in the model builds
//! (an OS-thread-local, as the model clock's state is: the checker runs every model thread on
//! the calling OS thread). Each thread is a [`Thread`]: its name, ident and daemon flag, and an
//! `alive` flag cleared last thing when it exits. `enumerate` is the main thread plus the
//! started threads whose flag is still set.
//!
//! # Making it a model-checked claim under loom
//! Under shuttle the bookkeeping needs nothing more: shuttle picks the next thread at every
//! switch point, so a start, an exit and a read of the registry land in every order the
//! switch points allow. loom prunes orders by the dependencies between modelled operations
//! (DPOR), and cannot see this bookkeeping. So under `threadcheck::model` with loom, each
//! registry step is preceded by a read-modify-write of a modelled atomic it conflicts with:
//!
//! | step            | modelled operation                                  |
//! |-----------------|-----------------------------------------------------|
//! | start (parent)  | `starts.fetch_add(1)`                               |
//! | exit (child)    | `slot[t].swap(false)` — the thread's own atomic     |
//! | `is_alive(t)`   | `slot[t].fetch_or(false)`                           |
//! | `enumerate()`   | `starts`, then every listed thread's slot, twice    |
//!
//! Only read-modify-writes, so each object's accesses are totally ordered and loom's
//! "last access" dependency tracking is exact (loom misses orders when a plain load hides an
//! earlier one: loom #166, #392). Exits touch only their own slot, so two exits never conflict:
//! a model that never reads the registry explores exactly what it did before. `enumerate`
//! collects the slots twice and retries until nothing changed in between (a double collect),
//! so it returns the set alive at one instant even though each slot is read at its own step.
//! The atomics are created by the execution's main thread before anything is spawned, so
//! every thread's accesses follow their creation (loom checks that causality); with plain
//! `loom::model` they do not exist and the bookkeeping is unmodelled.
//!
//! Under a preemption bound, starts are not modelled: the modelled start is one more point
//! where the parent can be preempted between two spawns, and a bounded search counts those
//! (`semaphore/tutorial_at_most_n_inside`, bound 4: 20,097 executions without it, 41,460
//! with it; unbounded models explore exactly as many executions either way). A bounded search
//! is not exhaustive to begin with; there a start is ordered against another thread's
//! `enumerate` only as far as the program's other operations order them.

use super::{Kind, Thread};
use crate::clock::ThreadExit;
use crate::rt::bookkeeping::{Arc, AtomicU64, Mutex, Ordering as BkOrdering};
use crate::rt::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// loom runs at most 5 threads per execution, main included: 4 spawned ones need a slot.
const SLOTS: usize = 4;

/// Tells registries apart (a [`Thread`]'s identity is its registry and its ident).
static GENERATION: AtomicU64 = AtomicU64::new(1);

/// The modelled atomics of the table above (loom under `threadcheck::model` only).
struct Dpor {
    /// `None` under a preemption bound (see the module docs).
    starts: Option<AtomicUsize>,
    slots: Vec<Arc<AtomicBool>>,
}

impl Dpor {
    fn touch_starts(&self) {
        if let Some(s) = &self.starts {
            s.fetch_add(0, Ordering::Relaxed);
        }
    }
}

#[derive(Default)]
struct State {
    /// Started threads that have not exited, in start order (internal ones excluded).
    alive: Vec<Thread>,
    /// How many threads were started (internal ones excluded).
    started: u64,
    next_ident: u64,
    /// Python numbers unnamed threads `Thread-N` and foreign ones `Dummy-N`, each from 1.
    unnamed: u64,
    dummies: u64,
    next_slot: usize,
}

impl State {
    /// A new ident, and `name` or else the next `Thread-N` / `Dummy-N` (`prefix`).
    fn identity(&mut self, name: Option<String>, prefix: &str) -> (u64, String) {
        let ident = self.next_ident;
        self.next_ident += 1;
        let name = name.unwrap_or_else(|| {
            let n = if prefix == "Dummy" {
                &mut self.dummies
            } else {
                &mut self.unnamed
            };
            *n += 1;
            format!("{prefix}-{n}")
        });
        (ident, name)
    }
}

pub(crate) struct Registry {
    pub(super) generation: u64,
    main: Thread,
    state: Mutex<State>,
    dpor: Option<Dpor>,
}

/// Under shuttle (no DPOR, no modelled registry): a switch point before a read of the
/// registry, so that the starts and exits other threads have pending can land before it.
/// Without one, a read right after a spawn would always find the new thread alive.
fn before_read() {
    if crate::rt::MODEL && !crate::rt::DPOR && modelled() {
        crate::rt::thread::switch_point();
    }
}

/// Skip modelled operations while unwinding: a checker tearing an execution down could panic
/// again inside one (and abort the process).
fn modelled() -> bool {
    !std::thread::panicking()
}

impl Registry {
    /// A registry whose main thread is `MainThread` (ident 1). `dpor`: create the modelled
    /// atomics (loom, on the execution's main thread, before anything is spawned), the one
    /// for starts only if `model_starts`.
    pub(super) fn new(dpor: bool, model_starts: bool) -> Arc<Registry> {
        let generation = GENERATION.fetch_add(1, BkOrdering::Relaxed);
        let dpor = dpor.then(|| Dpor {
            starts: model_starts.then(|| AtomicUsize::new(0)),
            slots: (0..SLOTS)
                .map(|_| Arc::new(AtomicBool::new(true)))
                .collect(),
        });
        Arc::new(Registry {
            generation,
            main: Thread::new(
                generation,
                1,
                "MainThread".into(),
                false,
                Kind::Main,
                None,
                None,
            ),
            state: Mutex::new(State {
                next_ident: 2,
                ..State::default()
            }),
            dpor,
        })
    }

    pub(super) fn main(&self) -> &Thread {
        &self.main
    }

    /// A thread about to be started by the calling thread: its identity, not listed yet (see
    /// [`Registry::list`]). Under loom, the start's modelled operation: it comes before the
    /// backend's spawn, which is no scheduling point there, so nothing runs between it and
    /// the listing after the spawn.
    pub(super) fn new_thread(
        &self,
        name: Option<String>,
        daemon: bool,
        internal: bool,
        exit: ThreadExit,
    ) -> Thread {
        if let (Some(Some(starts)), false) = (self.dpor.as_ref().map(|d| &d.starts), internal) {
            if modelled() {
                starts.fetch_add(1, Ordering::Relaxed);
            }
        }
        let mut s = self.state.lock();
        let (ident, name) = s.identity(name, "Thread");
        let (kind, slot) = if internal {
            (Kind::Internal, None)
        } else {
            let slot = self
                .dpor
                .as_ref()
                .and_then(|d| d.slots.get(s.next_slot))
                .cloned();
            s.next_slot += 1;
            (Kind::Started, slot)
        };
        Thread::new(self.generation, ident, name, daemon, kind, Some(exit), slot)
    }

    /// Lists a started thread (Python's `_active[ident] = self`), unless it is listed already
    /// or has exited. Called by the parent right after the backend's spawn, so the thread is
    /// listed when `spawn` returns, and by the thread itself first thing, so it sees itself
    /// even if it runs before its parent gets there (real threads). Under shuttle, the
    /// spawn's own switch point comes before the thread exists; after it, nothing runs in
    /// between.
    pub(super) fn list(&self, t: &Thread) {
        if t.0.kind != Kind::Started {
            return;
        }
        let mut s = self.state.lock();
        // The exit clears the flag before it takes the lock to unlist: under the lock, a
        // thread seen alive has not been unlisted yet.
        if t.0.alive.load(BkOrdering::Acquire) && !s.alive.contains(t) {
            s.alive.push(t.clone());
            s.started += 1;
        }
    }

    /// A thread not started through threadcheck asked who it is (Python's `_DummyThread`).
    pub(super) fn dummy(&self, backend_name: Option<String>) -> Thread {
        let (ident, name) = self.state.lock().identity(backend_name, "Dummy");
        Thread::new(self.generation, ident, name, false, Kind::Dummy, None, None)
    }

    /// `t` is exiting (its last step, after its excepthook): no longer alive or listed.
    pub(super) fn exit(&self, t: &Thread) {
        if let (Some(slot), true) = (&t.0.slot, modelled()) {
            slot.swap(false, Ordering::Release);
        }
        t.0.alive.store(false, BkOrdering::Release);
        let mut s = self.state.lock();
        s.alive.retain(|x| x != t);
    }

    /// Whether `t` has started and not exited (always true for main and dummy threads).
    /// Acquire: a thread seen dead has all its effects visible, as after a join.
    pub(super) fn is_alive(t: &Thread) -> bool {
        before_read();
        Registry::read_alive(t)
    }

    fn read_alive(t: &Thread) -> bool {
        match (&t.0.slot, modelled()) {
            (Some(slot), true) => slot.fetch_or(false, Ordering::Acquire),
            _ => t.0.alive.load(BkOrdering::Acquire),
        }
    }

    /// The main thread and every started thread alive at one instant during the call.
    pub(super) fn enumerate(&self) -> Vec<Thread> {
        before_read();
        let listed = || {
            let s = self.state.lock();
            let ts = std::iter::once(self.main.clone())
                .chain(s.alive.iter().cloned())
                .collect::<Vec<_>>();
            (s.started, ts)
        };
        let Some(d) = self.dpor.as_ref().filter(|_| modelled()) else {
            // One unmodelled step (or one locked one, in production): a snapshot.
            return listed()
                .1
                .into_iter()
                .filter(|t| t.0.alive.load(BkOrdering::Acquire))
                .collect();
        };
        // Double collect (see the module docs): each slot read is a step of its own.
        let collect = |ts: &[Thread]| ts.iter().map(Registry::read_alive).collect::<Vec<_>>();
        loop {
            d.touch_starts();
            let (started, ts) = listed();
            let first = collect(&ts);
            d.touch_starts();
            if listed().0 != started || collect(&ts) != first {
                continue;
            }
            return ts
                .into_iter()
                .zip(first)
                .filter(|x| x.1)
                .map(|x| x.0)
                .collect();
        }
    }
}
