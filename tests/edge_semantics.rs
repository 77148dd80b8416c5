//! Edges of Python's semantics that no CPython case reaches on its own, each found by
//! `ci/mutants`: a mutant of the primitive survived the suite, and the test here kills it.
//! Each runs on real threads in production and under the checker in the model builds, where
//! the edge is reached for certain (the settled model clock lets a deadline and a wake-up
//! fall on one instant, and the checker tries both orders).

use std::sync::Arc;
use std::time::Duration;
use threadcheck::model::Builder;
use threadcheck::{thread, Barrier, BarrierError};

/// Once on real threads; under loom at preemption bound 2, under shuttle 200 random schedules;
/// on the settled clock (time passes when every thread is blocked), as the CPython cases.
fn check(f: impl Fn() + Send + Sync + 'static) {
    check_on(Builder::new().early_timeouts(0), f)
}

/// [`check`] from these settings.
fn check_on(b: Builder, f: impl Fn() + Send + Sync + 'static) {
    match threadcheck::backend() {
        "loom" => b.preemption_bound(2),
        "shuttle" => b
            .checker(threadcheck::model::Checker::Random)
            .iterations(200),
        _ => b,
    }
    .check(f);
}

/// CPython's `Barrier._wait` is `wait_for(lambda: state != 0, timeout)`: a wait whose
/// timeout expires at the instant the last party arrives re-checks, sees the barrier
/// tripped, and returns its index; it does not break the barrier. (Mutant killed:
/// `&&` → `||` in `wait_to_trip`, which broke it on the timeout alone.)
#[test]
fn a_barrier_timeout_at_the_instant_it_trips_counts_as_tripped() {
    check(|| {
        let t = Duration::from_millis(10);
        let barrier = Arc::new(Barrier::new(2));
        let b = barrier.clone();
        let late = thread::spawn(move || {
            threadcheck::sleep(t);
            b.wait()
        });
        let mine = barrier.wait_timeout(t);
        let theirs = late.join().unwrap();
        match (mine, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a + b, 1),
            (Err(BarrierError::Timeout), Err(BarrierError::Broken)) => {
                assert!(barrier.broken())
            }
            other => panic!("a timed-out wait and a tripped barrier at once: {other:?}"),
        }
    });
}

/// `Condition::try_acquire` and `acquire_timeout` take the condition's lock, over a `Lock`
/// and over an `RLock` (Python: `cond.acquire(False)`, `cond.acquire(timeout=t)`); while
/// another thread holds it they fail. (Mutants killed: `cond_acquire_within` -> false for
/// `Lock`, -> true for `RLock`.)
#[test]
fn a_conditions_try_and_timed_acquire_take_its_lock() {
    use threadcheck::{Condition, ConditionLock, Lock, RLock};
    fn take_and_refuse<L: ConditionLock + Send + Sync + 'static>(c: Condition<L>) {
        let c = Arc::new(c);
        {
            let g = c.try_acquire().expect("free: try_acquire takes it");
            drop(g);
        }
        let g = c
            .acquire_timeout(Duration::from_millis(10))
            .expect("free: acquire_timeout takes it");
        let c2 = c.clone();
        let other = thread::spawn(move || {
            let tried = c2.try_acquire().is_some();
            let timed = c2.acquire_timeout(Duration::from_millis(1)).is_some();
            (tried, timed)
        });
        assert_eq!(other.join().unwrap(), (false, false), "held by main");
        drop(g);
    }
    check(|| {
        take_and_refuse(Condition::new());
        take_and_refuse(Condition::with_lock(RLock::new()));
        take_and_refuse(Condition::with_lock(Arc::new(Lock::new())));
    });
}

/// A check's `early_timeouts(k)` is for that check only: the next check on the thread has
/// the default again (one early advance), and finds what only an early advance shows.
/// (Mutant killed: the setting saved before a run read as `Some(0)`.) Model builds only:
/// real time has no early advances to count.
#[test]
fn early_timeouts_last_for_one_check() {
    if threadcheck::backend() == "production" {
        return;
    }
    // "The other thread will have set it by then": true on the settled clock, false when a
    // loaded machine (an early advance) fires the timeout first.
    fn sleep_instead_of_sync() {
        let ev = Arc::new(threadcheck::Event::new());
        let e = ev.clone();
        let setter = thread::spawn(move || e.set());
        assert!(
            ev.wait_timeout(Duration::from_secs(1)),
            "set before the timeout"
        );
        setter.join().unwrap();
    }
    let settled = Builder::new().early_timeouts(0);
    assert!(settled.run(sleep_instead_of_sync).is_ok());
    let failure = Builder::new()
        .run(sleep_instead_of_sync)
        .expect_err("the default early advance fires the timeout first");
    assert!(
        failure.message.contains("set before the timeout"),
        "{failure}"
    );
}

/// `notify` and `notify_all` return how many waiters they woke (Python returns `None`;
/// threadcheck says how many, so a test can assert nobody was left asleep). (Mutant killed:
/// `notify_all` -> 0.)
#[test]
fn notify_counts_the_waiters_it_wakes() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use threadcheck::Condition;
    check(|| {
        let c = Arc::new(Condition::new());
        let (waiting, go) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let (c, waiting, go) = (c.clone(), waiting.clone(), go.clone());
                thread::spawn(move || {
                    let mut g = c.acquire();
                    waiting.fetch_add(1, Ordering::SeqCst); // under the lock, then waits
                    while go.load(Ordering::SeqCst) == 0 {
                        g.wait();
                    }
                })
            })
            .collect();
        // Once main holds the lock after all three counted themselves, all three wait.
        let g = loop {
            let g = c.acquire();
            if waiting.load(Ordering::SeqCst) == 3 {
                break g;
            }
            drop(g);
            threadcheck::sleep(Duration::from_millis(1));
        };
        go.store(1, Ordering::SeqCst);
        assert_eq!(c.notify(1), 1);
        assert_eq!(c.notify_all(), 2);
        assert_eq!(c.notify_all(), 0, "nobody is left waiting");
        drop(g);
        for w in waiters {
            w.join().unwrap();
        }
    });
}

/// A timer started after a later one still fires first: the timer service, asleep until the
/// later deadline, looks again when an earlier one arrives. On the model clock it fires at
/// its own deadline exactly; on real threads, while the later one is still pending. (Mutant
/// killed: the "earlier than the top" test reversed in `service::add`.)
#[test]
fn a_timer_started_after_a_later_one_fires_first() {
    use threadcheck::{Instant, Timer};
    check(|| {
        let later = Timer::new(Duration::from_secs(5), || {});
        later.start().unwrap();
        let t0 = Instant::now();
        let sooner = Timer::new(Duration::from_millis(10), || {});
        sooner.start().unwrap();
        assert!(sooner.join(), "it ran");
        if threadcheck::backend() != "production" {
            assert_eq!(Instant::now().duration_since(t0), Duration::from_millis(10));
        }
        assert!(later.is_alive(), "the 5 s timer has not fired yet");
        assert!(later.cancel());
    });
}

/// `set_maxsize(0)` (unbounded) or a larger bound lets a putter blocked on the full queue
/// through at once, with no `get` (threadcheck wakes it; see `Queue::set_maxsize`). (Mutants
/// killed: the "grew" test inverted for 0, and `>` → `<` for a larger bound.)
#[test]
fn growing_a_full_queue_lets_a_blocked_put_through() {
    use threadcheck::Queue;
    for bigger in [0, 2] {
        check(move || {
            let q = Arc::new(Queue::new(1));
            q.put(1).unwrap();
            let q2 = q.clone();
            let putter = thread::spawn(move || q2.put_timeout(2, Duration::from_secs(10)).is_ok());
            let t0 = threadcheck::Instant::now();
            threadcheck::sleep(Duration::from_millis(10)); // until the putter is blocked
            q.set_maxsize(bigger);
            assert!(putter.join().unwrap(), "the put went through without a get");
            assert_eq!(q.qsize(), 2);
            // Woken, not timed out (a put whose timeout expires re-checks, and would get
            // through too): on the model clock no time passed after the sleep.
            if threadcheck::backend() != "production" {
                let waited = threadcheck::Instant::now().duration_since(t0);
                assert_eq!(waited, Duration::from_millis(10));
            }
        });
    }
}

/// A thread threadcheck did not start (a plain `std::thread` one) is a dummy thread named as
/// std names it, as Python names a foreign thread by its native name when it has one
/// (production only: the model builds' threads are all the checker's). (Mutant killed: the
/// backend's thread name read as `None`.)
#[cfg(not(any(loom, feature = "shuttle")))]
#[test]
fn a_std_thread_is_a_dummy_with_its_std_name() {
    let name = std::thread::Builder::new()
        .name("from-std".into())
        .spawn(|| threadcheck::thread::current().name().to_owned())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(name, "from-std");
}

/// `wait_for_timeout` sleeps on through a wake-up that finds its predicate still false, and
/// returns true when a later one finds it true, well before the timeout (Python's
/// `wait_for` loops the same way); a version that returned after the first wake-up fails
/// it. (Written for the mutant `&&` → `||` of the timed-out test in `wait_for_timeout`, which
/// turned out equivalent: see `ci/mutants-equivalent.txt`.)
#[test]
fn a_timed_wait_for_sleeps_on_through_a_wake_up_that_finds_its_predicate_false() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use threadcheck::Condition;
    check(|| {
        let c = Arc::new(Condition::new());
        let state = Arc::new(AtomicUsize::new(0));
        let (c2, s2) = (c.clone(), state.clone());
        let waiter = thread::spawn(move || {
            let mut g = c2.acquire();
            g.wait_for_timeout(|| s2.load(SeqCst) == 2, Duration::from_secs(10))
        });
        for n in 1..=2 {
            threadcheck::sleep(Duration::from_millis(10)); // the waiter is asleep by now
            let _g = c.acquire();
            state.store(n, SeqCst);
            c.notify_all();
        }
        assert!(
            waiter.join().unwrap(),
            "woken with the predicate true, in time"
        );
    });
}

/// A wait on a `Condition` over an `RLock` held twice lets go of both levels, so another
/// thread can take the lock and notify, and takes both back (Python: `_release_save` /
/// `_acquire_restore`). (Mutant killed: `cond_release_save` for `RLock` -> 1, which kept
/// the lock through the wait.)
#[test]
fn a_wait_over_an_rlock_held_twice_lets_go_of_both_levels_and_takes_them_back() {
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    use threadcheck::{Condition, RLock};
    check(|| {
        let c = Arc::new(Condition::with_lock(RLock::new()));
        let ready = Arc::new(AtomicBool::new(false));
        let (c2, r2) = (c.clone(), ready.clone());
        let notifier = thread::spawn(move || {
            let _g = c2.acquire();
            r2.store(true, SeqCst);
            c2.notify_all();
        });
        let outer = c.acquire();
        let mut inner = c.acquire();
        assert_eq!(c.lock().depth(), 2);
        assert!(inner.wait_for(|| ready.load(SeqCst)));
        assert_eq!(c.lock().depth(), 2, "both levels back");
        drop(inner);
        drop(outer);
        assert!(!c.lock().locked());
        notifier.join().unwrap();
    });
}

/// Timers whose deadlines tie fire in the order they were started, all from one service
/// thread (on the model clock the five deadlines are one instant; on real threads they are
/// in start order anyway). (Mutants killed: the tie-breaking sequence number stuck at 0,
/// which let the heap reorder them; a service per timer, which under loom exceeds its five
/// threads.)
#[test]
fn timers_with_one_deadline_fire_in_start_order_from_one_service() {
    use threadcheck::Timer;
    check(|| {
        // Every call runs on the service thread, one after another; joins order the reads.
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let timers: Vec<_> = (0..5)
            .map(|i| {
                let order = order.clone();
                let t = Timer::new(Duration::from_millis(10), move || {
                    order.lock().unwrap().push(i)
                });
                t.start().unwrap();
                t
            })
            .collect();
        for t in &timers {
            assert!(t.join(), "it ran");
        }
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3, 4]);
    });
}

/// A timed join whose timeout falls at the instant the thread finishes: either answer is
/// right (the thread's result, or a timeout and then the result), and the model clock must
/// not trip over the joiner it timed out while that thread exits. (Found by `ci/mutants`'
/// baseline under shuttle, 1 run in a few: the exiting thread "notified" the timed-out
/// joiner and the clock's own assertion failed.)
#[test]
fn a_timed_join_that_times_out_as_the_thread_finishes() {
    use threadcheck::thread::JoinTimeoutError;
    check(|| {
        let t = Duration::from_millis(10);
        let h = thread::spawn(move || {
            threadcheck::sleep(t);
            5
        });
        match h.join_timeout(t) {
            Ok(v) => assert_eq!(v, 5),
            Err(JoinTimeoutError::Timeout(h)) => assert_eq!(h.join().unwrap(), 5),
            Err(e) => panic!("{e}"),
        }
    });
}

/// After a join, the settled clock still waits for every runnable thread: a timed wait that
/// another thread is about to end does not time out first. (Mutant killed: an exiting
/// thread's joiners stayed counted as blocked, so time ran on while threads could still run.)
#[test]
fn after_a_join_time_still_waits_for_the_threads_that_can_run() {
    use threadcheck::Event;
    check(|| {
        thread::spawn(|| ()).join().unwrap();
        let ev = Arc::new(Event::new());
        let e = ev.clone();
        let setter = thread::spawn(move || e.set());
        let set = ev.wait_timeout(Duration::from_secs(10));
        assert!(set, "timed out while the setter could run");
        setter.join().unwrap();
    });
}

/// A timed acquire blocked on a held lock gets it when the holder releases, not at its
/// deadline: on the model clock no time passes after the release. (Mutant killed: the
/// model lock's release skipped waking its timed waiters, which then waited out the timeout.)
#[test]
fn a_timed_acquire_gets_the_lock_when_it_is_released() {
    use threadcheck::{Instant, Lock};
    check(|| {
        let l = Arc::new(Lock::new());
        let held = l.acquire();
        let l2 = l.clone();
        let t0 = Instant::now();
        let taker = thread::spawn(move || {
            let got = l2.acquire_timeout(Duration::from_secs(10)).is_some();
            (got, Instant::now())
        });
        threadcheck::sleep(Duration::from_millis(10));
        drop(held);
        let (got, at) = taker.join().unwrap();
        assert!(got, "the lock was free long before the deadline");
        if threadcheck::backend() != "production" {
            assert_eq!(at.duration_since(t0), Duration::from_millis(10));
        }
    });
}

/// When one timed wait is woken, the others keep their deadlines: a wait nobody ends still
/// times out. (Mutant killed: waking one waiter dropped every other deadline, so the other
/// wait never timed out and the join deadlocked.)
#[test]
fn a_woken_wait_leaves_the_other_deadlines_pending() {
    use threadcheck::Event;
    check(|| {
        let never = Arc::new(Event::new());
        let n = never.clone();
        let lonely = thread::spawn(move || n.wait_timeout(Duration::from_millis(20)));
        let ev = Arc::new(Event::new());
        let e = ev.clone();
        let setter = thread::spawn(move || {
            threadcheck::sleep(Duration::from_millis(5));
            e.set();
        });
        assert!(ev.wait_timeout(Duration::from_secs(10)));
        assert!(!lonely.join().unwrap(), "nobody set it: it timed out");
        setter.join().unwrap();
    });
}

/// Early advances are bounded per execution (like preemptions): with a budget of one, a
/// loop of timed waits times out early at most once before the setter, which can always
/// run, sets the event. (Mutant killed: the driver added to the budget instead of spending it.)
#[test]
fn one_early_advance_times_out_at_most_one_wait_early() {
    use threadcheck::Event;
    if threadcheck::backend() == "production" {
        return; // real time: no budget to spend
    }
    check_on(Builder::new().early_timeouts(1), || {
        let ev = Arc::new(Event::new());
        let e = ev.clone();
        let setter = thread::spawn(move || e.set());
        let early = (0..3)
            .filter(|_| !ev.wait_timeout(Duration::from_secs(1)))
            .count();
        assert!(early <= 1, "{early} waits timed out early");
        setter.join().unwrap();
    });
}

/// A check that failed with a timer pending leaves that execution's timer service behind;
/// the next check on the same thread starts its own, and its timers fire. (Mutant killed:
/// every execution numbered 0, so the next check reused the dead service.)
#[test]
fn a_timer_fires_in_the_check_after_a_failed_one() {
    use threadcheck::Timer;
    if threadcheck::backend() == "production" {
        return; // one service per process on real time
    }
    let failed = Builder::new().iterations(1).run(|| {
        Timer::new(Duration::from_secs(5), || {}).start().unwrap();
        panic!("this execution fails with the timer pending");
    });
    assert!(failed.is_err());
    check(|| {
        let t = Timer::new(Duration::from_millis(10), || {});
        t.start().unwrap();
        assert!(t.join(), "it ran");
    });
}

/// `thread::yield_now` is a switch point under the checkers: a thread spinning on state the
/// checker does not see (a std atomic) lets the other thread run. (Mutant killed: yield_now
/// did nothing, so under shuttle and loom the spinner never let the setter run.)
#[test]
fn yield_now_lets_the_other_thread_run() {
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    check(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        let setter = thread::spawn(move || f.store(true, SeqCst));
        let mut spins = 0u32;
        while !flag.load(SeqCst) {
            thread::yield_now();
            spins += 1;
            // Real threads get there in their own time; a checker switches within a few.
            if threadcheck::backend() != "production" {
                assert!(spins < 1000, "the setter never ran");
            }
        }
        setter.join().unwrap();
    });
}

/// Every execution starts a fresh thread registry: in each, the first thread spawned is
/// `Thread-1` and `enumerate` lists this execution's threads only (model builds; real threads
/// share one registry per process). (Written for `thread::begin_execution` -> (), which it
/// does not kill: the registry is also made on demand in each execution; see the README's
/// survivors.)
#[test]
fn every_execution_numbers_its_threads_from_one() {
    if threadcheck::backend() == "production" {
        return;
    }
    check(|| {
        let h = thread::spawn(|| ());
        assert_eq!(h.thread().name(), "Thread-1");
        assert!(thread::enumerate().len() <= 2, "{:?}", thread::enumerate());
        h.join().unwrap();
    });
}
