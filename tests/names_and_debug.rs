//! What a primitive is called, in `name()`, `Debug` and a counterexample: the user's names
//! must reach the report. (Mutants that dropped a name or a guard's `Debug` survived
//! `ci/mutants`; these tests kill them.)

use threadcheck::model::Builder;
use threadcheck::{BoundedSemaphore, Lock, Semaphore};

// Inside `threadcheck::model`: under the checkers a primitive belongs to an execution.
#[test]
fn a_named_lock_keeps_its_name() {
    threadcheck::model(|| {
        assert_eq!(Lock::named("A").name(), Some("A"));
        assert_eq!(Lock::new().name(), None);
    });
}

#[test]
fn debug_shows_the_name_and_whether_it_is_held() {
    threadcheck::model(|| {
        let a = Lock::named("A");
        assert_eq!(
            format!("{a:?}"),
            r#"Lock { name: Some("A"), locked: false }"#
        );
        let g = a.acquire();
        assert_eq!(
            format!("{g:?}"),
            r#"LockGuard { lock: Lock { name: Some("A"), locked: true } }"#
        );
    });
}

/// A semaphore nobody releases: the report says who waits for which semaphore. Model builds
/// only (on real threads the body would block for ever).
fn waits_for(body: fn(), what: &str) {
    if threadcheck::backend() == "production" {
        return;
    }
    let failure = Builder::new()
        .iterations(10)
        .run(body)
        .expect_err("the body can only deadlock");
    let report = failure.report();
    assert!(
        report.contains(&format!("main waits for {what}")),
        "expected `main waits for {what}` in:\n{report}"
    );
}

#[test]
fn a_semaphore_deadlock_names_the_semaphore_waited_for() {
    waits_for(|| drop(Semaphore::named(0, "S").acquire()), "Semaphore S");
    waits_for(
        || drop(BoundedSemaphore::named(0, "B").acquire()),
        "BoundedSemaphore B",
    );
}
