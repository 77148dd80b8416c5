//! Lock-order checking from the outside, on the public API: the tutorial's two locks taken in
//! both orders by one thread, with no contention, are reported as the deadlock they can
//! become, with both source locations of each edge — on real threads (production, turned on)
//! and in the model builds (on by default). What cannot deadlock is not reported. In the model
//! builds, a wait-for cycle among some threads is reported as it forms, with lock-order
//! checking off, while another thread keeps ticking.

mod common;

use std::cell::RefCell;
use std::sync::Arc;
use threadcheck::model::{Builder, Failure, FailureKind};
use threadcheck::{BoundedSemaphore, Condition, Lock, RLock};

thread_local! {
    /// The lines of the tutorial's four acquisitions, recorded as they run: per OS thread, as
    /// other tests running at once call f1 and f2 too (the checkers run a body's model threads
    /// on the test's own thread, and production runs it there).
    static LINES: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

fn note(line: u32) {
    LINES.with_borrow_mut(|l| l.push(line));
}

// One acquisition and its line per line: the report must name these lines.
#[rustfmt::skip]
fn f1(a: &Lock, b: &Lock) {
    let _a = a.acquire(); note(line!());
    let _b = b.acquire(); note(line!());
}

#[rustfmt::skip]
fn f2(a: &Lock, b: &Lock) {
    let _b = b.acquire(); note(line!());
    let _a = a.acquire(); note(line!());
}

/// The tutorial, once, on one thread: f1 then f2.
fn tutorial_on_one_thread() {
    let (a, b) = (Lock::named("A"), Lock::named("B"));
    f1(&a, &b);
    f2(&a, &b);
}

fn lock_order_failure(body: fn()) -> Failure {
    let failure = Builder::new()
        .lock_order(true)
        .run(body)
        .expect_err("the lock order is reported");
    assert_eq!(failure.kind, FailureKind::LockOrder, "{failure}");
    failure
}

fn passes_with_lock_order(body: fn()) {
    if let Err(f) = Builder::new().lock_order(true).run(body) {
        panic!("a false report:\n{f}");
    }
}

#[test]
fn the_tutorial_on_one_thread_reports_the_cycle_with_both_source_locations() {
    LINES.with_borrow_mut(Vec::clear);
    let failure = lock_order_failure(tutorial_on_one_thread);
    let report = failure.report();
    println!("{report}");
    assert_eq!(failure.stats.executions, 1);
    assert!(
        report.starts_with("potential deadlock (lock order): Lock A → Lock B → Lock A\n"),
        "{report}"
    );
    // f2's second acquisition closes the cycle and never runs: three lines were noted.
    // The lines noted, each once: a checker may run the body more than once, and shuttle
    // has been seen to interleave two runs' notes (seen in ci/test: [24, 24, 25, 25, 30, 24,
    // 25]); every run stops at the same acquisition, so the set is the same.
    let mut lines = LINES.with_borrow(Vec::clone);
    lines.sort_unstable();
    lines.dedup();
    let [a1, b1, b2] = lines[..] else {
        panic!("{lines:?}")
    };
    let a2 = b2 + 1;
    let at = |line: u32| format!("tests/lock_order.rs:{line}:");
    // The body's thread: `main` in the model builds, the test's own thread on real threads.
    let who = if cfg!(any(loom, feature = "shuttle")) {
        "main".to_owned()
    } else {
        common::this_test()
    };
    let edge_ab = format!("  {who} took Lock B at {}", at(b1));
    let edge_ba = format!("  {who} took Lock A at {}", at(a2));
    let lines: Vec<&str> = report.lines().collect();
    let ab = lines.iter().find(|l| l.contains(&edge_ab)).expect(&report);
    assert!(
        ab.contains(&format!("while holding Lock A (taken at {}", at(a1))),
        "{ab}"
    );
    let ba = lines.iter().find(|l| l.contains(&edge_ba)).expect(&report);
    assert!(
        ba.contains(&format!("while holding Lock B (taken at {}", at(b2))),
        "{ba}"
    );
    assert!(ba.ends_with("<- this acquisition"), "{ba}");
    assert!(
        report.contains("Builder::lock_order(false)"),
        "says how to opt out:\n{report}"
    );
}

#[test]
fn the_tutorial_in_order_passes() {
    passes_with_lock_order(|| {
        let (a, b) = (Lock::named("A"), Lock::named("B"));
        f1(&a, &b);
        f1(&a, &b);
    });
}

#[cfg(not(any(loom, feature = "shuttle")))]
#[test]
fn production_leaves_it_off_by_default_and_the_environment_turns_it_on() {
    const CHILD: &str = "LOCK_ORDER_CHILD";
    let child = std::env::var_os(CHILD).is_some();
    match std::env::var("THREADCHECK_LOCK_ORDER").ok().as_deref() {
        // Alone in a child process: no other test's run can have turned it on.
        None if child => {
            assert!(!threadcheck::lock_order::enabled());
            Builder::new().check(tutorial_on_one_thread);
            let on = Builder::new().lock_order(true).run(tutorial_on_one_thread);
            assert!(on.is_err(), "on for its own run");
            assert!(!threadcheck::lock_order::enabled(), "and off after it");
        }
        Some("1") if child => {
            assert!(threadcheck::lock_order::enabled());
            let f = Builder::new().run(tutorial_on_one_thread).unwrap_err();
            assert_eq!(f.kind, FailureKind::LockOrder);
        }
        Some("x") if child => {
            let e = Builder::from_env().unwrap_err();
            assert_eq!(e.var, "THREADCHECK_LOCK_ORDER");
            assert!(
                e.to_string()
                    .contains("0 (lock-order checking off) or 1 (on)"),
                "{e}"
            );
        }
        Some(_) => {} // the environment decides
        None => {
            let envs: [&[(&str, &str)]; 3] = [
                &[],
                &[("THREADCHECK_LOCK_ORDER", "1")],
                &[("THREADCHECK_LOCK_ORDER", "x")],
            ];
            for env in envs {
                let (ok, out) = common::rerun_this_test(CHILD, env);
                assert!(ok, "{env:?}:\n{out}");
            }
        }
    }
}

/// `set_enabled` turns it on and off for the whole process, and locks released while it was
/// off are not remembered as held when it comes back on (held sets start afresh): no false
/// A → B from an A released unseen. Alone in a child process, as it changes the process.
#[cfg(not(any(loom, feature = "shuttle")))]
#[test]
fn set_enabled_switches_the_process_and_forgets_what_was_released_meanwhile() {
    const CHILD: &str = "SET_ENABLED_CHILD";
    if std::env::var_os(CHILD).is_none() {
        let (ok, out) = common::rerun_this_test(CHILD, &[]);
        assert!(ok, "{out}");
        return;
    }
    use threadcheck::lock_order::{enabled, set_enabled};
    assert!(!enabled());
    set_enabled(true);
    assert!(enabled());
    let (a, b) = (Lock::named("A"), Lock::named("B"));
    let held_a = a.acquire(); // seen: A is held
    set_enabled(false);
    assert!(!enabled());
    drop(held_a); // unseen
    set_enabled(true);
    drop(b.acquire()); // A is not held: no A → B
    let _b = b.acquire();
    let _a = a.acquire(); // B → A alone: no cycle, no report
    drop((_a, _b));
    let f = Builder::new().run(tutorial_on_one_thread).unwrap_err();
    assert_eq!(f.kind, FailureKind::LockOrder, "on for the process: {f}");
    set_enabled(false);
    assert!(
        Builder::new().run(tutorial_on_one_thread).is_ok(),
        "off again"
    );
}

#[test]
fn a_successful_try_acquire_adds_no_edge() {
    passes_with_lock_order(|| {
        let (a, b) = (Lock::named("A"), Lock::named("B"));
        f1(&a, &b);
        let _b = b.acquire();
        let _a = a.try_acquire().expect("free"); // cannot wait, so cannot deadlock
    });
}

#[test]
fn a_failed_try_acquire_adds_no_edge() {
    passes_with_lock_order(|| {
        let (a, b) = (Arc::new(Lock::named("A")), Lock::named("B"));
        let _b = b.acquire();
        let a2 = a.clone();
        threadcheck::thread::spawn(move || {
            a2.acquire().leak(); // held, released below by main
        })
        .join()
        .unwrap();
        assert!(a.try_acquire().is_none());
        drop(_b);
        a.release().unwrap();
        f1(&a, &b);
    });
}

#[test]
fn a_lock_released_by_another_thread_leaves_its_holders_set() {
    passes_with_lock_order(|| {
        let (a, b) = (Arc::new(Lock::named("A")), Lock::named("B"));
        a.acquire().leak();
        let a2 = a.clone();
        threadcheck::thread::spawn(move || a2.release().unwrap())
            .join()
            .unwrap();
        // A is no longer held by main: taking B adds no A → B.
        drop(b.acquire());
        let _b = b.acquire();
        let _a = a.acquire(); // B → A alone is no cycle
    });
}

/// After another thread released A, A is no gate lock for what its old holder takes next:
/// B → C taken without A and C → B taken under A are a cycle. (Mutant killed: releases by
/// another thread posted to a list nobody reads, so A stayed in main's held set and gated
/// both orders, hiding the cycle.)
#[test]
fn a_lock_released_by_another_thread_is_no_gate_for_its_old_holder() {
    let failure = lock_order_failure(|| {
        let (a, b, c) = (
            Arc::new(Lock::named("A")),
            Lock::named("B"),
            Lock::named("C"),
        );
        a.acquire().leak();
        let a2 = a.clone();
        threadcheck::thread::spawn(move || a2.release().unwrap())
            .join()
            .unwrap();
        drop((b.acquire(), c.acquire())); // B → C, A not held
        let _a = a.acquire();
        let _c = c.acquire();
        let _b = b.acquire(); // C → B under A
    });
    let report = failure.to_string();
    assert!(
        report.contains("Lock B") && report.contains("Lock C"),
        "{report}"
    );
}

#[test]
fn an_rlock_orders_on_its_first_acquisition_only() {
    passes_with_lock_order(|| {
        let (r, l) = (RLock::named("R"), Lock::named("L"));
        let _r = r.acquire();
        let _l = l.acquire(); // R → L
        let _again = r.acquire(); // reentry: no L → R
    });
    lock_order_failure(|| {
        let (r, l) = (RLock::named("R"), Lock::named("L"));
        drop((r.acquire(), l.acquire()));
        let _l = l.acquire();
        let _r = r.acquire(); // a first acquisition: L → R
    });
}

#[test]
fn one_gate_lock_around_both_orders_is_no_deadlock() {
    passes_with_lock_order(|| {
        let (g, a, b) = (Lock::named("G"), Lock::named("A"), Lock::named("B"));
        {
            let _g = g.acquire();
            f1(&a, &b);
        }
        let _g = g.acquire();
        f2(&a, &b);
    });
    let failure = lock_order_failure(|| {
        let (g, a, b) = (Lock::named("G"), Lock::named("A"), Lock::named("B"));
        {
            let _g = g.acquire();
            f1(&a, &b);
        }
        f2(&a, &b); // outside G: can deadlock with the first
    });
    assert!(
        failure.message.contains("Lock A → Lock B → Lock A"),
        "{failure}"
    );
}

/// Tests run at once in one process: another run with lock order on, beginning and ending
/// while this one holds its gate lock, must not make this run forget that G is held (it did:
/// every run's start cleared every thread's held set, and this reported A → B → A).
#[cfg(not(any(loom, feature = "shuttle")))]
#[test]
fn a_run_that_begins_meanwhile_leaves_the_gate_lock_held() {
    passes_with_lock_order(|| {
        let (g, a, b) = (Lock::named("G"), Lock::named("A"), Lock::named("B"));
        {
            let _g = g.acquire();
            f1(&a, &b);
        }
        let _g = g.acquire();
        std::thread::spawn(|| passes_with_lock_order(|| {}))
            .join()
            .unwrap();
        f2(&a, &b);
    });
}

#[test]
fn a_conditions_lock_orders_like_a_lock() {
    let failure = lock_order_failure(|| {
        let (cond, l) = (Condition::with_lock(Lock::named("C")), Lock::named("L"));
        {
            let _c = cond.acquire();
            let _l = l.acquire();
        }
        let _l = l.acquire();
        let _c = cond.acquire();
    });
    assert!(
        failure.message.contains("Lock C → Lock L → Lock C"),
        "{failure}"
    );
}

#[test]
fn a_semaphore_orders_only_while_a_guard_holds_its_permit() {
    let failure = lock_order_failure(|| {
        let (s, l) = (BoundedSemaphore::named(1, "S"), Lock::named("L"));
        drop((s.acquire(), l.acquire()));
        let _l = l.acquire();
        let _s = s.acquire();
    });
    assert!(
        failure
            .message
            .contains("BoundedSemaphore S → Lock L → BoundedSemaphore S"),
        "{failure}"
    );
    passes_with_lock_order(|| {
        let (s, l) = (BoundedSemaphore::named(1, "S"), Lock::named("L"));
        s.acquire().forget(); // a signal, not a lock held
        drop(l.acquire());
        s.release(1).unwrap();
        let _l = l.acquire();
        let _s = s.acquire();
    });
}

/// Thread-1 takes A and Thread-2 takes B; each tells the other, then reaches for the other's
/// lock: a deadlock on every schedule. Meanwhile main ticks on the model clock until both are
/// done, so some thread can always run: the checkers alone would never call it a deadlock.
#[cfg(any(loom, feature = "shuttle"))]
fn two_lock_deadlock_beside_a_ticking_thread() {
    use std::time::Duration;
    use threadcheck::sync::atomic::{AtomicUsize, Ordering};
    use threadcheck::Event;
    let (a, b) = (Arc::new(Lock::named("A")), Arc::new(Lock::named("B")));
    let (a_held, b_held) = (Arc::new(Event::new()), Arc::new(Event::new()));
    let done = Arc::new(AtomicUsize::new(0));
    let side =
        |name: &str, mine: Arc<Lock>, theirs: Arc<Lock>, held: Arc<Event>, other: Arc<Event>| {
            let done = done.clone();
            threadcheck::thread::Builder::new()
                .name(name)
                .spawn(move || {
                    let _m = mine.acquire();
                    held.set();
                    other.wait();
                    let _t = theirs.acquire();
                    done.fetch_add(1, Ordering::SeqCst);
                })
        };
    let t1 = side(
        "Thread-1",
        a.clone(),
        b.clone(),
        a_held.clone(),
        b_held.clone(),
    );
    let t2 = side("Thread-2", b, a, b_held, a_held);
    while done.load(Ordering::SeqCst) < 2 {
        threadcheck::sleep(Duration::from_millis(10));
    }
    t1.join().unwrap();
    t2.join().unwrap();
}

#[cfg(any(loom, feature = "shuttle"))]
#[test]
fn a_partial_deadlock_is_reported_as_it_forms_by_every_checker() {
    use threadcheck::model::Checker;
    let checkers: &[Checker] = if cfg!(loom) {
        &[Checker::Loom]
    } else {
        &[Checker::Pct, Checker::Random, Checker::Dfs]
    };
    for &c in checkers {
        let failure = Builder::new()
            .checker(c)
            .lock_order(false)
            .run(two_lock_deadlock_beside_a_ticking_thread)
            .expect_err("the two threads deadlock");
        assert_eq!(failure.kind, FailureKind::Deadlock, "{c}: {failure}");
        assert!(
            failure
                .message
                .starts_with("deadlock (wait-for cycle): Thread-"),
            "{c}: {failure}"
        );
        let report = failure.report();
        assert!(
            report.contains("waits for Lock B (held by Thread-2)")
                && report.contains("waits for Lock A (held by Thread-1)"),
            "{c}: {report}"
        );
        println!("{c}: found after {} executions", failure.stats.executions);
    }
}

#[cfg(any(loom, feature = "shuttle"))]
#[test]
fn lock_order_finds_the_partial_deadlock_in_the_first_execution() {
    let failure = Builder::new()
        .run(two_lock_deadlock_beside_a_ticking_thread)
        .expect_err("the lock order is reported");
    assert_eq!(failure.kind, FailureKind::LockOrder, "{failure}");
    assert_eq!(failure.stats.executions, 1, "{failure}");
}
