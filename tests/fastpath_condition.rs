//! The production `Condition`'s fast path, checked by loom: the waiter queue mirrors its
//! length in an atomic (`src/rt/raw_condition.rs`), and a notify that reads zero returns
//! without taking the queue's mutex. These models compile that shape on loom's atomics, with
//! a loom mutex as the user's lock. A waiter enqueues (and bumps the count) before it lets
//! the user's lock go, so a notifier holding that lock never reads a stale zero: no schedule
//! loses the wakeup (loom would report the waiter parked for good as a deadlock).
//!
//! Unbounded (exhaustive) but where noted.
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release --test fastpath_condition`
#![cfg(loom)]

use loom::sync::Mutex;
use loom::thread;
use std::sync::Arc;
use threadcheck::__fastpath_more::WaitQueue;

#[path = "common/loom_count.rs"]
mod loom_count;
use loom_count::{model, model_bounded};

/// Waits on `q` under `lock` until `*lock >= want` (Python's `wait_for`).
fn wait_for(lock: &Mutex<usize>, q: &WaitQueue, want: usize) {
    let mut g = lock.lock().unwrap();
    while *g < want {
        q.wait(move || drop(g));
        g = lock.lock().unwrap();
    }
}

/// One waiter, one notifier that changes the state and notifies under the lock.
#[test]
fn notify_under_the_lock_never_misses_the_waiter() {
    model(|| {
        let lock = Arc::new(Mutex::new(0usize));
        let q = Arc::new(WaitQueue::new());
        let (l, w) = (lock.clone(), q.clone());
        let waiter = thread::spawn(move || wait_for(&l, &w, 1));
        {
            let mut g = lock.lock().unwrap();
            *g = 1;
            q.notify(1);
        }
        waiter.join().unwrap();
    });
}

/// Two waiters, two notify(1)s under the lock: both waiters return, whichever of them the
/// count showed each notifier. Three threads: preemption bound 3.
#[test]
fn two_notifies_wake_two_waiters() {
    model_bounded(3, || {
        let lock = Arc::new(Mutex::new(0usize));
        let q = Arc::new(WaitQueue::new());
        let hs: Vec<_> = (1..=2)
            .map(|want| {
                let (l, w) = (lock.clone(), q.clone());
                thread::spawn(move || wait_for(&l, &w, want))
            })
            .collect();
        for _ in 0..2 {
            let mut g = lock.lock().unwrap();
            *g += 1;
            q.notify(1);
        }
        // One notify(1) may find nobody waiting yet (returns 0): the waiter then sees the
        // state before it waits. A last notify_all releases a waiter that needs the other
        // round; the count must still show it.
        {
            let _g = lock.lock().unwrap();
            q.notify(usize::MAX);
        }
        hs.into_iter().for_each(|h| h.join().unwrap());
    });
}

/// A notify that reads zero returns zero and wakes nobody; one that finds a waiter wakes it.
#[test]
fn notify_reports_how_many_it_woke() {
    model(|| {
        let lock = Arc::new(Mutex::new(0usize));
        let q = Arc::new(WaitQueue::new());
        assert_eq!(q.notify(1), 0, "nobody waits yet");
        let (l, w) = (lock.clone(), q.clone());
        let waiter = thread::spawn(move || wait_for(&l, &w, 1));
        let woke = {
            let mut g = lock.lock().unwrap();
            *g = 1;
            q.notify(1)
        };
        waiter.join().unwrap();
        assert!(woke <= 1);
        assert_eq!(q.notify(1), 0, "the waiter was dequeued");
    });
}
