//! Python practice: "initialize once" guarded by `if not ready.is_set()`.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::{Event, Lock};

/// The initialize-once models: the bug and its twin.
pub const ALL: &[&Model] = &[&INIT_ONCE_EVENT, &INIT_ONCE_LOCKED];

struct Lazy {
    ready: Event,
    lock: Lock,
    inits: AtomicUsize,
}

fn init_all(n: usize, locked: bool) {
    let lazy = Arc::new(Lazy {
        ready: Event::named("ready"),
        lock: Lock::named("init_lock"),
        inits: AtomicUsize::new(0),
    });
    let l = lazy.clone();
    join_all(spawn_n(n, move |_| {
        if l.ready.is_set() {
            return;
        }
        // Without the lock, every thread that got here initializes.
        let _g = locked.then(|| l.lock.acquire());
        if locked && l.ready.is_set() {
            return;
        }
        l.inits.fetch_add(1, Ordering::SeqCst);
        l.ready.set();
    }));
    let inits = lazy.inits.load(Ordering::SeqCst);
    assert!(inits == 1, "initialized more than once: {inits} times");
}

define_model! {
    /// A Python habit: `if not ready.is_set(): init(); ready.set()`, so that the first
    /// caller initializes and the rest skip. `is_set()` is a snapshot: two threads can both
    /// see it clear and both run `init()` (open the database twice, register the handler
    /// twice) before either sets it. Panic("initialized more than once").
    pub INIT_ONCE_EVENT = "bugs/init_once_event" {
        about: "if not ready.is_set(): init(); ready.set() initializes twice",
        expect: Expect::Panic("initialized more than once"),
        loom: [2],
        shuttle: 4,
        real: None,
        preemptions: None,
        run: init_once_event,
    }
}

fn init_once_event(n: usize) {
    init_all(n, false);
}

define_model! {
    /// `bugs/init_once_event` fixed by double-checked locking: the fast path still asks
    /// `is_set()`, but a thread that sees it clear takes a lock and asks again before
    /// initializing; `set()` happens under that lock. Exactly one `init()`: Pass.
    pub INIT_ONCE_LOCKED = "bugs/init_once_locked" {
        about: "check, lock, check again, init, set: initialized exactly once",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 4,
        real: Some(4),
        preemptions: None,
        run: init_once_locked,
    }
}

fn init_once_locked(n: usize) {
    init_all(n, true);
}
