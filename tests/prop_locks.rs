//! proptest specs of `Lock` and `RLock` against sequential reference models: a `bool` for
//! `Lock`, an owner + count for `RLock`. Random sequences of acquire, try, timed, release
//! and queries, from the owning thread and from another thread, must agree step by step —
//! including every refused release leaving the lock exactly as it was.
#![cfg(not(any(loom, feature = "shuttle")))]

use proptest::prelude::*;
use std::time::Duration;
use threadcheck::{Lock, RLock, ReleaseError};

#[derive(Clone, Debug)]
enum LockOp {
    TryAcquire,
    AcquireIfFree,
    AcquireTimeout,
    Release,
    ReleaseFromOtherThread,
    Locked,
}

fn lock_op() -> impl Strategy<Value = LockOp> {
    prop_oneof![
        Just(LockOp::TryAcquire),
        Just(LockOp::AcquireIfFree),
        Just(LockOp::AcquireTimeout),
        Just(LockOp::Release),
        Just(LockOp::ReleaseFromOtherThread),
        Just(LockOp::Locked),
    ]
}

#[derive(Clone, Debug)]
enum RLockOp {
    Acquire,
    TryAcquire,
    AcquireTimeout,
    Release,
    ReleaseFromOtherThread,
    TryFromOtherThread,
    Query,
}

fn rlock_op() -> impl Strategy<Value = RLockOp> {
    prop_oneof![
        Just(RLockOp::Acquire),
        Just(RLockOp::TryAcquire),
        Just(RLockOp::AcquireTimeout),
        Just(RLockOp::Release),
        Just(RLockOp::ReleaseFromOtherThread),
        Just(RLockOp::TryFromOtherThread),
        Just(RLockOp::Query),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn lock_matches_a_bool(ops in proptest::collection::vec(lock_op(), 1..40)) {
        let lock = Lock::new();
        let mut held = false; // the reference model
        for op in ops {
            match op {
                LockOp::TryAcquire => {
                    let got = lock.try_acquire().map(|g| g.leak()).is_some();
                    prop_assert_eq!(got, !held);
                    held = true;
                }
                LockOp::AcquireIfFree => {
                    if !held {
                        lock.acquire().leak();
                        held = true;
                    }
                }
                LockOp::AcquireTimeout => {
                    let got = lock.acquire_timeout(Duration::from_millis(1)).map(|g| g.leak()).is_some();
                    prop_assert_eq!(got, !held);
                    held = true;
                }
                LockOp::Release => {
                    let r = lock.release();
                    prop_assert_eq!(r, if held { Ok(()) } else { Err(ReleaseError::Unlocked) });
                    held = false;
                }
                LockOp::ReleaseFromOtherThread => {
                    // Python semantics: any thread may release a Lock.
                    let r = std::thread::scope(|s| s.spawn(|| lock.release()).join().unwrap());
                    prop_assert_eq!(r, if held { Ok(()) } else { Err(ReleaseError::Unlocked) });
                    held = false;
                }
                LockOp::Locked => prop_assert_eq!(lock.locked(), held),
            }
            prop_assert_eq!(lock.locked(), held);
        }
    }

    #[test]
    fn rlock_matches_an_owner_and_count(ops in proptest::collection::vec(rlock_op(), 1..40)) {
        let r = RLock::new();
        let mut depth = 0usize; // the reference model: this thread owns it iff depth > 0
        for op in ops {
            match op {
                RLockOp::Acquire => {
                    r.acquire().leak();
                    depth += 1;
                }
                RLockOp::TryAcquire => {
                    prop_assert!(r.try_acquire().map(|g| g.leak()).is_some());
                    depth += 1;
                }
                RLockOp::AcquireTimeout => {
                    prop_assert!(r.acquire_timeout(Duration::from_millis(1)).map(|g| g.leak()).is_some());
                    depth += 1;
                }
                RLockOp::Release => {
                    let res = r.release();
                    prop_assert_eq!(res, if depth > 0 { Ok(()) } else { Err(ReleaseError::NotOwner) });
                    depth = depth.saturating_sub(1);
                }
                RLockOp::ReleaseFromOtherThread => {
                    let res = std::thread::scope(|s| s.spawn(|| r.release()).join().unwrap());
                    prop_assert_eq!(res, Err(ReleaseError::NotOwner));
                }
                RLockOp::TryFromOtherThread => {
                    let got = std::thread::scope(|s| s.spawn(|| r.try_acquire().is_some()).join().unwrap());
                    prop_assert_eq!(got, depth == 0);
                }
                RLockOp::Query => {
                    prop_assert_eq!(r.depth(), depth);
                    prop_assert_eq!(r.is_owned(), depth > 0);
                }
            }
            prop_assert_eq!(r.locked(), depth > 0);
            prop_assert_eq!(r.depth(), depth);
        }
    }
}

#[test]
fn duration_max_timeout_means_wait_forever_not_overflow() {
    let lock = Lock::new();
    // Free: a "forever" timeout acquires at once.
    let g = lock.acquire_timeout(Duration::MAX).expect("free lock");
    drop(g);
    let r = RLock::new();
    assert!(r.acquire_timeout(Duration::MAX).is_some());
}

#[test]
fn a_contended_lock_times_out_and_stays_held() {
    let lock = Lock::new();
    let _g = lock.acquire();
    let got = std::thread::scope(|s| {
        s.spawn(|| lock.acquire_timeout(Duration::from_millis(20)).is_some())
            .join()
            .unwrap()
    });
    assert!(!got);
    assert!(lock.locked());
}
