//! `Condition` models: the bounded buffer, correct, and the tutorial's bug of a single
//! condition shared by producers and consumers with `notify(1)`.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::cell::RaceCell;
use threadcheck::sync::atomic::{AtomicBool, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::{Condition, ConditionGuard, Lock, RLock};

/// All `Condition` models.
pub const ALL: &[&Model] = &[
    &PRODUCER_CONSUMER,
    &SHARED_CONDITION_NOTIFY_ONE_DEADLOCKS,
    &RLOCK_WAIT_RELEASES_EVERY_LEVEL,
    &TWO_CONDITIONS_NOTIFY_ONE_PASSES,
];

/// A bounded buffer of `cap` items (only the count matters) on one `Condition`.
pub struct Buffer {
    cond: Condition,
    items: RaceCell<usize>,
    cap: usize,
    /// `notify(1)` (the bug) or `notify_all()` after each put and get.
    wake_all: bool,
}

impl Buffer {
    /// An empty buffer.
    pub fn new(cap: usize, wake_all: bool) -> Self {
        Buffer {
            cond: Condition::new(),
            items: RaceCell::new(0),
            cap,
            wake_all,
        }
    }

    fn wake(&self, g: &threadcheck::ConditionGuard<'_>) {
        if self.wake_all {
            g.notify_all();
        } else {
            g.notify(1);
        }
    }

    /// Adds `k` items in one hold of the lock (`with cond:` around the loop), waiting while
    /// the buffer is full before each.
    pub fn put_many(&self, k: usize) {
        let mut g = self.cond.acquire();
        for _ in 0..k {
            // `items` is only touched with the condition's lock held.
            g.wait_for(|| self.items.get() < self.cap);
            self.items.update(|n| n + 1);
            self.wake(&g);
        }
    }

    /// Waits while empty, then takes an item.
    pub fn get(&self) {
        let mut g = self.cond.acquire();
        g.wait_for(|| self.items.get() > 0);
        self.items.update(|n| n - 1);
        self.wake(&g);
    }
}

/// A bounded buffer of counted items: the two shapes below.
trait BoundedBuffer: Send + Sync + 'static {
    fn put_many(&self, k: usize);
    fn get(&self);
}

impl BoundedBuffer for Buffer {
    fn put_many(&self, k: usize) {
        Buffer::put_many(self, k)
    }
    fn get(&self) {
        Buffer::get(self)
    }
}

/// `consumers` consumers take one item each (the main thread is the first of them) from one
/// producer thread that puts as many, holding the lock except while it waits.
fn run_buffer(consumers: usize, buf: impl BoundedBuffer) {
    let buf = Arc::new(buf);
    let (b1, b2) = (buf.clone(), buf.clone());
    let others = spawn_n(consumers - 1, move |_| b1.get());
    let producer = Builder::new()
        .name("producer")
        .spawn(move || b2.put_many(consumers));
    buf.get();
    join_all(others);
    producer.join().unwrap();
}

define_model! {
    /// A bounded buffer of capacity 1 on one `Condition`: a producer thread puts n items and
    /// waits while the buffer is full; n consumers (the main thread and n-1 threads) take one
    /// each and wait while it is empty; and every put and get ends with
    /// `notify_all()`, so whoever can proceed is among the woken. Every item is consumed and
    /// every thread finishes, on every schedule: Pass. loom: 2 consumers, at most 4
    /// preemptions (unbounded did not finish in 5 minutes).
    pub PRODUCER_CONSUMER = "condition/producer_consumer" {
        about: "bounded buffer (capacity 1) on one Condition with notify_all: no deadlock",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 4,
        real: Some(4),
        preemptions: Some(4),
        run: producer_consumer,
    }
}

fn producer_consumer(n: usize) {
    run_buffer(n, Buffer::new(1, true))
}

define_model! {
    /// The classic bug: the same buffer, but `notify(1)` after each put and get, while
    /// producers and consumers wait on the *same* condition. With two consumers: both wait
    /// on the empty buffer; the producer puts, wakes consumer 1, and (still holding the lock)
    /// waits on the full buffer to put the second. Consumer 1 takes the item and its one notify wakes consumer 2 — the wrong
    /// kind of waiter — which finds the buffer empty and waits again. Now the producer and
    /// consumer 2 sleep forever: Deadlock. (Fixes: `notify_all`, or one condition per kind.)
    /// The main thread is consumer 1 and the producer keeps the lock between its puts: that
    /// puts the bug on the path a DFS tries first (with separate `with` blocks per put a
    /// DFS capped at 200,000 executions did not reach it; loom, PCT and random did).
    pub SHARED_CONDITION_NOTIFY_ONE_DEADLOCKS = "condition/shared_condition_notify_one_deadlocks" {
        about: "one Condition for producers and consumers with notify(1): the bounded-buffer deadlock",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        run: shared_condition_notify_one,
    }
}

fn shared_condition_notify_one(n: usize) {
    run_buffer(n, Buffer::new(1, false))
}

define_model! {
    /// A `Condition` over an `RLock` that the waiter holds twice (an outer and an inner
    /// `with`). Python's `wait` releases the lock completely — every level — and restores
    /// the depth afterwards; releasing one level would leave the notifier locked out, and
    /// the checker would report the deadlock. The notifier gets in, the waiter wakes with
    /// both levels back: Pass.
    pub RLOCK_WAIT_RELEASES_EVERY_LEVEL = "condition/rlock_wait_releases_every_level" {
        about: "wait on a Condition over an RLock held twice releases both levels and restores them",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: rlock_wait_releases_every_level,
    }
}

fn rlock_wait_releases_every_level(_n: usize) {
    let cond = Arc::new(Condition::with_lock(RLock::named("R")));
    let ready = Arc::new(AtomicBool::new(false));
    let (c, r) = (cond.clone(), ready.clone());
    let notifier = Builder::new().name("Thread-1").spawn(move || {
        let g = c.acquire();
        r.store(true, Ordering::SeqCst);
        g.notify_all();
    });
    let mut outer = cond.acquire();
    let inner = cond.lock().acquire();
    outer.wait_for(|| ready.load(Ordering::SeqCst));
    assert_eq!(cond.lock().depth(), 2, "wait did not restore both levels");
    drop(inner);
    drop(outer);
    notifier.join().unwrap();
}

/// The bounded buffer done right with `notify(1)`: Python's `not_empty` and `not_full`,
/// two conditions over one shared lock.
struct TwoConditions {
    not_empty: Condition<Arc<Lock>>,
    not_full: Condition<Arc<Lock>>,
    items: RaceCell<usize>,
    cap: usize,
}

impl BoundedBuffer for TwoConditions {
    fn put_many(&self, k: usize) {
        let mut g: ConditionGuard<'_, Arc<Lock>> = self.not_full.acquire();
        for _ in 0..k {
            // `items` is only touched with the shared lock held.
            g.wait_for(|| self.items.get() < self.cap);
            self.items.set(self.items.get() + 1);
            self.not_empty.notify(1);
        }
    }

    fn get(&self) {
        let mut g = self.not_empty.acquire();
        g.wait_for(|| self.items.get() > 0);
        self.items.set(self.items.get() - 1);
        self.not_full.notify(1);
    }
}

define_model! {
    /// The program of `condition/shared_condition_notify_one_deadlocks` — a producer putting
    /// n items into a buffer of capacity 1, n consumers, `notify(1)` after every put and get —
    /// with the classic fix: two conditions over one `Lock` (Python's
    /// `Condition(lock)`), consumers waiting on `not_empty`, the producer on `not_full`. A
    /// `notify(1)` now always wakes a waiter of the kind that can proceed, so the wrong-kind
    /// wakeup that deadlocks the one-condition version cannot happen: Pass (the same program
    /// on one condition: Deadlock). loom: 2 consumers, at most 4 preemptions, as
    /// `condition/producer_consumer`.
    pub TWO_CONDITIONS_NOTIFY_ONE_PASSES = "condition/two_conditions_notify_one_passes" {
        about: "bounded buffer with not_empty/not_full over one shared Lock and notify(1): no deadlock",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 4,
        real: Some(4),
        preemptions: Some(4),
        run: two_conditions_notify_one,
    }
}

fn two_conditions_notify_one(consumers: usize) {
    let lock = Arc::new(Lock::named("buffer"));
    run_buffer(
        consumers,
        TwoConditions {
            not_empty: Condition::with_lock(lock.clone()),
            not_full: Condition::with_lock(lock),
            items: RaceCell::new(0),
            cap: 1,
        },
    );
}
