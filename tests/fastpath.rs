//! The production fast paths, checked by loom: the lock word under `Lock` and `RLock`
//! (`src/rt/word_lock.rs`, parking_lot's algorithm with Python's any-thread release) and the
//! reentrant owner check (`src/rt/raw_lock.rs`), compiled on loom's atomics and a loom
//! parking lot. parking_lot and crossbeam are not model-checked; this is.
//!
//! The library's models check `Lock` and `RLock` in their model shape (the checker's own
//! lock); these check the shape production runs. Two-thread models are unbounded
//! (exhaustive) but for the fair handoff; it and the models with three threads use
//! preemption bound [`BOUND`], as tokio's expensive loom tests do — strong evidence, not a
//! proof. The loom parking lot lets a timed
//! park time out at any point after it queued, and hands the lock off on every wake when a
//! model asks for fairness (production does so about once every 0.5 ms). The last model
//! breaks the word on purpose and shows loom catching the lost wakeup.
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release --test fastpath`
#![cfg(loom)]

use loom::cell::UnsafeCell;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;
use std::sync::Arc;
use threadcheck::__fastpath::{ReentrantWord, WordLock};

/// Preemption bound of the expensive models (unbounded, each took over 5 minutes).
const BOUND: usize = 2;

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = None;
    b.check(f);
}

fn model_bounded(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(BOUND);
    b.check(f);
}

/// `threads` threads each take the word `rounds` times and bump a plain counter inside: loom
/// reports a data race if two are ever inside together, and a deadlock if a wakeup is lost.
fn excludes_and_wakes(fair: bool, threads: usize, rounds: usize, bounded: bool) {
    let run = if bounded { model_bounded } else { model };
    run(move || {
        let lock = Arc::new(WordLock::new(fair));
        let count = Arc::new(UnsafeCell::new(0usize));
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                let (lock, count) = (lock.clone(), count.clone());
                thread::spawn(move || {
                    for _ in 0..rounds {
                        lock.lock();
                        count.with_mut(|c| unsafe { *c += 1 });
                        assert!(lock.unlock(), "the holder's unlock must succeed");
                    }
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        assert_eq!(count.with(|c| unsafe { *c }), threads * rounds);
        assert!(!lock.is_locked());
    });
}

#[test]
fn word_lock_excludes_and_never_loses_a_wakeup() {
    excludes_and_wakes(false, 2, 2, false);
    excludes_and_wakes(false, 3, 1, true);
}

/// The handoff path (the unlocker keeps the lock locked for the thread it wakes) multiplies
/// the schedules: bounded even at two threads.
#[test]
fn word_lock_fair_handoff_excludes_and_never_loses_a_wakeup() {
    excludes_and_wakes(true, 2, 2, true);
}

/// Python's `Lock` has no owner: main locks, another thread releases, a third one waiting
/// for the lock gets it.
#[test]
fn word_lock_released_by_another_thread_wakes_the_waiter() {
    model(|| {
        let lock = Arc::new(WordLock::new(false));
        lock.lock();
        let l = lock.clone();
        let waiter = thread::spawn(move || {
            l.lock();
            assert!(l.unlock());
        });
        let l = lock.clone();
        let releaser = thread::spawn(move || assert!(l.unlock(), "the lock was held"));
        releaser.join().unwrap();
        waiter.join().unwrap();
        assert!(!lock.is_locked());
    });
}

/// Two threads race to release a lock (main is one of them) while a third waits for it.
/// Every release that succeeds undoes exactly one acquire: at the end the successful
/// releases equal the acquires (2: main's and the waiter's) and the lock is free — no
/// release counted twice, none lost, and the waiter is woken whichever release it hears.
#[test]
fn word_lock_racing_releases_undo_each_acquire_once() {
    model_bounded(|| {
        let lock = Arc::new(WordLock::new(false));
        let released = Arc::new(AtomicUsize::new(0));
        lock.lock();
        let (l, r) = (lock.clone(), released.clone());
        let waiter = thread::spawn(move || {
            l.lock();
            if l.unlock() {
                r.fetch_add(1, SeqCst);
            }
        });
        let (l, r) = (lock.clone(), released.clone());
        let releaser = thread::spawn(move || {
            if l.unlock() {
                r.fetch_add(1, SeqCst);
            }
        });
        if lock.unlock() {
            released.fetch_add(1, SeqCst);
        }
        releaser.join().unwrap();
        // One of the two releases may come before the waiter's acquire and the other after
        // it (releasing the waiter's hold, as Python allows); then the waiter's own unlock
        // finds the lock free. Either way every acquire is undone exactly once.
        waiter.join().unwrap();
        assert_eq!(released.load(SeqCst), 2);
        assert!(!lock.is_locked());
    });
}

/// A timed lock that gives up must leave the word consistent: main holds the lock, one
/// thread waits with a timeout (which may fire at any point), another waits for good. After
/// main unlocks, the untimed waiter always gets the lock (a timed-out waiter that was the
/// last parked one clears the parked bit; one that was not must leave it), and nobody is
/// ever inside together.
#[test]
fn word_lock_timed_out_waiter_loses_no_wakeup() {
    model_bounded(|| {
        let lock = Arc::new(WordLock::new(false));
        let inside = Arc::new(UnsafeCell::new(()));
        lock.lock();
        let (l, c) = (lock.clone(), inside.clone());
        let timed = thread::spawn(move || {
            if l.lock_or_time_out() {
                c.with_mut(|_| ());
                assert!(l.unlock());
            }
        });
        let (l, c) = (lock.clone(), inside.clone());
        let patient = thread::spawn(move || {
            l.lock();
            c.with_mut(|_| ());
            assert!(l.unlock());
        });
        inside.with_mut(|_| ());
        assert!(lock.unlock());
        timed.join().unwrap();
        patient.join().unwrap();
        assert!(!lock.is_locked());
    });
}

/// `try_lock` never takes a held lock and never fails on a free one it races nobody for.
#[test]
fn word_lock_try_lock_is_exact() {
    model(|| {
        let lock = Arc::new(WordLock::new(false));
        let l = lock.clone();
        let t = thread::spawn(move || {
            if l.try_lock() {
                assert!(l.unlock());
            }
        });
        lock.lock();
        assert!(!lock.try_lock(), "try_lock took a held lock");
        assert!(lock.unlock());
        t.join().unwrap();
        assert!(lock.try_lock(), "try_lock failed on a free lock");
        assert!(lock.unlock());
        assert!(!lock.unlock(), "a second release must fail");
    });
}

/// The reentrant layer: two threads nest twice each; the owner word (relaxed atomics) admits
/// the owner's nested acquire, refuses a non-owner's release, and never lets two threads in.
#[test]
fn reentrant_owner_check_admits_only_the_owner() {
    model(|| {
        let lock = Arc::new(ReentrantWord::new());
        let inside = Arc::new(UnsafeCell::new(0usize));
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let (l, c) = (lock.clone(), inside.clone());
                thread::spawn(move || {
                    l.lock();
                    l.lock();
                    assert_eq!(l.depth(), 2);
                    c.with_mut(|c| unsafe { *c += 1 });
                    assert!(l.unlock());
                    assert_eq!(l.depth(), 1);
                    assert!(l.unlock());
                    assert_eq!(l.depth(), 0);
                    assert!(!l.unlock(), "a release after the last level must fail");
                })
            })
            .collect();
        // main never owns it: its release is refused whatever the others do
        assert!(!lock.unlock(), "a non-owner's release succeeded");
        assert_eq!(lock.depth(), 0);
        hs.into_iter().for_each(|h| h.join().unwrap());
        assert_eq!(inside.with(|c| unsafe { *c }), 2);
        assert!(lock.try_lock());
        assert!(lock.unlock());
    });
}

/// A test that cannot fail is a defect: with an unlock that clears the word and wakes
/// nobody, a parked waiter sleeps forever, and these models must say so.
#[test]
fn word_lock_models_catch_a_lost_wakeup() {
    let r = std::panic::catch_unwind(|| {
        model(|| {
            let lock = Arc::new(WordLock::new(false));
            lock.lock();
            let l = lock.clone();
            let waiter = thread::spawn(move || {
                l.lock();
                assert!(l.unlock());
            });
            lock.unlock_forgetting_waiters();
            waiter.join().unwrap();
        })
    });
    let msg = match r {
        Ok(()) => panic!("loom missed the lost wakeup"),
        Err(p) => p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default(),
    };
    assert!(msg.contains("deadlock"), "expected a deadlock, got: {msg}");
}
