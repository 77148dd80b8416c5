//! A deadlock in a user's own test, written the way a user writes it: whichever entry point
//! runs the program — `threadcheck::model`, its `Builder`, a plain `loom::model` or
//! `shuttle::check_pct` — the report names the wait-for cycle with the threads' and locks'
//! names and shows the last steps, and the deadlock fails that one test, never the binary.
//!
//! Lock-order checking (on by default in the model builds) reports the ring's inverted order
//! before any schedule deadlocks; the tests of the wait-for report turn it off
//! (`Builder::lock_order(false)`, `THREADCHECK_LOCK_ORDER=0` for the plain entry points).

#![cfg(any(loom, feature = "shuttle"))]

mod common;

use common::{assert_ring_cycle, printed, ring, run_tests_in_child};
use std::sync::Arc;
use threadcheck::model::{Builder, FailureKind};
use threadcheck::{thread, Event, Lock};

#[test]
fn ring_deadlock_fails_the_check_with_its_named_cycle() {
    let failure = Builder::new()
        .lock_order(false)
        .run(ring)
        .expect_err("the ring deadlocks");
    assert_eq!(failure.kind, FailureKind::Deadlock, "{failure}");
    let trace = failure.trace.as_ref().expect("model builds record a trace");
    let cycle: Vec<&str> = trace
        .cycle
        .iter()
        .map(|&t| trace.threads[t].as_str())
        .collect();
    assert_eq!(cycle, ["Thread-1", "Thread-2", "Thread-3"]);
    let report = failure.report();
    assert_ring_cycle(&report);
    assert!(report.contains("last steps"), "{report}");
    assert!(report.contains("\nreplay: "), "{report}");
}

#[test]
#[should_panic(expected = "deadlock: Thread-1 holds Lock A, waits for Lock B (held by Thread-2)")]
fn threadcheck_model_fails_the_test_with_the_cycle() {
    Builder::new().lock_order(false).check(ring);
}

#[test]
#[should_panic(
    expected = "after 1 execution\npotential deadlock (lock order): Lock A → Lock B → Lock C → Lock A"
)]
fn threadcheck_model_reports_the_rings_lock_order_in_its_first_execution() {
    threadcheck::model(ring);
}

/// Thread-2 panics while it holds a lock: the report names it and shows its last steps.
#[test]
fn a_panicking_thread_is_named_with_its_last_steps() {
    let failure = Builder::new()
        .run(|| {
            let lock = Arc::new(Lock::named("L"));
            let l1 = lock.clone();
            let quiet = thread::Builder::new()
                .name("Thread-1")
                .spawn(move || drop(l1.acquire()));
            let l2 = lock.clone();
            let loud = thread::Builder::new().name("Thread-2").spawn(move || {
                let _g = l2.acquire();
                panic!("boom");
            });
            quiet.join().unwrap();
            if let Err(p) = loud.join() {
                std::panic::resume_unwind(p);
            }
        })
        .expect_err("Thread-2 always panics");
    assert_eq!(failure.kind, FailureKind::Panic);
    assert_eq!(failure.thread.as_deref(), Some("Thread-2"));
    let report = failure.report();
    assert!(report.contains("panic in Thread-2: boom"), "{report}");
    assert!(report.contains("acquired Lock L"), "{report}");
}

/// The user's own `loom::model` and `shuttle::check_pct` calls, with no threadcheck entry
/// point around them. They pass here (the deadlock is caught); the next test runs them in a
/// child process, to read what they printed and to see the binary survive them.
mod plain {
    use super::*;

    #[cfg(loom)]
    #[test]
    fn ring_under_loom_model() {
        let r = std::panic::catch_unwind(|| loom::model(ring));
        assert!(r.is_err(), "loom::model passed a ring that deadlocks");
    }

    /// loom's own `Arc` panics when it is dropped out of a deadlocked execution, so the
    /// threads that hold them must not unwind. (Two threads: loom's `Arc` makes every clone
    /// and drop a scheduling point, and the three-thread ring takes a minute to search.)
    #[cfg(loom)]
    #[test]
    fn two_lock_ring_with_looms_own_arc_under_loom_model() {
        let r = std::panic::catch_unwind(|| {
            loom::model(|| {
                let a = loom::sync::Arc::new(Lock::named("A"));
                let b = loom::sync::Arc::new(Lock::named("B"));
                let (a2, b2) = (a.clone(), b.clone());
                let t = thread::Builder::new().name("Thread-1").spawn(move || {
                    let _a = a2.acquire();
                    let _b = b2.acquire();
                });
                {
                    let _b = b.acquire();
                    let _a = a.acquire();
                }
                t.join().unwrap();
            })
        });
        assert!(
            r.is_err(),
            "loom::model passed two locks taken in opposite orders"
        );
    }

    /// A deadlock of two event waits (no lock in it, so no wait-for cycle of locks to report
    /// first): loom panics inside the thread that blocked last, and that thread must leave
    /// the execution without unwinding through the event's mutex.
    #[cfg(loom)]
    #[test]
    fn two_event_waits_under_loom_model() {
        let r = std::panic::catch_unwind(|| {
            loom::model(|| {
                let (a, b) = (Arc::new(Event::named("A")), Arc::new(Event::named("B")));
                let (a2, b2) = (a.clone(), b.clone());
                let t = thread::spawn(move || {
                    a2.wait();
                    b2.set();
                });
                b.wait();
                a.set();
                t.join().unwrap();
            })
        });
        assert!(r.is_err(), "loom::model passed two waits for each other");
    }

    #[cfg(feature = "shuttle")]
    #[test]
    fn ring_under_shuttle_check_pct() {
        let r = std::panic::catch_unwind(|| shuttle::check_pct(ring, 1000, 3));
        assert!(
            r.is_err(),
            "shuttle::check_pct passed a ring that deadlocks"
        );
    }

    #[test]
    fn z_runs_after_the_deadlocks() {}
}

#[test]
fn plain_entry_points_print_the_cycle_and_the_binary_survives() {
    if std::env::var_os("USER_DEADLOCK_CHILD").is_some() {
        return; // no grandchildren
    }
    let out = run_tests_in_child(
        &["plain::"],
        &[
            ("USER_DEADLOCK_CHILD", "1"),
            ("THREADCHECK_LOCK_ORDER", "0"),
        ],
    );
    let text = printed(&out);
    assert!(
        out.status.success(),
        "the test binary died or failed ({}):\n{text}",
        out.status
    );
    // loom: two rings and the two event waits; shuttle: one ring.
    let deadlocks = if cfg!(loom) { 3 } else { 1 };
    assert!(
        text.contains(&format!("test result: ok. {} passed", deadlocks + 1)),
        "{text}"
    );
    assert!(
        text.contains("test plain::z_runs_after_the_deadlocks ... ok"),
        "{text}"
    );
    let reports = text.matches("threadcheck: deadlock in a plain").count();
    assert_eq!(
        reports, deadlocks,
        "one report per deadlocked model:\n{text}"
    );
    assert_ring_cycle(&text);
    if cfg!(loom) {
        assert!(
            text.contains("Thread-1 holds Lock A, waits for Lock B (held by main)"),
            "{text}"
        );
        // The event waits deadlock inside loom's call: the threads were suspended, and the
        // hook says why loom's next message is "thread not terminated".
        assert!(text.contains("Thread-1 waits for Event A"), "{text}");
        assert!(
            text.contains("the deadlocked threads were suspended instead of unwound"),
            "{text}"
        );
    }
    assert!(text.contains("last steps"), "{text}");
}
