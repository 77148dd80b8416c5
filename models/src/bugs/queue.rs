//! SCTBench's `queue`: an array queue whose lock covers claiming a slot but not filling it.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::Lock;

/// The array-queue models: the bug and its twin.
pub const ALL: &[&Model] = &[&QUEUE, &QUEUE_LOCKED];

const CAP: usize = 4;

/// An array queue: `tail` says where the next item goes; 0 in a slot means "empty".
struct ArrayQueue {
    lock: Lock,
    slots: [AtomicUsize; CAP],
    tail: AtomicUsize,
}

impl ArrayQueue {
    fn new() -> Self {
        ArrayQueue {
            lock: Lock::named("queue"),
            slots: std::array::from_fn(|_| AtomicUsize::new(0)),
            tail: AtomicUsize::new(0),
        }
    }

    /// The buggy enqueue: the lock is taken to read `tail`, released, and the slot is
    /// written and `tail` advanced afterwards.
    fn enqueue_misplaced(&self, v: usize) {
        let t = {
            let _g = self.lock.acquire();
            self.tail.load(Ordering::SeqCst)
        };
        // <- another enqueue can read the same tail here.
        self.slots[t].store(v, Ordering::SeqCst);
        self.tail.store(t + 1, Ordering::SeqCst);
    }

    fn enqueue_locked(&self, v: usize) {
        let _g = self.lock.acquire();
        let t = self.tail.load(Ordering::SeqCst);
        self.slots[t].store(v, Ordering::SeqCst);
        self.tail.store(t + 1, Ordering::SeqCst);
    }

    /// Dequeues everything (after every enqueuer has been joined).
    fn drain(&self) -> Vec<usize> {
        let _g = self.lock.acquire();
        let t = self.tail.load(Ordering::SeqCst);
        (0..t)
            .map(|i| self.slots[i].load(Ordering::SeqCst))
            .collect()
    }
}

fn enqueuers(n: usize, enqueue: fn(&ArrayQueue, usize)) {
    let q = Arc::new(ArrayQueue::new());
    let q2 = q.clone();
    join_all(spawn_n(n, move |i| enqueue(&q2, i)));
    let mut got = q.drain();
    got.sort_unstable();
    let want: Vec<usize> = (1..=n).collect();
    assert_eq!(got, want, "queue: an enqueued item was lost");
}

define_model! {
    /// After SCTBench's `queue` (an array queue shared by an enqueuer and a dequeuer, with
    /// its lock in the wrong place). Here each enqueue takes the lock only to read `tail`,
    /// then writes the slot and advances `tail` after releasing it: `with q.lock: t =
    /// q.tail` / `q.slots[t] = v; q.tail = t + 1`. Two enqueuers can read the same `tail`;
    /// the second write overwrites the first item. The dequeue after both finish finds one
    /// item where two were put: Panic("queue: an enqueued item was lost").
    pub QUEUE = "bugs/queue" {
        about: "enqueue locks the tail read but not the slot write: an item is lost",
        expect: Expect::Panic("queue: an enqueued item was lost"),
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        run: queue,
    }
}

fn queue(n: usize) {
    enqueuers(n, ArrayQueue::enqueue_misplaced);
}

define_model! {
    /// `bugs/queue` fixed: claiming the slot, filling it and advancing `tail` are one locked
    /// step, so every enqueued item is dequeued: Pass.
    pub QUEUE_LOCKED = "bugs/queue_locked" {
        about: "enqueue claims, fills and advances under one lock: nothing is lost",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: queue_locked,
    }
}

fn queue_locked(n: usize) {
    enqueuers(n, ArrayQueue::enqueue_locked);
}
