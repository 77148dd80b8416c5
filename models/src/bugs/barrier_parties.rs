//! Python practice: a `Barrier` sized for one party more than ever arrives.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::Arc;
use threadcheck::Barrier;

/// The Barrier models: the bug and its twin.
pub const ALL: &[&Model] = &[&BARRIER_ONE_TOO_MANY, &BARRIER_PARTIES_MATCH];

fn workers(n: usize, parties: usize) {
    let b = Arc::new(Barrier::new(parties));
    let b2 = b.clone();
    join_all(spawn_n(n, move |_| {
        b2.wait().unwrap();
    }));
}

define_model! {
    /// `Barrier(n + 1)` for `n` workers — the main thread was counted as a party but never
    /// calls `wait()`. Every worker waits for a party that never comes: Deadlock, on every
    /// schedule (found in the first execution by every checker). Python's usual guard, a
    /// `timeout`, turns the hang into `BrokenBarrierError`; without one the program hangs.
    pub BARRIER_ONE_TOO_MANY = "bugs/barrier_one_too_many" {
        about: "Barrier(n + 1) with n workers: every worker waits forever",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 3,
        real: None,
        preemptions: None,
        run: barrier_one_too_many,
    }
}

fn barrier_one_too_many(n: usize) {
    workers(n, n + 1);
}

define_model! {
    /// `bugs/barrier_one_too_many` fixed: `Barrier(n)` for `n` workers; the last to arrive
    /// releases them all: Pass.
    pub BARRIER_PARTIES_MATCH = "bugs/barrier_parties_match" {
        about: "Barrier(n) with n workers: all pass together",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: barrier_parties_match,
    }
}

fn barrier_parties_match(n: usize) {
    workers(n, n);
}
