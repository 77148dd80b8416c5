//! SCTBench's `sync01` and `sync02`: a producer and a consumer on one condition, where a
//! waiter's condition can stay true forever.

use crate::define_model;
use crate::harness::{Expect, Known, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::model::Checker;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Condition;

/// The sync01/sync02 models: the bugs and their twins.
pub const ALL: &[&Model] = &[&SYNC01, &SYNC01_NOTIFIED, &SYNC02, &SYNC02_NOTIFY_ALL];

/// A one-slot buffer: `num` items in it (0 or 1), under the condition's lock.
struct Slot {
    cond: Condition,
    num: AtomicUsize,
}

fn slot() -> Arc<Slot> {
    Arc::new(Slot {
        cond: Condition::new(),
        num: AtomicUsize::new(0),
    })
}

/// The producer puts two items into a one-slot buffer, the consumer takes two. Both notify
/// after changing `num`, unless `consumer_notifies` is false.
fn producer_consumer(consumer_notifies: bool) {
    let s = slot();
    let c = s.clone();
    let consumer = Builder::new().name("consumer").spawn(move || {
        for _ in 0..2 {
            let mut g = c.cond.acquire();
            while c.num.load(Ordering::SeqCst) == 0 {
                g.wait();
            }
            c.num.store(0, Ordering::SeqCst);
            if consumer_notifies {
                g.notify_all();
            }
        }
    });
    for _ in 0..2 {
        let mut g = s.cond.acquire();
        while s.num.load(Ordering::SeqCst) > 0 {
            g.wait();
        }
        s.num.store(1, Ordering::SeqCst);
        g.notify_all();
    }
    consumer.join().unwrap();
}

define_model! {
    /// After SCTBench's `sync01` (a producer and a consumer on a condition variable where
    /// one side's wait condition never clears). The producer puts two items into a one-slot
    /// buffer, waiting `while num > 0`; the consumer takes two, waiting `while num == 0`,
    /// but never notifies after taking. If the producer comes back while the slot is still
    /// full, it waits for a notify that never comes, and the consumer then waits for the
    /// second item: Deadlock. If the consumer empties the slot first, all is well, so it is
    /// schedule-dependent.
    pub SYNC01 = "bugs/sync01" {
        about: "the consumer never notifies: a producer waiting on a full slot waits forever",
        expect: Expect::Deadlock,
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        run: sync01,
    }
}

fn sync01(_n: usize) {
    producer_consumer(false);
}

define_model! {
    /// `bugs/sync01` fixed: the consumer notifies after emptying the slot, so a waiting
    /// producer's condition is re-checked whenever it may have cleared: Pass.
    pub SYNC01_NOTIFIED = "bugs/sync01_notified" {
        about: "producer and consumer both notify: two items pass through one slot",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: sync01_notified,
    }
}

fn sync01_notified(_n: usize) {
    producer_consumer(true);
}

/// `n` consumers wait for a `ready` flag that the main thread sets once, then wakes one
/// (`notify(1)`) or all.
fn ready_flag(n: usize, notify_all: bool) {
    let s = slot();
    let c = s.clone();
    let waiters = spawn_n(n, move |_| {
        let mut g = c.cond.acquire();
        while c.num.load(Ordering::SeqCst) == 0 {
            g.wait();
        }
    });
    let g = s.cond.acquire();
    s.num.store(1, Ordering::SeqCst);
    if notify_all {
        g.notify_all();
    } else {
        g.notify(1);
    }
    drop(g);
    join_all(waiters);
}

define_model! {
    /// After SCTBench's `sync02` (waiters on a condition variable, one of them left waiting
    /// for a wakeup that was spent on another). Consumers wait `while not ready`; the main
    /// thread sets `ready` and calls `notify()` — Python's default, one thread — where it
    /// needed `notify_all()`. A consumer that checks after `ready` is set never waits; but
    /// if two are already waiting, one is woken and the other sleeps forever on a
    /// condition that has long been true: Deadlock.
    pub SYNC02 = "bugs/sync02" {
        about: "ready is announced with notify(1) to two waiters: one waits forever",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        known: [Known {
            checker: Checker::Dfs,
            gives: Expect::Pass,
            why: "DFS backtracks the last choices first; this needs a switch in the first few steps, and DFS's 100000-execution cap runs out before it gets there",
        }],
        run: sync02,
    }
}

fn sync02(n: usize) {
    ready_flag(n, false);
}

define_model! {
    /// `bugs/sync02` fixed: `notify_all()` wakes every waiter, each re-checks `ready`
    /// and leaves: Pass.
    pub SYNC02_NOTIFY_ALL = "bugs/sync02_notify_all" {
        about: "ready is announced with notify_all: every waiter leaves",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: sync02_notify_all,
    }
}

fn sync02_notify_all(n: usize) {
    ready_flag(n, true);
}
