//! SCTBench's `lazy01`: an assertion about a shared value that only one order breaks.

use crate::define_model;
use crate::harness::{Expect, Model};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Lock;

/// The lazy01 models: the bug and its twin.
pub const ALL: &[&Model] = &[&LAZY01, &LAZY01_FIXED];

fn three_threads(limit: usize) {
    let lock = Arc::new(Lock::named("m"));
    let data = Arc::new(AtomicUsize::new(0));
    let adder = |by: usize, name: &str| {
        let (l, d) = (lock.clone(), data.clone());
        Builder::new().name(name).spawn(move || {
            let _g = l.acquire();
            d.fetch_add(by, Ordering::SeqCst);
        })
    };
    let t1 = adder(1, "Thread-1");
    let t2 = adder(2, "Thread-2");
    let (l, d) = (lock.clone(), data.clone());
    let t3 = Builder::new().name("Thread-3").spawn(move || {
        let _g = l.acquire();
        let v = d.load(Ordering::SeqCst);
        assert!(v < limit, "lazy01: data is {v} when checked");
    });
    for t in [t1, t2, t3] {
        if let Err(p) = t.join() {
            std::panic::resume_unwind(p);
        }
    }
}

define_model! {
    /// After SCTBench's `lazy01`: three threads share `data = 0` under one lock. Thread 1
    /// adds 1, thread 2 adds 2, thread 3 asserts `data < 3`. Every access is locked, so
    /// there is no race; the assertion is simply wrong in one order — both adders before the
    /// checker — which a test that starts the threads in order rarely reaches (the checker is
    /// started last, but a scheduler must still run it last). Panic("lazy01").
    pub LAZY01 = "bugs/lazy01" {
        about: "a locked check that data < 3 fails when both adders run first",
        expect: Expect::Panic("lazy01"),
        loom: [3],
        shuttle: 3,
        real: None,
        preemptions: None,
        run: lazy01,
    }
}

fn lazy01(_n: usize) {
    three_threads(3);
}

define_model! {
    /// `bugs/lazy01` with the assertion every order satisfies (`data <= 3`): Pass.
    pub LAZY01_FIXED = "bugs/lazy01_fixed" {
        about: "the locked check data <= 3 holds in every order",
        expect: Expect::Pass,
        loom: [3],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: lazy01_fixed,
    }
}

fn lazy01_fixed(_n: usize) {
    three_threads(4);
}
