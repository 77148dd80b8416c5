//! proptest state machines: each timed primitive's sequential semantics against a reference
//! (a counter, a bool), in the production build. Concurrency is the checkers' job
//! (`tests/loom.rs`, `tests/shuttle.rs`); this pins down what each call does on its own.
#![cfg(not(threadcheck_model))]

use proptest::prelude::*;
use std::sync::Arc;
use std::time::Duration;
use threadcheck::{Barrier, BarrierError, BoundedSemaphore, Event, ReleaseError, Semaphore};

#[derive(Clone, Debug)]
enum SemOp {
    TryAcquire,
    AcquireTimeout,
    /// Acquire and keep the permit (`forget`).
    AcquireForget,
    Release(usize),
}

fn sem_op() -> impl Strategy<Value = SemOp> {
    prop_oneof![
        Just(SemOp::TryAcquire),
        Just(SemOp::AcquireTimeout),
        Just(SemOp::AcquireForget),
        (0usize..4).prop_map(SemOp::Release),
    ]
}

#[derive(Clone, Debug)]
enum EventOp {
    Set,
    Clear,
    IsSet,
    WaitTimeout,
}

fn event_op() -> impl Strategy<Value = EventOp> {
    prop_oneof![
        Just(EventOp::Set),
        Just(EventOp::Clear),
        Just(EventOp::IsSet),
        Just(EventOp::WaitTimeout),
    ]
}

proptest! {
    /// A semaphore is a counter: acquires take one when positive (a guard dropped at once
    /// gives it back), releases add n (n = 0 is refused); a bounded one refuses to exceed its
    /// initial value and then changes nothing.
    #[test]
    fn semaphores_behave_as_counters(init in 0usize..4, ops in prop::collection::vec(sem_op(), 0..40)) {
        let sem = Semaphore::new(init);
        let bounded = BoundedSemaphore::new(init);
        let (mut v, mut bv) = (init, init);
        for op in ops {
            match op {
                SemOp::TryAcquire => {
                    prop_assert_eq!(sem.try_acquire().is_some(), v > 0);
                    prop_assert_eq!(bounded.try_acquire().is_some(), bv > 0);
                }
                SemOp::AcquireTimeout => {
                    prop_assert_eq!(sem.acquire_timeout(Duration::ZERO).is_some(), v > 0);
                    prop_assert_eq!(bounded.acquire_timeout(Duration::from_micros(1)).is_some(), bv > 0);
                }
                SemOp::AcquireForget => {
                    if let Some(g) = sem.try_acquire() { g.forget(); v -= 1; }
                    if let Some(g) = bounded.try_acquire() { g.forget(); bv -= 1; }
                }
                SemOp::Release(0) => {
                    // Python: ValueError("n must be one or more"); nothing changes.
                    prop_assert_eq!(sem.release(0), Err(ReleaseError::ZeroPermits));
                    prop_assert_eq!(bounded.release(0), Err(ReleaseError::ZeroPermits));
                }
                SemOp::Release(n) => {
                    prop_assert_eq!(sem.release(n), Ok(()));
                    v += n;
                    let r = bounded.release(n);
                    if bv + n <= init {
                        prop_assert_eq!(r, Ok(()));
                        bv += n;
                    } else {
                        prop_assert_eq!(r, Err(ReleaseError::TooManyReleases));
                    }
                }
            }
            prop_assert_eq!(sem.value(), v);
            prop_assert_eq!(bounded.value(), bv);
        }
    }

    /// An event is a bool: `wait_timeout` returns the flag (false = timed out).
    #[test]
    fn event_behaves_as_a_flag(ops in prop::collection::vec(event_op(), 0..40)) {
        let ev = Event::new();
        let mut flag = false;
        for op in ops {
            match op {
                EventOp::Set => { ev.set(); flag = true; }
                EventOp::Clear => { ev.clear(); flag = false; }
                EventOp::IsSet => prop_assert_eq!(ev.is_set(), flag),
                EventOp::WaitTimeout => prop_assert_eq!(ev.wait_timeout(Duration::from_micros(1)), flag),
            }
        }
    }

    /// A one-party barrier trips on every wait with index 0; abort breaks it until reset.
    #[test]
    fn one_party_barrier_trips_each_wait(ops in prop::collection::vec(0u8..3, 0..30)) {
        let b = Barrier::new(1);
        let mut broken = false;
        for op in ops {
            match op {
                0 => {
                    let r = b.wait();
                    prop_assert_eq!(r, if broken { Err(BarrierError::Broken) } else { Ok(0) });
                }
                1 => { b.abort(); broken = true; }
                _ => { b.reset(); broken = false; }
            }
            prop_assert_eq!(b.broken(), broken);
            prop_assert_eq!(b.n_waiting(), 0);
        }
    }
}

#[test]
fn timer_cancelled_in_time_never_runs_and_says_so() {
    let t = threadcheck::Timer::after(Duration::from_secs(3600), || panic!("ran"));
    assert!(t.cancel());
    assert!(!t.cancel(), "a second cancel prevents nothing more");
    assert!(!t.join());
}

#[test]
fn condition_notify_without_waiters_wakes_nobody() {
    let c = threadcheck::Condition::new();
    let mut g = c.acquire();
    assert_eq!(g.notify(3), 0);
    assert_eq!(g.notify_all(), 0);
    assert!(!g.wait_timeout(Duration::from_millis(1)));
    assert!(!g.wait_for_timeout(|| false, Duration::from_millis(1)));
    assert!(g.wait_for_timeout(|| true, Duration::from_millis(1)));
}

#[test]
fn a_panicking_timer_does_not_stop_the_service() {
    let boom = threadcheck::Timer::after(Duration::from_millis(1), || {
        panic!("timer callback panics (expected in this test)")
    });
    assert!(boom.join(), "it ran (and panicked)");
    let ok = threadcheck::Timer::after(Duration::from_millis(1), || {});
    assert!(ok.join(), "the service survived and ran the next timer");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Production's one service thread runs timers in (deadline, start) order, whatever the
    /// order they were started in; cancelled ones never run.
    #[test]
    fn timers_run_in_deadline_order(specs in prop::collection::vec((0u64..15, any::<bool>()), 1..12)) {
        use std::sync::Mutex;
        let log = Arc::new(Mutex::new(Vec::new()));
        let timers: Vec<_> = specs
            .iter()
            .enumerate()
            .map(|(i, &(ms, _))| {
                let log = log.clone();
                threadcheck::Timer::after(Duration::from_millis(ms), move || log.lock().unwrap().push(i))
            })
            .collect();
        let cancelled: Vec<bool> = timers
            .iter()
            .zip(&specs)
            .map(|(t, &(_, cancel))| cancel && t.cancel())
            .collect();
        for (t, &c) in timers.iter().zip(&cancelled) {
            prop_assert_eq!(t.join(), !c);
        }
        let ran = log.lock().unwrap().clone();
        let mut expected: Vec<usize> = (0..specs.len()).filter(|&i| !cancelled[i]).collect();
        expected.sort_by_key(|&i| (timers[i].deadline(), i));
        prop_assert_eq!(ran, expected);
    }
}
