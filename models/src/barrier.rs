//! `Barrier` models: arrival indices, and a timeout that breaks the barrier for everyone.

use crate::define_model;
use crate::harness::{Expect, Model};
use std::time::Duration;
use threadcheck::model::observe;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::{Barrier, BarrierError};

/// All `Barrier` models.
pub const ALL: &[&Model] = &[
    &ARRIVAL_INDICES_ARE_DISTINCT,
    &TIMEOUT_BREAKS_IT_FOR_ALL,
    &ABORT_RELEASES_EVERY_WAITER,
    &ACTION_RUNS_ONCE_PER_GENERATION,
];

/// Runs `body` on `n` threads (`Thread-1`..) and the main thread, then joins them.
fn on_parties(n: usize, body: impl Fn() + Clone + Send + 'static) {
    let hs: Vec<_> = (0..n)
        .map(|i| {
            let body = body.clone();
            Builder::new().name(format!("Thread-{}", i + 1)).spawn(body)
        })
        .collect();
    body();
    for h in hs {
        h.join().unwrap();
    }
}

define_model! {
    /// `n` threads and the main thread meet at a `Barrier(n + 1)`, twice (the barrier is
    /// reusable). Nobody leaves a round before everyone has arrived, and each round hands out
    /// the arrival indices 0..=n exactly once: Pass. loom checks 2 threads (3 took minutes).
    pub ARRIVAL_INDICES_ARE_DISTINCT = "barrier/arrival_indices_are_distinct" {
        about: "n+1 threads pass a Barrier twice; each round's indices are 0..=n, once each",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 9,
        real: Some(9),
        preemptions: None,
        run: arrival_indices_are_distinct,
    }
}

fn arrival_indices_are_distinct(n: usize) {
    let parties = n + 1;
    let barrier = Arc::new(Barrier::new(parties));
    // Bit i of round r's mask: index i was handed out in round r.
    let seen: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let arrived = Arc::new(AtomicUsize::new(0));
    let body = {
        let (b, s, a) = (barrier.clone(), seen.clone(), arrived.clone());
        move || {
            for (round, mask) in s.iter().enumerate() {
                a.fetch_add(1, Ordering::SeqCst);
                let i = b.wait().expect("nobody breaks this barrier");
                assert!(
                    a.load(Ordering::SeqCst) >= parties * (round + 1),
                    "left round {round} before everyone arrived"
                );
                let before = mask.fetch_or(1 << i, Ordering::SeqCst);
                assert_eq!(
                    before & (1 << i),
                    0,
                    "index {i} handed out twice in round {round}"
                );
            }
        }
    };
    on_parties(n, body);
    for mask in seen.iter() {
        assert_eq!(mask.load(Ordering::SeqCst), (1 << parties) - 1);
    }
}

const TRIPPED: &str = "tripped";
const BROKEN: &str = "main timed out, the late thread found it broken";

define_model! {
    /// `Barrier(2)`: the main thread waits at most 10 ms; the other thread does 5 ms of work
    /// first. On an idle machine it arrives in time and the barrier trips. On a loaded one
    /// the main thread's timeout expires first: it gets `Timeout`, the barrier breaks, and
    /// the late thread gets `Broken` — no thread waits forever. Exactly these two outcomes.
    pub TIMEOUT_BREAKS_IT_FOR_ALL = "barrier/timeout_breaks_it_for_all" {
        about: "a wait_timeout that expires breaks the Barrier: the late thread gets Broken",
        expect: Expect::Outcomes(&[TRIPPED, BROKEN]),
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: timeout_breaks_it_for_all,
    }
}

fn timeout_breaks_it_for_all(_n: usize) {
    let barrier = Arc::new(Barrier::new(2));
    let b = barrier.clone();
    let late = Builder::new().name("Thread-1").spawn(move || {
        threadcheck::sleep(Duration::from_millis(5));
        b.wait()
    });
    let mine = barrier.wait_timeout(Duration::from_millis(10));
    let theirs = late.join().unwrap();
    match (mine, theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a + b, 1);
            observe(TRIPPED)
        }
        (Err(BarrierError::Timeout), Err(BarrierError::Broken)) => {
            assert!(barrier.broken());
            observe(BROKEN)
        }
        other => panic!("unexpected barrier results {other:?}"),
    }
}

define_model! {
    /// `Barrier(n + 1)` with `n` waiting threads that will never be joined by the last party:
    /// the main thread calls `abort()` instead. Every waiter — whether it arrived before the
    /// abort or after — leaves with `Broken`, none waits forever, and `reset()` then clears
    /// the broken state: Pass.
    pub ABORT_RELEASES_EVERY_WAITER = "barrier/abort_releases_every_waiter" {
        about: "abort() releases every waiter with Broken; reset() clears it",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 5,
        real: Some(5),
        preemptions: None,
        run: abort_releases_every_waiter,
    }
}

fn abort_releases_every_waiter(n: usize) {
    let barrier = Arc::new(Barrier::new(n + 1));
    let hs: Vec<_> = (0..n)
        .map(|i| {
            let b = barrier.clone();
            Builder::new()
                .name(format!("Thread-{}", i + 1))
                .spawn(move || b.wait())
        })
        .collect();
    barrier.abort();
    for h in hs {
        assert_eq!(h.join().unwrap(), Err(BarrierError::Broken));
    }
    assert!(barrier.broken());
    barrier.reset();
    assert!(!barrier.broken());
    assert_eq!(barrier.n_waiting(), 0);
}

define_model! {
    /// `Barrier(parties, action)`: `n` threads and the main thread pass the barrier twice,
    /// and the action counts the trips. CPython runs the action on the last thread to arrive,
    /// before releasing anyone: so every thread leaving round r sees exactly r + 1 trips —
    /// never the action twice in a round, never a thread released before the action ran.
    /// Pass, on every interleaving. loom: 2 parties (3 parties took 328,578 executions,
    /// 52 s).
    pub ACTION_RUNS_ONCE_PER_GENERATION = "barrier/action_runs_once_per_generation" {
        about: "a Barrier's action runs exactly once per generation, before anyone leaves",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 9,
        real: Some(9),
        preemptions: None,
        run: action_runs_once_per_generation,
    }
}

fn action_runs_once_per_generation(n: usize) {
    let trips = Arc::new(AtomicUsize::new(0));
    let t = trips.clone();
    let barrier = Arc::new(Barrier::new(n + 1).with_action(move || {
        t.fetch_add(1, Ordering::SeqCst);
    }));
    let body = {
        let (b, t) = (barrier.clone(), trips.clone());
        move || {
            for round in 0..2 {
                b.wait().expect("nobody breaks this barrier");
                assert_eq!(
                    t.load(Ordering::SeqCst),
                    round + 1,
                    "left round {round} with the wrong number of actions run"
                );
            }
        }
    };
    on_parties(n, body);
    assert_eq!(trips.load(Ordering::SeqCst), 2);
}
