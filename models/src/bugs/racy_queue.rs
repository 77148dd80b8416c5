//! A hand-rolled queue whose `get` checks for emptiness outside its lock.

use crate::define_model;
use crate::harness::Expect;
use crate::lock::{join_all, spawn_n};
use threadcheck::cell::RaceCell;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::Lock;

const CAP: usize = 4;

/// A ring buffer under a `Lock`, plus an atomic length so callers can ask "anything
/// there?" cheaply. Everything is right except that `get` asks that question before taking
/// the lock.
struct RacyQueue {
    lock: Lock,
    slots: RaceCell<[u32; CAP]>,
    head: RaceCell<usize>,
    len: AtomicUsize,
}

impl RacyQueue {
    fn new() -> Self {
        RacyQueue {
            lock: Lock::named("racy_queue"),
            slots: RaceCell::new([0; CAP]),
            head: RaceCell::new(0),
            len: AtomicUsize::new(0),
        }
    }

    fn put(&self, v: u32) {
        let _g = self.lock.acquire();
        let len = self.len.load(Ordering::SeqCst);
        assert!(len < CAP, "racy queue: full");
        // `slots` and `head` are only touched with `lock` held.
        let mut slots = self.slots.get();
        slots[(self.head.get() + len) % CAP] = v;
        self.slots.set(slots);
        self.len.store(len + 1, Ordering::SeqCst);
    }

    /// Returns `None` if the queue looks empty.
    fn get(&self) -> Option<u32> {
        // THE BUG: check-then-act. Between this check and the lock, another getter can take
        // the last item.
        if self.len.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let _g = self.lock.acquire();
        let len = self.len.load(Ordering::SeqCst);
        assert!(len > 0, "racy queue: get popped an empty queue");
        let head = self.head.get();
        self.head.set((head + 1) % CAP);
        let v = self.slots.get()[head];
        self.len.store(len - 1, Ordering::SeqCst);
        Some(v)
    }
}

define_model! {
    /// The known-bug twin of `Queue::try_get`. This queue guards its buffer with a lock but
    /// checks `len > 0` before taking it, to skip the lock when empty. With one item and two
    /// getters, both can see `len == 1`, then take the lock in turn: the second pops an empty
    /// buffer. A test with one getter, or a lucky schedule, never shows it; the checker finds
    /// the interleaving and the assertion reports it: Panic("racy queue"). The fix is what
    /// `threadcheck::Queue` does — decide emptiness under the same lock as the pop.
    pub RACY_QUEUE = "bugs/racy_queue" {
        about: "a queue whose get checks emptiness outside the lock pops an empty buffer",
        expect: Expect::Panic("racy queue"),
        loom: [2],
        shuttle: 3,
        real: None,
        preemptions: None,
        run: racy_queue,
    }
}

fn racy_queue(n: usize) {
    let q = Arc::new(RacyQueue::new());
    q.put(7);
    let q2 = q.clone();
    join_all(spawn_n(n, move |_| {
        let _ = q2.get();
    }));
}
