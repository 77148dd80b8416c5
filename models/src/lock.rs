//! `Lock` models: mutual exclusion, the tutorial's two-lock deadlock and its fix.

use crate::define_model;
use crate::harness::{Expect, Model};
use threadcheck::cell::RaceCell;
use threadcheck::sync::Arc;
use threadcheck::thread::{Builder, JoinHandle};
use threadcheck::Lock;

/// All `Lock` models.
pub const ALL: &[&Model] = &[
    &MUTUAL_EXCLUSION,
    &TWO_LOCK_DEADLOCK,
    &ORDERED_LOCKS,
    &SELF_DEADLOCK,
    &RELEASE_FROM_OTHER_THREAD,
];

/// Spawns `n` threads named as Python names them (`Thread-1`, ...), each running `f(i)`.
pub fn spawn_n(n: usize, f: impl Fn(usize) + Send + Sync + 'static) -> Vec<JoinHandle<()>> {
    let f = Arc::new(f);
    (1..=n)
        .map(|i| {
            let f = f.clone();
            Builder::new()
                .name(format!("Thread-{i}"))
                .spawn(move || f(i))
        })
        .collect()
}

/// Joins every handle, propagating a thread's panic.
pub fn join_all(hs: Vec<JoinHandle<()>>) {
    for h in hs {
        if let Err(p) = h.join() {
            std::panic::resume_unwind(p);
        }
    }
}

define_model! {
    /// The tutorial's shared counter: each thread does `lock.acquire(); count += 1;
    /// lock.release()`. The increment is a plain read and write ([`RaceCell`]), so without
    /// the lock loom would report a data race and updates could be lost. With it, the final
    /// count is exactly the number of threads on every schedule: Pass.
    pub MUTUAL_EXCLUSION = "lock/mutual_exclusion" {
        about: "N threads bump a plain counter under one Lock; the total is N",
        expect: Expect::Pass,
        loom: [2, 3],
        shuttle: 10,
        real: Some(10),
        preemptions: None,
        run: mutual_exclusion,
    }
}

fn mutual_exclusion(n: usize) {
    let lock = Arc::new(Lock::named("count_lock"));
    let count = Arc::new(RaceCell::new(0usize));
    let (l, c) = (lock.clone(), count.clone());
    join_all(spawn_n(n, move |_| {
        let _g = l.acquire();
        // `count` is only touched with `lock` held (or after every join).
        c.update(|v| v + 1);
    }));
    assert_eq!(count.get(), n, "lost update: the lock did not exclude");
}

/// The tutorial's two functions over locks A and B.
fn f1(a: &Lock, b: &Lock) {
    let _ga = a.acquire();
    let _gb = b.acquire();
}
fn f2_inverted(a: &Lock, b: &Lock) {
    let _gb = b.acquire();
    let _ga = a.acquire();
}
fn f2_ordered(a: &Lock, b: &Lock) {
    let _ga = a.acquire();
    let _gb = b.acquire();
}

fn two_lock_program(n: usize, f2: fn(&Lock, &Lock)) {
    let a = Arc::new(Lock::named("A"));
    let b = Arc::new(Lock::named("B"));
    join_all(spawn_n(n, move |_| {
        f1(&a, &b);
        f2(&a, &b);
    }));
}

define_model! {
    /// The tutorial's deadlock. Each thread runs `f1` (take A, then B) and then `f2` (take B,
    /// then A). If one thread is inside `f2` holding B while another is inside `f1` holding
    /// A, each waits for the lock the other holds, forever. Most schedules are fine, which is
    /// why it survives testing by hand; a checker must find the one that is not: Deadlock.
    pub TWO_LOCK_DEADLOCK = "lock/two_lock_deadlock" {
        about: "f1 takes A then B, f2 takes B then A: the tutorial's deadlock",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 10,
        real: None,
        preemptions: None,
        run: two_lock_deadlock,
    }
}

fn two_lock_deadlock(n: usize) {
    two_lock_program(n, f2_inverted)
}

define_model! {
    /// The fix by lock ordering: the same threads, but `f2` takes A before B like `f1`. With
    /// one global order no thread can hold the later lock while waiting for the earlier one,
    /// so no cycle of waits can form: Pass, on every schedule.
    pub ORDERED_LOCKS = "lock/ordered_locks" {
        about: "same work as two_lock_deadlock, one global lock order: no deadlock",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 10,
        real: Some(10),
        preemptions: None,
        run: ordered_locks,
    }
}

fn ordered_locks(n: usize) {
    two_lock_program(n, f2_ordered)
}

define_model! {
    /// A `Lock` is not reentrant: a thread that acquires it and then acquires it again waits
    /// for itself. This is what `RLock` exists for. Deadlock (with a single thread).
    pub SELF_DEADLOCK = "lock/self_deadlock" {
        about: "one thread acquires the same Lock twice",
        expect: Expect::Deadlock,
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        run: self_deadlock,
    }
}

fn self_deadlock(_n: usize) {
    let lock = Lock::named("L");
    let _first = lock.acquire();
    let _second = lock.acquire();
}

define_model! {
    /// Python lets any thread release a `Lock`, not only the one that acquired it (a lock
    /// used as a one-shot signal). The main thread acquires and keeps the lock; a worker
    /// releases it; the main thread's second acquire then gets through. Pass.
    pub RELEASE_FROM_OTHER_THREAD = "lock/release_from_other_thread" {
        about: "main acquires, a worker releases, main acquires again",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: release_from_other_thread,
    }
}

fn release_from_other_thread(_n: usize) {
    let lock = Arc::new(Lock::named("signal"));
    lock.acquire().leak();
    let l = lock.clone();
    let h = Builder::new()
        .name("Thread-1")
        .spawn(move || l.release().expect("the lock is held"));
    let g = lock.acquire();
    drop(g);
    h.join().unwrap();
    assert!(!lock.locked());
}
