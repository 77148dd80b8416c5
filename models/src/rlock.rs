//! `RLock` models: the tutorial's fix for the two-lock deadlock, and the ownership rules.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicBool, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::{RLock, ReleaseError};

/// All `RLock` models.
pub const ALL: &[&Model] = &[
    &TUTORIAL_RLOCK_IS_SAFE,
    &NON_OWNER_RELEASE_ERRORS,
    &COUNT_BLOCKS_OTHERS,
];

define_model! {
    /// The tutorial's fix: A and B become the same `RLock`. Each thread runs `f1` (take A,
    /// then B: a nested acquire) and `f2` (take B, then A). With one lock there is no second
    /// resource to wait for, and the owner's nested acquires never block. loom proves it for
    /// 2 and 3 threads: every interleaving, no preemption bound (30 and 7,847 executions;
    /// with the RLock's previous condvar-based design, 3 threads did not finish in 10 minutes
    /// — see src/rlock.rs). shuttle runs the tutorial's 10. Pass.
    pub TUTORIAL_RLOCK_IS_SAFE = "rlock/tutorial_rlock_is_safe" {
        about: "the two-lock program on one RLock: proven deadlock-free (2 and 3 threads, unbounded)",
        expect: Expect::Pass,
        loom: [2, 3],
        shuttle: 10,
        real: Some(10),
        preemptions: None,
        run: tutorial_rlock_is_safe,
    }
}

fn tutorial_rlock_is_safe(n: usize) {
    let r = Arc::new(RLock::named("AB"));
    join_all(spawn_n(n, move |_| {
        {
            // f1: A then B
            let _a = r.acquire();
            let _b = r.acquire();
        }
        {
            // f2: B then A
            let _b = r.acquire();
            let _a = r.acquire();
        }
    }));
}

define_model! {
    /// Only the owner may release an `RLock`. The main thread holds it; each worker's
    /// release is refused with `ReleaseError::NotOwner` and changes nothing: the lock is
    /// still held, no worker can take it, and the owner's own release then succeeds. Pass.
    pub NON_OWNER_RELEASE_ERRORS = "rlock/non_owner_release_errors" {
        about: "release by a non-owner is a typed error and changes nothing",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: non_owner_release_errors,
    }
}

fn non_owner_release_errors(n: usize) {
    let r = Arc::new(RLock::named("R"));
    r.acquire().leak();
    let r2 = r.clone();
    join_all(spawn_n(n, move |_| {
        assert_eq!(r2.release(), Err(ReleaseError::NotOwner));
        assert!(r2.locked(), "a refused release must leave the lock held");
        assert!(
            r2.try_acquire().is_none(),
            "a non-owner must not get a held RLock"
        );
    }));
    assert!(r.is_owned());
    assert_eq!(r.release(), Ok(()));
    assert!(!r.locked());
}

define_model! {
    /// The recursion count holds other threads off until it returns to zero. The owner
    /// acquires twice; a worker blocks in `acquire`. After one release the worker must
    /// still be blocked; after the second it gets through. Pass.
    pub COUNT_BLOCKS_OTHERS = "rlock/count_blocks_others" {
        about: "other threads wait until the owner's count returns to zero",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: count_blocks_others,
    }
}

fn count_blocks_others(_n: usize) {
    let r = Arc::new(RLock::named("R"));
    let got = Arc::new(AtomicBool::new(false));
    let outer = r.acquire();
    let inner = r.acquire();
    let (r2, g2) = (r.clone(), got.clone());
    let h = Builder::new().name("Thread-1").spawn(move || {
        let _g = r2.acquire();
        g2.store(true, Ordering::SeqCst);
    });
    drop(inner);
    assert!(
        !got.load(Ordering::SeqCst),
        "released to another thread while the count was 1"
    );
    drop(outer);
    h.join().unwrap();
    assert!(got.load(Ordering::SeqCst));
}
