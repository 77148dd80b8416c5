//! Edges of Python's semantics that no CPython case reaches on its own, each found by
//! `ci/mutants`: a mutant of the primitive survived the suite, and the test here kills it.
//! Each runs on real threads in production and under the checker in the model builds, where
//! the edge is reached for certain (the settled model clock lets a deadline and a wake-up
//! fall on one instant, and the checker tries both orders).

use std::sync::Arc;
use std::time::Duration;
use threadcheck::model::Builder;
use threadcheck::{thread, Barrier, BarrierError};

fn check(f: impl Fn() + Send + Sync + 'static) {
    let b = Builder::new().early_timeouts(0);
    match threadcheck::backend() {
        "loom" => b,
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
