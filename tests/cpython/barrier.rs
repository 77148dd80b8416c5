//! `lock_tests.py`: BarrierTests. CPython's `setUp` builds `Barrier(N, timeout=2.0)`.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use threadcheck::{Barrier, BarrierError};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

fn parties() -> usize {
    size(5, 2)
}

fn barrier() -> Arc<Barrier> {
    Arc::new(Barrier::new(parties()).with_timeout(DEFAULT_TIMEOUT))
}

/// `run_threads(f)`: `parties()` threads run `f`, joined.
fn run_threads(f: impl Fn() + Send + Sync + 'static) {
    finish(bunch(parties(), f));
}

/// `passes` rounds in lockstep: nobody starts round i+1's second half before everyone did
/// round i's first.
fn multipass(passes: usize) {
    let b = barrier();
    let (r0, r1) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let m = b.parties();
    let (bb, a0, a1) = (b.clone(), r0.clone(), r1.clone());
    run_threads(move || {
        for i in 0..passes {
            a0.fetch_add(1, Ordering::SeqCst);
            assert_eq!(a1.load(Ordering::SeqCst), i * m);
            bb.wait().unwrap();
            a1.fetch_add(1, Ordering::SeqCst);
            assert_eq!(a0.load(Ordering::SeqCst), (i + 1) * m);
            bb.wait().unwrap();
        }
        assert!(!bb.broken());
    });
    assert_eq!(b.n_waiting(), 0);
    assert!(!b.broken());
}

#[test]
fn barrier_constructor() {
    // Python: ValueError for parties=0 (and -1, which a usize cannot be). Here: a panic.
    assert!(std::panic::catch_unwind(|| Barrier::new(0)).is_err());
}

#[test]
fn barrier_barrier() {
    check(|| multipass(1));
}

#[test]
fn barrier_barrier_10() {
    check(|| multipass(size(10, 2)));
}

#[test]
fn barrier_wait_return() {
    check(|| {
        let b = barrier();
        let results = log();
        let (bb, r) = (b.clone(), results.clone());
        run_threads(move || r.push(bb.wait().unwrap()));
        assert_eq!(
            results.get().iter().sum::<usize>(),
            (0..parties()).sum::<usize>()
        );
    });
}

#[test]
fn barrier_action() {
    check(|| {
        let results = Arc::new(AtomicUsize::new(0));
        let r = results.clone();
        let b = Arc::new(Barrier::new(parties()).with_action(move || {
            r.fetch_add(1, Ordering::SeqCst);
        }));
        let r = results.clone();
        run_threads(move || {
            b.wait().unwrap();
            assert_eq!(r.load(Ordering::SeqCst), 1);
        });
    });
}

threadcheck::if_production! {
/// Not in lock_tests.py, but CPython's `_release`: an action that raises breaks the barrier
/// and the exception reaches the thread that ran it; the others get `BrokenBarrierError`.
/// Real threads only: under loom and shuttle a thread's panic fails the execution.
#[test]
fn barrier_action_panic_breaks_it() {
    check(|| {
        let b = Arc::new(Barrier::new(parties()).with_action(|| panic!("action failed")));
        let bb = b.clone();
        let results: Vec<_> = bunch(parties(), move || {
            assert_eq!(bb.wait(), Err(BarrierError::Broken));
        })
        .into_iter()
        .map(|h| h.join().is_ok())
        .collect();
        assert_eq!(results.iter().filter(|ok| !**ok).count(), 1, "{results:?}");
        assert!(b.broken());
    });
}
}

/// `test_abort` and `test_abort_and_reset`: the thread with index N/2 aborts instead of
/// waiting again; everyone else gets `BrokenBarrierError`. With `reset`, a second barrier
/// syncs the threads, one resets, and the first barrier works again.
///
/// One change: the aborting thread first waits until the others are in their second wait
/// (as CPython's own `test_reset` does). CPython's test aborts at once, while the others may
/// still be leaving the first round; CPython's `_wait` then raises `BrokenBarrierError` in
/// them too (its state is already "broken" when they re-take the lock), and the test fails
/// or hangs. Real threads here hit that race often; loom and shuttle find it at once.
fn abort(and_reset: bool) {
    let b = barrier();
    let barrier2 = Arc::new(Barrier::new(parties()).with_timeout(Duration::from_secs(30)));
    let (r1, r2, r3) = (log(), log(), log());
    let (bb, b2, l1, l2, l3) = (
        b.clone(),
        barrier2.clone(),
        r1.clone(),
        r2.clone(),
        r3.clone(),
    );
    let n = parties();
    run_threads(move || {
        let i = bb.wait().unwrap();
        if i == n / 2 {
            sleep_until(|| bb.n_waiting() >= n - 1);
            bb.abort();
        } else {
            match bb.wait() {
                Ok(_) => l1.push(()),
                Err(_) => l2.push(()),
            }
        }
        if and_reset {
            if b2.wait().unwrap() == n / 2 {
                bb.reset();
            }
            b2.wait().unwrap();
            bb.wait().unwrap();
            l3.push(());
        }
    });
    assert_eq!(r1.len(), 0);
    assert_eq!(r2.len(), n - 1);
    if and_reset {
        assert_eq!(r3.len(), n);
    } else {
        assert!(b.broken());
    }
}

#[test]
fn barrier_abort() {
    check(|| abort(false));
}

#[test]
fn barrier_abort_and_reset() {
    check(|| abort(true));
}

#[test]
fn barrier_reset() {
    check(|| {
        let b = barrier();
        let (r1, r2, r3) = (log(), log(), log());
        let (bb, l1, l2, l3) = (b.clone(), r1.clone(), r2.clone(), r3.clone());
        let n = parties();
        run_threads(move || {
            let i = bb.wait().unwrap();
            if i == n / 2 {
                // Wait until the other threads are all in the barrier.
                sleep_until(|| bb.n_waiting() >= n - 1);
                bb.reset();
            } else {
                match bb.wait() {
                    Ok(_) => l1.push(()),
                    Err(_) => l2.push(()),
                }
            }
            // Now, pass the barrier again.
            bb.wait().unwrap();
            l3.push(());
        });
        assert_eq!((r1.len(), r2.len(), r3.len()), (0, n - 1, n));
    });
}

#[test]
fn barrier_timeout() {
    check(|| {
        let b = barrier();
        let n = parties();
        let bb = b.clone();
        run_threads(move || {
            let i = bb.wait().unwrap();
            if i == n / 2 {
                // One thread is late!
                threadcheck::sleep(DEFAULT_TIMEOUT / 2);
            }
            // Shorter than the late thread's sleep: the barrier breaks.
            assert!(bb.wait_timeout(DEFAULT_TIMEOUT / 4).is_err());
        });
    });
}

#[test]
fn barrier_default_timeout() {
    check(|| {
        let timeout = ms(100);
        let b = Arc::new(Barrier::new(2).with_timeout(timeout));
        let t0 = threadcheck::Instant::now();
        let bb = b.clone();
        finish(bunch(1, move || {
            assert_eq!(bb.wait(), Err(BarrierError::Timeout));
        }));
        assert!(since(t0) >= timeout);
        assert_eq!(b.timeout(), Some(timeout));
    });
}

#[test]
fn barrier_single_thread() {
    check(|| {
        let b = Barrier::new(1);
        b.wait().unwrap();
        b.wait().unwrap();
    });
}

#[test]
fn barrier_repr() {
    check(|| {
        let b = Arc::new(Barrier::new(3));
        assert!(format!("{b:?}").contains("count: 0"), "{b:?}");
        let bb = b.clone();
        let hs = bunch(2, move || {
            bb.wait_timeout(Duration::from_secs(30)).unwrap();
        });
        sleep_until(|| b.n_waiting() >= 2);
        assert!(format!("{b:?}").contains("count: 2"), "{b:?}");
        b.wait().unwrap();
        finish(hs);
        assert!(format!("{b:?}").contains("count: 0"), "{b:?}");
        b.abort();
        assert!(format!("{b:?}").contains("Broken"), "{b:?}");
    });
}
