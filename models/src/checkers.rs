//! The checkers checked: small programs on which a checker is known to give the wrong
//! verdict. Each model states the truth (`expect`) and, in `known:`, the wrong verdict the
//! checker gives today, so the table shows `known miss` instead of failing — and turns red the
//! day the checker gets it right, so that someone deletes the `known:` line.
//!
//! Both models spawn with `threadcheck::thread::spawn`, like every model. If the library adds
//! a scheduling point at thread start (a workaround for the first miss), loom will find that
//! bug through this spawn: the row turns red, and the fix is to delete its `known:` line.

use crate::define_model;
use crate::harness::{Expect, Known, Model};
use threadcheck::model::Checker;
use threadcheck::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};
use threadcheck::sync::Arc;
use threadcheck::thread;

/// All known-checker-bug models.
pub const ALL: &[&Model] = &[
    &LOOM_MISSES_FIRST_LOAD_OF_SPAWNED_THREAD,
    &LOOM_HIDES_OWN_STORE_AFTER_RACING_FETCH_OR,
];

define_model! {
    /// A lost update loom does not see. Thread B reads the counter and writes back one more;
    /// main does the same, then checks its own write is still there. The failing order is
    /// legal: main loads 0, main stores 1, B loads 1, B stores 2, main loads 2 — the
    /// assertion fails. shuttle's DFS finds it within a few executions.
    ///
    /// loom 0.7.3's unbounded search passes after 13 executions: a newly spawned thread whose
    /// first operation is an atomic load is not explored at every point it could run (loom
    /// issues #166 and #392). B is spawned with `threadcheck::thread::spawn` and its first
    /// operation is the load. Verdict: Panic("lost update"); loom is known to say pass.
    pub LOOM_MISSES_FIRST_LOAD_OF_SPAWNED_THREAD = "checkers/loom_misses_first_load_of_spawned_thread" {
        about: "read-then-write in a spawned thread and in main: loom misses the lost update",
        expect: Expect::Panic("lost update"),
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        known: [Known {
            checker: Checker::Loom,
            gives: Expect::Pass,
            why: "loom 0.7.3 does not explore a spawned thread whose first operation is an atomic load (loom #166, #392)",
        }],
        run: first_load_of_spawned_thread,
    }
}

fn first_load_of_spawned_thread(_: usize) {
    let data = Arc::new(AtomicI32::new(0));
    let d = data.clone();
    let b = thread::spawn(move || {
        let v = d.load(SeqCst);
        d.store(v + 1, SeqCst);
    });
    let x = data.load(SeqCst);
    data.store(x + 1, SeqCst);
    let now = data.load(SeqCst);
    assert_eq!(
        now,
        x + 1,
        "lost update: main wrote {}, then read {now}",
        x + 1
    );
    b.join().unwrap();
}

define_model! {
    /// Coherence broken by a checker. Thread B sets a bit with `fetch_or(1)`; main stores 2
    /// and reads the value back. Main's load comes after its own store, so it must see 2, or
    /// 3 if B's read-modify-write came after the store; never 1, which would put B's RMW both
    /// before main's store (it read 0) and after it (its write wins). Every checker that keeps
    /// coherence passes.
    ///
    /// loom 0.7.3 fails it after a few executions with main reading 1: it lets a store slip
    /// between the read and the write of a concurrent RMW (loom issues #254 and #389; a fix is
    /// proposed in PR #391). Verdict: Pass; loom is known to panic.
    pub LOOM_HIDES_OWN_STORE_AFTER_RACING_FETCH_OR = "checkers/loom_hides_own_store_after_racing_fetch_or" {
        about: "fetch_or in a spawned thread races main's store: loom lets main miss its own store",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        known: [Known {
            checker: Checker::Loom,
            gives: Expect::Panic("own store invisible"),
            why: "loom 0.7.3 lets a store slip inside a concurrent read-modify-write (loom #254, #389)",
        }],
        run: own_store_after_racing_fetch_or,
    }
}

fn own_store_after_racing_fetch_or(_: usize) {
    let data = Arc::new(AtomicUsize::new(0));
    let d = data.clone();
    let b = thread::spawn(move || d.fetch_or(1, SeqCst));
    data.store(2, SeqCst);
    let now = data.load(SeqCst);
    let old = b.join().unwrap();
    assert!(
        now == 2 || now == 3,
        "own store invisible: main stored 2, then read {now} (B's fetch_or read {old})"
    );
}
