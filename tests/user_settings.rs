//! The builder's settings take effect, from code and from `THREADCHECK_*` variables; a run
//! returns what it explored; a body with nothing to interleave runs once and passes.

mod common;

use common::rerun_this_test;
use std::sync::Arc;
use threadcheck::model::{self, Builder, Checker};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::{thread, Lock};

/// Set in a child that reads its settings from the environment.
const CHILD: &str = "USER_SETTINGS_CHILD";

fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// Two threads store their number; main reports which store it saw last.
fn last_store_wins() {
    let x = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (1..=2)
        .map(|i| {
            let x = x.clone();
            thread::spawn(move || x.store(i, Ordering::SeqCst))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    model::observe(x.load(Ordering::SeqCst).to_string());
}

#[test]
fn a_body_without_concurrency_runs_once_and_passes() {
    let one_thread = Builder::new().run(|| {
        let lock = Lock::new();
        drop(lock.acquire());
    });
    let stats = one_thread.expect("nothing can go wrong");
    assert_eq!(stats.executions, 1);
    let spawn_then_join = Builder::new().run(|| {
        thread::spawn(|| drop(Lock::new().acquire()))
            .join()
            .unwrap();
    });
    assert_eq!(
        spawn_then_join.expect("nothing to interleave").executions,
        1
    );
}

#[test]
fn a_run_reports_executions_time_and_outcomes() {
    let stats = Builder::new().check(last_store_wins);
    assert_eq!(stats.checker, Checker::for_build());
    assert!(stats.executions >= 1);
    assert!(stats.elapsed > std::time::Duration::ZERO);
    let both: std::collections::BTreeSet<String> = ["1", "2"].map(String::from).into();
    if stats.complete {
        assert_eq!(
            stats.outcomes, both,
            "an exhaustive search sees both orders"
        );
    } else {
        assert!(!stats.outcomes.is_empty() && stats.outcomes.is_subset(&both));
    }
}

#[cfg(feature = "shuttle")]
#[test]
fn a_seed_gives_the_same_schedules_twice() {
    let run = |seed| {
        Builder::new()
            .checker(Checker::Pct)
            .iterations(100)
            .seed(seed)
            .run(common::wrong_lock_counter)
            .expect_err("PCT finds the lost update")
    };
    let mut schedules = std::collections::BTreeSet::new();
    for seed in 1..=5 {
        let (a, b) = (run(seed), run(seed));
        assert_eq!(a.schedule, b.schedule, "seed {seed}");
        assert_eq!(a.stats.executions, b.stats.executions, "seed {seed}");
        schedules.insert(a.schedule);
    }
    assert!(
        schedules.len() > 1,
        "five seeds, one schedule: the seed is ignored"
    );
}

#[cfg(feature = "shuttle")]
#[test]
fn iterations_and_checker_come_from_the_environment() {
    if in_child() {
        let stats = Builder::new().check(last_store_wins);
        println!("CHECKER={} EXECUTIONS={}", stats.checker, stats.executions);
        return;
    }
    let env = [
        ("THREADCHECK_CHECKER", "random"),
        ("THREADCHECK_ITERATIONS", "7"),
    ];
    let (ok, text) = rerun_this_test(CHILD, &env);
    assert!(ok, "{text}");
    assert!(text.contains("CHECKER=random EXECUTIONS=7"), "{text}");
}

#[cfg(feature = "shuttle")]
#[test]
fn a_setting_in_code_wins_over_the_environment() {
    if in_child() {
        let stats = Builder::new().iterations(3).check(last_store_wins);
        println!("EXECUTIONS={}", stats.executions);
        return;
    }
    let (ok, text) = rerun_this_test(CHILD, &[("THREADCHECK_ITERATIONS", "7")]);
    assert!(ok && text.contains("EXECUTIONS=3"), "{text}");
}

#[cfg(loom)]
#[test]
fn a_preemption_bound_from_the_environment_makes_the_search_incomplete() {
    if in_child() {
        let stats = Builder::new().check(last_store_wins);
        println!("COMPLETE={}", stats.complete);
        return;
    }
    let (ok, text) = rerun_this_test(CHILD, &[("THREADCHECK_PREEMPTION_BOUND", "0")]);
    assert!(ok && text.contains("COMPLETE=false"), "{text}");
    assert!(Builder::new().check(last_store_wins).complete);
}

#[test]
fn a_malformed_variable_is_an_error_naming_it() {
    if in_child() {
        let e = Builder::from_env().expect_err("ten is not a number");
        println!("ENV ERROR: {e}");
        assert_eq!(e.var, "THREADCHECK_ITERATIONS");
        // `new` (what `threadcheck::model` uses) fails the test with the same message.
        let _ = Builder::new();
        return;
    }
    let (ok, text) = rerun_this_test(CHILD, &[("THREADCHECK_ITERATIONS", "ten")]);
    assert!(!ok, "Builder::new accepted it:\n{text}");
    let msg = "THREADCHECK_ITERATIONS=\"ten\" is not a positive number of executions";
    assert!(text.contains(&format!("ENV ERROR: {msg}")), "{text}");
    assert!(text.contains(&format!("threadcheck: {msg}")), "{text}");
}

/// The builder and the environment agree on what a checker is called.
#[test]
fn an_unknown_checker_is_an_error_naming_it() {
    if in_child() {
        let e = Builder::from_env().expect_err("no such checker");
        println!("ENV ERROR: {e}");
        return;
    }
    let (ok, text) = rerun_this_test(CHILD, &[("THREADCHECK_CHECKER", "tsan")]);
    let msg = "ENV ERROR: THREADCHECK_CHECKER=\"tsan\" is not a checker";
    assert!(ok && text.contains(msg), "{text}");
}

/// An execution of the wrong-lock counter can fail on real threads too, but not reliably:
/// keep the production build to what it can show.
#[cfg(not(any(loom, feature = "shuttle")))]
#[test]
fn production_runs_the_body_on_real_threads() {
    let stats = Builder::new().iterations(3).check(|| {
        let _ = std::panic::catch_unwind(common::wrong_lock_counter);
    });
    assert_eq!((stats.checker, stats.executions), (Checker::Real, 3));
}
