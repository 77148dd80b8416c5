//! `Semaphore` / `BoundedSemaphore` models: the tutorial's connection pool, `release(n)`, and
//! over-release of a bounded semaphore.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::model::observe;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::{BoundedSemaphore, ReleaseError, Semaphore};

/// All semaphore models.
pub const ALL: &[&Model] = &[
    &TUTORIAL_AT_MOST_N_INSIDE,
    &RELEASE_N_WAKES_N,
    &BOUNDED_OVER_RELEASE_ERRORS,
    &RELEASE_ZERO_IS_AN_ERROR,
];

define_model! {
    /// The tutorial's pool: `Semaphore(5)` guards a resource that 10 threads want; each takes
    /// a permit, works inside, gives it back. A counter of threads inside is checked on entry:
    /// never more than the permits. Sized per checker: Semaphore(2) with 3 threads under loom
    /// (at most 4 preemptions: unbounded took 629,881 executions, 63 s), Semaphore(5) with the
    /// tutorial's 10 under shuttle: Pass.
    pub TUTORIAL_AT_MOST_N_INSIDE = "semaphore/tutorial_at_most_n_inside" {
        about: "n threads share Semaphore(2) (loom, n=3) or Semaphore(5) (n=10): never more than the permits inside",
        expect: Expect::Pass,
        loom: [3],
        shuttle: 10,
        real: Some(10),
        preemptions: Some(4),
        run: tutorial_at_most_n_inside,
    }
}

fn tutorial_at_most_n_inside(n: usize) {
    let permits = if n <= 3 { 2 } else { 5 };
    let pool = Arc::new(Semaphore::named(permits, "pool"));
    let inside = Arc::new(AtomicUsize::new(0));
    join_all(spawn_n(n, move |_| {
        let _permit = pool.acquire();
        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(
            now <= permits,
            "{now} threads inside a Semaphore({permits})"
        );
        inside.fetch_sub(1, Ordering::SeqCst);
    }));
}

define_model! {
    /// Two threads block in `acquire` on an empty semaphore; the main thread calls
    /// `release(2)`. Both must get through: a `release(n)` that woke fewer than n waiters
    /// (Python 3.8 fixed exactly that in `Semaphore.release(n)`) would leave one asleep on an
    /// available permit, and the checker would report the hang. Pass.
    pub RELEASE_N_WAKES_N = "semaphore/release_n_wakes_n" {
        about: "two threads wait on Semaphore(0), release(2) lets both through",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: release_n_wakes_n,
    }
}

fn release_n_wakes_n(n: usize) {
    let sem = Arc::new(Semaphore::named(0, "gate"));
    let s = sem.clone();
    let waiters = spawn_n(n, move |_| s.acquire().forget());
    sem.release(n).unwrap();
    join_all(waiters);
    assert_eq!(sem.value(), 0);
}

const MAIN_REFUSED: &str = "main's extra release refused";
const WORKER_REFUSED: &str = "worker's release refused";

define_model! {
    /// `BoundedSemaphore(1)`: a worker takes the permit and gives it back, while the main
    /// thread, buggy, releases once more. Whichever release would push the value above 1 is
    /// refused with `TooManyReleases` and changes nothing: the value ends at 1 on every
    /// schedule. Which one is refused depends on the schedule — both are reachable, and loom
    /// must see exactly these two outcomes.
    pub BOUNDED_OVER_RELEASE_ERRORS = "semaphore/bounded_over_release_errors" {
        about: "an extra release of BoundedSemaphore(1) is refused and changes nothing",
        expect: Expect::Outcomes(&[MAIN_REFUSED, WORKER_REFUSED]),
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: bounded_over_release_errors,
    }
}

fn bounded_over_release_errors(_n: usize) {
    let sem = Arc::new(BoundedSemaphore::named(1, "bounded"));
    let s = sem.clone();
    let worker = Builder::new().name("Thread-1").spawn(move || {
        s.acquire().forget();
        s.release(1)
    });
    let mine = sem.release(1);
    let theirs = worker.join().unwrap();
    assert_eq!(sem.value(), 1, "over-release changed the semaphore");
    match (mine, theirs) {
        (Err(ReleaseError::TooManyReleases), Ok(())) => observe(MAIN_REFUSED),
        (Ok(()), Err(ReleaseError::TooManyReleases)) => observe(WORKER_REFUSED),
        other => panic!("exactly one release must be refused, got {other:?}"),
    }
}

define_model! {
    /// A thread waits on an empty semaphore for a permit that a controller hands out with
    /// `release(n)`, where `n` is computed (say, finished jobs minus permits handed out) and
    /// comes out 0. Python raises `ValueError("n must be one or more")`: a release of nothing
    /// is a bug in the caller's arithmetic. A semaphore that returns `Ok` for it hides the bug
    /// — the caller believes it handed out a permit while the waiter sleeps on. Both
    /// semaphores must refuse `release(0)` with an error and change nothing, whether or not
    /// the waiter is already blocked; a real `release(1)` then lets the waiter through: Pass.
    pub RELEASE_ZERO_IS_AN_ERROR = "semaphore/release_zero_is_an_error" {
        about: "release(0) on Semaphore and BoundedSemaphore is an error (Python: ValueError) and changes nothing",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: release_zero_is_an_error,
    }
}

fn release_zero_is_an_error(_n: usize) {
    let sem = Arc::new(Semaphore::named(0, "gate"));
    let bounded = Arc::new(BoundedSemaphore::named(1, "bounded"));
    let (s, b) = (sem.clone(), bounded.clone());
    let waiter = Builder::new().name("Thread-1").spawn(move || {
        s.acquire().forget();
        b.acquire().forget();
    });
    assert!(sem.release(0).is_err(), "Semaphore::release(0) succeeded");
    assert_eq!(sem.value(), 0, "a refused release(0) changed the semaphore");
    sem.release(1).unwrap();
    waiter.join().unwrap();
    assert!(
        bounded.release(0).is_err(),
        "BoundedSemaphore::release(0) succeeded"
    );
    bounded.release(1).unwrap();
    assert_eq!(bounded.value(), 1);
}
