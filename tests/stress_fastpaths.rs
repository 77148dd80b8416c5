//! The production fast paths of issue #11 on real threads: `Queue`'s spin before parking,
//! `Event`'s flag word, `Condition`'s waiter count and `Timer`'s sweep of cancelled timers.
//! No lost item, FIFO per producer, no lost wakeup, a cancelled timer never runs. A lost
//! wakeup shows as a hang, so every scenario runs under a watchdog that fails the test (not
//! the binary) after `LIMIT`. Their loom models are `tests/fastpath_{queue,event,condition}.rs`.
#![cfg(not(any(loom, feature = "shuttle")))]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;
use threadcheck::{Condition, Event, Queue, Timer};

/// Far above what any scenario needs on a loaded machine; reaching it means a thread is
/// parked for good.
const LIMIT: Duration = Duration::from_secs(120);

fn watchdog(name: &str, f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(()) => h.join().unwrap(),
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

/// 3 producers × 3 consumers at small capacities, producers mixing `put`, `put_timeout` and
/// `try_put`, consumers `get`, `get_timeout` and `try_get`: every item arrives exactly once
/// and each consumer sees each producer's items in the order they were put.
#[test]
fn queue_mpmc_loses_nothing_and_keeps_each_producers_order() {
    for cap in [1, 2, 64] {
        watchdog("queue mpmc", move || {
            const PER: usize = 20_000;
            const P: usize = 3;
            let q = Arc::new(Queue::new(cap));
            let producers: Vec<_> = (0..P)
                .map(|p| {
                    let q = q.clone();
                    thread::spawn(move || {
                        for i in 0..PER {
                            let mut item = (p, i);
                            match i % 3 {
                                0 => q.put(item).unwrap(),
                                1 => loop {
                                    match q.put_timeout(item, Duration::from_micros(50)) {
                                        Ok(()) => break,
                                        Err(e) => item = e.into_inner(),
                                    }
                                },
                                _ => loop {
                                    match q.try_put(item) {
                                        Ok(()) => break,
                                        Err(e) => {
                                            item = e.into_inner();
                                            thread::yield_now();
                                        }
                                    }
                                },
                            }
                        }
                    })
                })
                .collect();
            let got = Arc::new(AtomicUsize::new(0));
            let consumers: Vec<_> = (0..P)
                .map(|c| {
                    let (q, got) = (q.clone(), got.clone());
                    thread::spawn(move || {
                        let mut last = [None::<usize>; P];
                        let mut mine = Vec::new();
                        let mut n = 0usize;
                        while got.load(SeqCst) < P * PER {
                            let r = match (c + n) % 3 {
                                0 => q.get_timeout(Duration::from_millis(1)).ok(),
                                1 => q.try_get().ok(),
                                _ => q.get_timeout(Duration::from_micros(10)).ok(),
                            };
                            n += 1;
                            if let Some((p, i)) = r {
                                got.fetch_add(1, SeqCst);
                                assert!(last[p].map_or(true, |l| l < i), "producer {p} reordered");
                                last[p] = Some(i);
                                mine.push((p, i));
                            }
                        }
                        mine
                    })
                })
                .collect();
            producers.into_iter().for_each(|h| h.join().unwrap());
            let mut all: Vec<_> = consumers
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect();
            all.sort_unstable();
            let want: Vec<_> = (0..P).flat_map(|p| (0..PER).map(move |i| (p, i))).collect();
            assert_eq!(all, want, "capacity {cap}: an item lost or doubled");
            assert!(q.is_empty());
        });
    }
}

/// Blocking put/get only, capacity 1 and 4: the handoff every spin-then-park is for.
#[test]
fn queue_blocking_handoffs_lose_no_wakeup() {
    for cap in [1, 4] {
        watchdog("queue handoff", move || {
            const N: usize = 50_000;
            let q = Arc::new(Queue::new(cap));
            let hs: Vec<_> = (0..2)
                .map(|p| {
                    let q = q.clone();
                    thread::spawn(move || (0..N).for_each(|i| q.put(p * N + i).unwrap()))
                })
                .collect();
            let sum: usize = (0..2 * N).map(|_| q.get().unwrap()).sum();
            hs.into_iter().for_each(|h| h.join().unwrap());
            assert_eq!(sum, (0..2 * N).sum::<usize>());
        });
    }
}

/// Rounds of wait/set/clear between a setter and two waiters: every waiter of a round
/// returns (the round's `set` wakes it, or it saw the flag), however `clear` races.
#[test]
fn event_set_clear_rounds_lose_no_waiter() {
    watchdog("event rounds", || {
        const ROUNDS: usize = 20_000;
        let go = Arc::new(Event::new());
        let arrived = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let (go, arrived) = (go.clone(), arrived.clone());
                thread::spawn(move || {
                    for r in 0..ROUNDS {
                        assert!(go.wait());
                        arrived.fetch_add(1, SeqCst);
                        // Wait for the setter to see both of this round before the next.
                        while arrived.load(SeqCst) < 2 * (r + 1) {
                            thread::yield_now();
                        }
                    }
                })
            })
            .collect();
        for r in 0..ROUNDS {
            go.set();
            while arrived.load(SeqCst) < 2 * (r + 1) {
                thread::yield_now();
            }
            go.clear();
        }
        hs.into_iter().for_each(|h| h.join().unwrap());
        assert!(!go.is_set());
    });
}

/// `is_set()` and a returning `wait()` see what the setter wrote before `set()`.
#[test]
fn event_set_publishes_prior_writes() {
    watchdog("event publish", || {
        for _ in 0..2_000 {
            let ev = Arc::new(Event::new());
            let data = Arc::new(AtomicUsize::new(0));
            let (e, d) = (ev.clone(), data.clone());
            let h = thread::spawn(move || {
                d.store(42, std::sync::atomic::Ordering::Relaxed);
                e.set();
            });
            assert!(ev.wait());
            assert_eq!(data.load(std::sync::atomic::Ordering::Relaxed), 42);
            h.join().unwrap();
        }
    });
}

/// A producer/consumer over one `Condition`, the notify under the lock: the waiter count
/// lets a notify with nobody waiting skip the queue, and no notify a waiter needs is skipped.
#[test]
fn condition_notify_reaches_every_waiter_that_needs_it() {
    watchdog("condition", || {
        const N: usize = 20_000;
        let cond = Arc::new(Condition::new());
        let items = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let (cond, items, done) = (cond.clone(), items.clone(), done.clone());
                thread::spawn(move || {
                    let mut taken = 0usize;
                    loop {
                        let mut g = cond.acquire();
                        g.wait_for(|| items.load(SeqCst) > 0 || done.load(SeqCst));
                        if items.load(SeqCst) == 0 {
                            return taken;
                        }
                        items.fetch_sub(1, SeqCst);
                        taken += 1;
                    }
                })
            })
            .collect();
        for _ in 0..N {
            let g = cond.acquire();
            items.fetch_add(1, SeqCst);
            g.notify(1);
        }
        {
            let g = cond.acquire();
            done.store(true, SeqCst);
            g.notify_all();
        }
        let taken: usize = consumers.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(taken, N);
    });
}

/// Start and cancel many long timers beside a few short ones (enough to make the service
/// sweep its heap several times): every cancelled timer never runs, every other one does.
#[test]
fn timer_sweep_keeps_live_timers_and_drops_cancelled_ones() {
    watchdog("timer sweep", || {
        let ran_cancelled = Arc::new(AtomicUsize::new(0));
        let ran_live = Arc::new(AtomicUsize::new(0));
        let mut live = Vec::new();
        for i in 0..40_000 {
            let r = ran_cancelled.clone();
            let t = Timer::after(Duration::from_secs(3600), move || {
                r.fetch_add(1, SeqCst);
            });
            assert!(t.cancel());
            if i % 4_000 == 0 {
                let r = ran_live.clone();
                live.push(Timer::after(Duration::from_millis(20), move || {
                    r.fetch_add(1, SeqCst);
                }));
            }
        }
        for t in &live {
            assert!(t.join(), "a live timer was swept");
        }
        assert_eq!(ran_live.load(SeqCst), live.len());
        assert_eq!(ran_cancelled.load(SeqCst), 0);
    });
}
