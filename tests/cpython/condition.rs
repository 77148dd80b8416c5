//! `lock_tests.py`: ConditionTests.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use threadcheck::{Condition, Lock, RLock};

#[test]
fn condition_acquire() {
    check(|| {
        // Python's default lock is an RLock: the condition can be acquired twice.
        let cond = Condition::with_lock(RLock::new());
        let a = cond.acquire();
        let b = cond.acquire();
        drop((b, a));
        // Condition(lock): the condition holds exactly that lock.
        let lock = Arc::new(Lock::new());
        let cond = Condition::with_lock(lock.clone());
        let g = cond.acquire();
        assert!(lock.try_acquire().is_none());
        drop(g);
        let l = lock.try_acquire().expect("released with the guard");
        assert!(cond.try_acquire().is_none());
        assert!(lock.locked(), "a failed try_acquire released the lock");
        drop(l);
        let _with = cond.acquire();
        assert!(lock.try_acquire().is_none());
    });
}

/// Python's `_check_notify`: five waiters, `notify(3)`, then `notify(5)` while some are in
/// their first and some in their second wait, then `notify_all()`. Waiters announce
/// themselves under the lock before waiting, so once the notifier holds the lock after
/// seeing them all, they are all waiting: no timing assumption (CPython issue #30727).
fn check_notify(cond: &Arc<Condition>) {
    let n = size(5, 2);
    let count1 = size(3, 1);
    let ready = Arc::new(AtomicUsize::new(0));
    let phase = Arc::new(AtomicUsize::new(0));
    let (results1, results2) = (log(), log());
    let (c, rd, ph, r1, r2) = (
        cond.clone(),
        ready.clone(),
        phase.clone(),
        results1.clone(),
        results2.clone(),
    );
    let hs = bunch(n, move || {
        let mut g = c.acquire();
        rd.fetch_add(1, Ordering::SeqCst);
        let result = g.wait();
        drop(g);
        r1.push((result, ph.load(Ordering::SeqCst)));
        let mut g = c.acquire();
        rd.fetch_add(1, Ordering::SeqCst);
        let result = g.wait();
        drop(g);
        r2.push((result, ph.load(Ordering::SeqCst)));
    });
    sleep_until(|| ready.load(Ordering::SeqCst) >= n);
    assert_eq!(results1.len(), 0);
    // Phase 1: wake count1 of them.
    let g = cond.acquire();
    assert_eq!(g.notify(count1), count1);
    phase.store(1, Ordering::SeqCst);
    drop(g);
    sleep_until(|| results1.len() >= count1);
    assert_eq!(results1.get(), vec![(true, 1); count1]);
    assert_eq!(results2.len(), 0);
    // Phase 2: wake all n, some in their first wait, some in their second.
    sleep_until(|| ready.load(Ordering::SeqCst) >= n + count1);
    let g = cond.acquire();
    assert_eq!(g.notify(n), n);
    phase.store(2, Ordering::SeqCst);
    drop(g);
    sleep_until(|| results1.len() + results2.len() >= n + count1);
    let count2 = n - count1;
    let mut want1 = vec![(true, 1); count1];
    want1.extend(vec![(true, 2); count2]);
    assert_eq!(results1.get(), want1);
    assert_eq!(results2.get(), vec![(true, 2); count1]);
    // Phase 3: notify_all; they are all in their second wait.
    sleep_until(|| ready.load(Ordering::SeqCst) >= 2 * n);
    let g = cond.acquire();
    assert_eq!(g.notify_all(), count2);
    phase.store(3, Ordering::SeqCst);
    drop(g);
    finish(hs);
    let mut want2 = vec![(true, 2); count1];
    want2.extend(vec![(true, 3); count2]);
    assert_eq!(results1.get(), want1);
    assert_eq!(results2.get(), want2);
}

#[test]
fn condition_notify() {
    check(|| {
        let cond = Arc::new(Condition::new());
        check_notify(&cond);
        // A second time, to check internal state is still ok.
        check_notify(&cond);
    });
}

#[test]
fn condition_timeout() {
    check(|| {
        let cond = Arc::new(Condition::new());
        let results = log();
        let (c, r) = (cond.clone(), results.clone());
        let n = size(5, 2);
        finish(bunch(n, move || {
            let mut g = c.acquire();
            let t0 = threadcheck::Instant::now();
            let result = g.wait_timeout(ms(500));
            let dt = since(t0);
            drop(g);
            r.push((dt, result));
        }));
        assert_eq!(results.len(), n);
        for (dt, result) in results.get() {
            assert!(dt >= ms(500), "timed out after {dt:?}");
            assert!(!result, "no spurious wakeups");
        }
    });
}

/// The waiter's `wait_for` and the incrementer's steps (`state` counts up to `steps`);
/// returns what `wait_for_timeout` returned and how long it waited, or `wait_for`'s result.
fn wait_for_steps(steps: usize, timeout: Option<Duration>) -> (bool, Duration) {
    let cond = Arc::new(Condition::new());
    let state = Arc::new(AtomicUsize::new(0));
    let (c, s) = (cond.clone(), state.clone());
    let waiter = thread::spawn(move || {
        let mut g = c.acquire();
        let t0 = threadcheck::Instant::now();
        let pred = || s.load(Ordering::SeqCst) == 4;
        let result = match timeout {
            None => g.wait_for(pred),
            Some(t) => g.wait_for_timeout(pred, t),
        };
        if result {
            assert_eq!(s.load(Ordering::SeqCst), 4);
        }
        (result, since(t0))
    });
    for _ in 0..steps {
        threadcheck::sleep(ms(10));
        let g = cond.acquire();
        state.fetch_add(1, Ordering::SeqCst);
        g.notify(1);
    }
    finish(vec![waiter])[0]
}

#[test]
fn condition_waitfor() {
    check(|| assert!(wait_for_steps(4, None).0));
}

#[test]
fn condition_waitfor_timeout() {
    check(|| {
        // Only 3 increments, so state == 4 is never reached.
        let (result, dt) = wait_for_steps(3, Some(ms(100)));
        assert!(!result);
        assert!(dt >= ms(100), "timed out after {dt:?}");
    });
}

/// Python: `cond.notify()` without holding the lock raises `RuntimeError`. Here
/// [`Condition::notify`] is allowed without the lock, as `std::sync::Condvar`'s is (a
/// deliberate difference): it wakes a waiter all the same.
#[test]
fn condition_unacquired_notify() {
    check(|| {
        let cond = Arc::new(Condition::new());
        assert_eq!(cond.notify(1), 0, "nobody waits");
        let woke = Arc::new(AtomicUsize::new(0));
        let (c, w) = (cond.clone(), woke.clone());
        let h = thread::spawn(move || {
            let mut g = c.acquire();
            g.wait_for(|| w.load(Ordering::SeqCst) == 1);
        });
        {
            let _g = cond.acquire();
            woke.store(1, Ordering::SeqCst);
        }
        cond.notify_all();
        finish(vec![h]);
    });
}
