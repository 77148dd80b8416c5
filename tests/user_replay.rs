//! The replay line of a failure re-runs exactly the failing execution in the user's own
//! test: pasted (here: run as a child process of this test binary, with the printed
//! environment variable), it reproduces the same failure.

#![cfg(any(loom, feature = "shuttle"))]

mod common;

use common::{assert_ring_cycle, printed, rerun_this_test, ring, run_test_in_child, this_test};
use threadcheck::model::Builder;

/// Set in the child that replays, so that it replays instead of searching again.
const CHILD: &str = "USER_REPLAY_CHILD";

/// What the child prints about the execution it ran.
fn child_says(executions: u64, counterexample: &str) {
    println!("REPLAYED executions={executions}\n{counterexample}");
}

/// The value of `VAR=value` in `line`.
#[cfg(feature = "shuttle")]
fn env_value<'a>(line: &'a str, var: &str) -> &'a str {
    let start = line.find(&format!("{var}=")).expect("the variable") + var.len() + 1;
    line[start..].split_whitespace().next().unwrap()
}

#[cfg(feature = "shuttle")]
#[test]
fn the_replay_line_reruns_the_failing_schedule_in_this_test() {
    if std::env::var_os(CHILD).is_some() {
        // The pasted command: THREADCHECK_REPLAY is set, so the same call replays.
        let f = Builder::new()
            .lock_order(false)
            .run(ring)
            .expect_err("the replayed execution deadlocks");
        child_says(f.stats.executions, &f.counterexample());
        return;
    }
    let f = Builder::new()
        .lock_order(false) // the wait-for cycle, not the ring's lock order
        .checker(threadcheck::model::Checker::Random)
        .seed(11)
        .run(ring)
        .expect_err("the ring deadlocks");
    let line = f.replay.clone().expect("shuttle failures replay");
    // The line names this test and this binary, and carries the schedule.
    let name = this_test();
    assert!(line.contains(&format!("-- {name} --exact")), "{line}");
    assert!(line.contains("--test user_replay"), "{line}");
    let schedule = env_value(&line, "THREADCHECK_REPLAY");
    assert_eq!(Some(schedule), f.schedule.as_deref());

    let out = run_test_in_child(&name, &[("THREADCHECK_REPLAY", schedule), (CHILD, "1")]);
    let text = printed(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("REPLAYED executions=1\n"), "{text}");
    // The very execution: same cycle, same steps.
    assert_ring_cycle(&text);
    assert!(text.contains(&f.counterexample()), "{text}");
}

#[cfg(loom)]
#[test]
fn the_replay_line_reruns_the_search_to_the_same_execution() {
    if std::env::var_os(CHILD).is_some() {
        let f = Builder::new()
            .lock_order(false)
            .run(ring)
            .expect_err("the ring deadlocks");
        child_says(f.stats.executions, &f.counterexample());
        return;
    }
    let f = Builder::new()
        .lock_order(false) // the wait-for cycle, not the ring's lock order
        .run(ring)
        .expect_err("the ring deadlocks");
    let line = f.replay.clone().expect("loom failures replay");
    let name = this_test();
    assert!(
        line.starts_with("RUSTFLAGS=\"--cfg loom\" cargo test"),
        "{line}"
    );
    assert!(line.contains(&format!("-- {name} --exact")), "{line}");
    let n = f.stats.executions;
    assert!(line.contains(&format!("the {n}")), "{line}");

    let out = run_test_in_child(&name, &[(CHILD, "1")]);
    let text = printed(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!("REPLAYED executions={n}\n")),
        "{text}"
    );
    assert_ring_cycle(&text);
    assert!(text.contains(&f.counterexample()), "{text}");
}

/// A schedule that is not one is an error naming the variable, not a silent search.
#[test]
fn a_malformed_replay_variable_is_an_error_naming_it() {
    if std::env::var_os(CHILD).is_some() {
        let e = Builder::from_env().expect_err("not a schedule");
        println!("ENV ERROR: {e}");
        assert_eq!(e.var, "THREADCHECK_REPLAY");
        return;
    }
    let (ok, text) = rerun_this_test(CHILD, &[("THREADCHECK_REPLAY", "not-a-schedule")]);
    let msg = "ENV ERROR: THREADCHECK_REPLAY=\"not-a-schedule\" is not";
    assert!(ok && text.contains(msg), "{text}");
}
