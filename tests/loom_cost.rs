//! What a user's program on threadcheck's primitives costs loom, against the floor: the same
//! program on loom's own `Mutex` (issue #10 item 7: at most 1.5× the executions).
//!
//! Each program is written twice, once on `threadcheck::{Lock, RLock}` run through
//! `threadcheck::model::Builder` (as a user would), once on `loom::sync::Mutex` run through
//! `loom::model::Builder` with an execution counter. loom's search is deterministic, so the
//! counts are exact and the ratio is asserted, not timed. Both sides also report what the
//! program observed, and the sets must agree: the cheaper shape must not see less.
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom_cost -- --nocapture` prints the
//! table.
#![cfg(loom)]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize as StdCounter, Ordering::Relaxed};
use std::sync::{Arc, Mutex as StdMutex};
use threadcheck::model::{Builder, Checker};

/// Allowed executions on threadcheck's primitives per execution on loom's `Mutex`.
const MAX_RATIO: f64 = 1.5;

/// Runs `program` under loom through threadcheck's builder: (executions, observed outcomes).
fn on_threadcheck(program: fn() -> String, bound: Option<usize>) -> (u64, BTreeSet<String>) {
    let mut b = Builder::new().checker(Checker::Loom);
    if let Some(n) = bound {
        b = b.preemption_bound(n);
    }
    let stats = b.check(move || {
        threadcheck::model::observe(program());
    });
    (stats.executions, stats.outcomes)
}

/// Runs `program` under plain loom with a counter: (executions, observed outcomes).
fn on_loom(program: fn() -> String, bound: Option<usize>) -> (u64, BTreeSet<String>) {
    let runs = Arc::new(StdCounter::new(0));
    let seen = Arc::new(StdMutex::new(BTreeSet::new()));
    let (r, s) = (runs.clone(), seen.clone());
    let mut b = loom::model::Builder::new();
    b.preemption_bound = bound;
    b.check(move || {
        r.fetch_add(1, Relaxed);
        let out = program();
        s.lock().unwrap().insert(out);
    });
    let seen = seen.lock().unwrap().clone();
    (runs.load(Relaxed) as u64, seen)
}

/// Runs both sides, prints a table row, asserts the ratio. `bound`: loom's preemption bound
/// (`None`: exhaustive).
fn compare(name: &str, ours: fn() -> String, floor: fn() -> String, bound: Option<usize>) {
    let (tc, tc_seen) = on_threadcheck(ours, bound);
    let (lm, lm_seen) = on_loom(floor, bound);
    let ratio = tc as f64 / lm as f64;
    eprintln!(
        "| {name} | {tc} | {lm} | {ratio:.2} | {} |",
        tc_seen.iter().cloned().collect::<Vec<_>>().join(", ")
    );
    assert_eq!(
        tc_seen, lm_seen,
        "{name}: the two shapes observed different outcomes"
    );
    assert!(
        ratio <= MAX_RATIO,
        "{name}: {tc} loom executions on threadcheck's primitives vs {lm} on loom's Mutex \
         ({ratio:.2}x, allowed {MAX_RATIO}x)"
    );
}

/// The tutorial's two-lock program with the fix (both functions take A then B): each of
/// `THREADS` threads runs `f1` then `f2`.
mod two_lock {
    pub const THREADS: usize = 2;

    pub fn threadcheck() -> String {
        use std::sync::Arc;
        use threadcheck::{thread, Lock};
        let (a, b) = (Arc::new(Lock::named("A")), Arc::new(Lock::named("B")));
        let hs: Vec<_> = (0..THREADS)
            .map(|_| {
                let (a, b) = (a.clone(), b.clone());
                thread::spawn(move || {
                    for _ in 0..2 {
                        let _a = a.acquire();
                        let _b = b.acquire();
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        "done".into()
    }

    pub fn loom() -> String {
        use loom::sync::Mutex;
        use std::sync::Arc;
        let (a, b) = (Arc::new(Mutex::new(())), Arc::new(Mutex::new(())));
        let hs: Vec<_> = (0..THREADS)
            .map(|_| {
                let (a, b) = (a.clone(), b.clone());
                loom::thread::spawn(move || {
                    for _ in 0..2 {
                        let _a = a.lock().unwrap();
                        let _b = b.lock().unwrap();
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        "done".into()
    }
}

/// The wrong-lock counter: `N` threads bump one counter with a load and a store, threads 0
/// and 1 under lock A, threads 2 and 3 under lock B. The locks exclude nothing across the
/// pairs, so updates are lost: every schedule is explored and the final counts collected.
mod wrong_lock {
    pub fn threadcheck<const N: usize>() -> String {
        use std::sync::Arc;
        use threadcheck::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use threadcheck::{thread, Lock};
        let locks = Arc::new([Lock::named("A"), Lock::named("B")]);
        let n = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..N)
            .map(|i| {
                let (locks, n) = (locks.clone(), n.clone());
                thread::spawn(move || {
                    let _g = locks[i / 2].acquire();
                    n.store(n.load(SeqCst) + 1, SeqCst);
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        format!("count {}", n.load(SeqCst))
    }

    pub fn loom<const N: usize>() -> String {
        use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use loom::sync::Mutex;
        use std::sync::Arc;
        let locks = Arc::new([Mutex::new(()), Mutex::new(())]);
        let n = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..N)
            .map(|i| {
                let (locks, n) = (locks.clone(), n.clone());
                loom::thread::spawn(move || {
                    let _g = locks[i / 2].lock().unwrap();
                    n.store(n.load(SeqCst) + 1, SeqCst);
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        format!("count {}", n.load(SeqCst))
    }
}

/// The tutorial's fix on one `RLock`: 3 threads each take it twice nested, twice. loom has
/// no reentrant mutex; the floor takes its `Mutex` once where the `RLock` nests (a nested
/// acquire synchronizes nothing).
mod rlock {
    pub const THREADS: usize = 3;

    pub fn threadcheck() -> String {
        use std::sync::Arc;
        use threadcheck::{thread, RLock};
        let r = Arc::new(RLock::named("AB"));
        let hs: Vec<_> = (0..THREADS)
            .map(|_| {
                let r = r.clone();
                thread::spawn(move || {
                    for _ in 0..2 {
                        let _a = r.acquire();
                        let _b = r.acquire();
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        "done".into()
    }

    pub fn loom() -> String {
        use loom::sync::Mutex;
        use std::sync::Arc;
        let m = Arc::new(Mutex::new(()));
        let hs: Vec<_> = (0..THREADS)
            .map(|_| {
                let m = m.clone();
                loom::thread::spawn(move || {
                    for _ in 0..2 {
                        let _ab = m.lock().unwrap();
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        "done".into()
    }
}

#[test]
fn two_lock_tutorial_costs_at_most_1_5x_loom_mutex() {
    compare(
        "two-lock tutorial, 2 threads",
        two_lock::threadcheck,
        two_lock::loom,
        None,
    );
}

#[test]
fn wrong_lock_counter_costs_at_most_1_5x_loom_mutex() {
    compare(
        "wrong-lock counter, 3 threads",
        wrong_lock::threadcheck::<3>,
        wrong_lock::loom::<3>,
        None,
    );
}

/// 4 threads unbounded ran over 50 minutes on each side here (loom's search grows fast with
/// a fourth thread); with a preemption bound it takes seconds and still compares the shapes.
#[test]
fn wrong_lock_counter_4_threads_costs_at_most_1_5x_loom_mutex() {
    compare(
        "wrong-lock counter, 4 threads, preemption bound 1",
        wrong_lock::threadcheck::<4>,
        wrong_lock::loom::<4>,
        Some(1),
    );
}

#[test]
fn rlock_tutorial_costs_at_most_1_5x_loom_mutex() {
    compare(
        "RLock tutorial, 3 threads",
        rlock::threadcheck,
        rlock::loom,
        None,
    );
}
