//! `Lock` and `RLock` on real threads, in production: the fast paths under contention, with
//! parking, timeouts and Python's release from another thread. No lost update, no lost
//! wakeup, no release counted twice. Sizes are small enough for the 2-core CI machine; a
//! lost wakeup shows as a hang, so every scenario runs under a watchdog that fails the test
//! (not the binary) after `LIMIT`.
#![cfg(not(any(loom, feature = "shuttle")))]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;
use threadcheck::cell::RaceCell;
use threadcheck::{Lock, RLock, ReleaseError};

/// Far above what any scenario needs on a loaded machine; reaching it means a thread is
/// parked for good.
const LIMIT: Duration = Duration::from_secs(120);

/// Runs `f` on a thread and fails if it does not finish within [`LIMIT`].
fn watchdog(name: &str, f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(()) => h.join().unwrap(),
        // The thread panicked: its sender is gone; report its panic.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(p) = h.join() {
                std::panic::resume_unwind(p)
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{name}: not finished after {LIMIT:?}: a wakeup was lost")
        }
    }
}

fn run_threads(n: usize, f: impl Fn(usize) + Send + Sync + 'static) {
    let f = Arc::new(f);
    let hs: Vec<_> = (0..n)
        .map(|i| {
            let f = f.clone();
            thread::spawn(move || f(i))
        })
        .collect();
    hs.into_iter().for_each(|h| h.join().unwrap());
}

#[test]
fn lock_counter_loses_no_update_under_contention() {
    watchdog("lock counter", || {
        const THREADS: usize = 4;
        const ROUNDS: usize = 20_000;
        let lock = Arc::new(Lock::new());
        let count = Arc::new(RaceCell::new(0usize));
        let (l, c) = (lock.clone(), count.clone());
        run_threads(THREADS, move |_| {
            for _ in 0..ROUNDS {
                let _g = l.acquire();
                // Only touched with `lock` held.
                c.set(c.get() + 1);
            }
        });
        assert_eq!(count.get(), THREADS * ROUNDS);
        assert!(!lock.locked());
    });
}

/// Python's lock as a signal: two locks passed back and forth, each acquired by one thread
/// and released by the other. Every round parks a thread on a lock that another thread
/// releases: a lost wakeup hangs.
#[test]
fn lock_released_by_another_thread_wakes_its_waiter_every_time() {
    watchdog("ping-pong", || {
        const ROUNDS: usize = 5_000;
        let ping = Arc::new(Lock::new());
        let pong = Arc::new(Lock::new());
        ping.acquire().leak();
        pong.acquire().leak();
        let (pi, po) = (ping.clone(), pong.clone());
        let player = thread::spawn(move || {
            for _ in 0..ROUNDS {
                pi.acquire().leak(); // wait for the serve
                po.release().expect("pong was held");
            }
        });
        for _ in 0..ROUNDS {
            ping.release().expect("ping was held");
            pong.acquire().leak(); // wait for the return
        }
        player.join().unwrap();
        // The player's last acquire of ping and main's of pong are still held.
        assert_eq!(ping.release(), Ok(()));
        assert_eq!(pong.release(), Ok(()));
        assert_eq!(pong.release(), Err(ReleaseError::Unlocked));
    });
}

/// Two threads race to release one acquire, many times: exactly one wins each time.
#[test]
fn lock_racing_releases_succeed_exactly_once() {
    watchdog("racing releases", || {
        const ROUNDS: usize = 2_000;
        let lock = Arc::new(Lock::new());
        for _ in 0..ROUNDS {
            lock.acquire().leak();
            let wins = Arc::new(AtomicUsize::new(0));
            let (l, w) = (lock.clone(), wins.clone());
            run_threads(2, move |_| {
                if l.release().is_ok() {
                    w.fetch_add(1, SeqCst);
                }
            });
            assert_eq!(wins.load(SeqCst), 1);
            assert!(!lock.locked());
        }
    });
}

/// Timed acquires that give up while others hold, wait and release: mutual exclusion holds,
/// and the lock is never left locked or with a waiter asleep.
#[test]
fn lock_timed_acquires_racing_holders_keep_exclusion() {
    watchdog("timed acquires", || {
        const THREADS: usize = 4;
        const ROUNDS: usize = 2_000;
        let lock = Arc::new(Lock::new());
        let inside = Arc::new(AtomicBool::new(false));
        let got = Arc::new(AtomicUsize::new(0));
        let (l, ins, g) = (lock.clone(), inside.clone(), got.clone());
        run_threads(THREADS, move |i| {
            for r in 0..ROUNDS {
                let guard = if (i + r) % 2 == 0 {
                    Some(l.acquire())
                } else {
                    l.acquire_timeout(Duration::from_micros(((i * 7 + r) % 50) as u64))
                };
                if let Some(_guard) = guard {
                    assert!(!ins.swap(true, SeqCst), "two threads inside");
                    g.fetch_add(1, SeqCst);
                    std::hint::spin_loop();
                    ins.store(false, SeqCst);
                }
            }
        });
        assert!(got.load(SeqCst) >= THREADS * ROUNDS / 2);
        assert!(!lock.locked());
        assert!(lock.try_acquire().is_some());
    });
}

#[test]
fn rlock_nested_counter_loses_no_update_under_contention() {
    watchdog("rlock counter", || {
        const THREADS: usize = 4;
        const ROUNDS: usize = 10_000;
        let lock = Arc::new(RLock::new());
        let count = Arc::new(RaceCell::new(0usize));
        let (l, c) = (lock.clone(), count.clone());
        run_threads(THREADS, move |i| {
            for r in 0..ROUNDS {
                let _a = l.acquire();
                let _b = if (i + r) % 3 == 0 {
                    l.acquire_timeout(Duration::ZERO)
                } else {
                    l.try_acquire()
                }
                .expect("re-entering is immediate");
                assert_eq!(l.depth(), 2);
                // Only touched with `lock` held.
                c.set(c.get() + 1);
            }
            assert_eq!(l.depth(), 0);
            assert_eq!(l.release(), Err(ReleaseError::NotOwner));
        });
        assert_eq!(count.get(), THREADS * ROUNDS);
        assert!(!lock.locked());
    });
}

/// Timed first acquires against nested holders: a timed-out thread never owns the lock, and
/// the last release always lets the next thread in.
#[test]
fn rlock_timed_acquires_racing_owners_keep_exclusion() {
    watchdog("rlock timed", || {
        const THREADS: usize = 3;
        const ROUNDS: usize = 2_000;
        let lock = Arc::new(RLock::new());
        let inside = Arc::new(AtomicBool::new(false));
        let (l, ins) = (lock.clone(), inside.clone());
        run_threads(THREADS, move |i| {
            for r in 0..ROUNDS {
                match l.acquire_timeout(Duration::from_micros(((i * 13 + r) % 40) as u64)) {
                    Some(_g) => {
                        let _nested = l.acquire();
                        assert!(!ins.swap(true, SeqCst), "two owners");
                        ins.store(false, SeqCst);
                    }
                    None => assert!(!l.is_owned(), "a timed-out acquire owns the lock"),
                }
            }
        });
        assert!(!lock.locked());
    });
}
