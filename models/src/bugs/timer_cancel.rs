//! Python practice: `Timer.cancel()` assumed to always prevent the call.

use crate::define_model;
use crate::harness::{Expect, Known, Model};
use std::time::Duration;
use threadcheck::model::Checker;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::Timer;

/// The Timer.cancel models: the bug and its twin.
pub const ALL: &[&Model] = &[&TIMER_CANCEL_ASSUMED, &TIMER_CANCEL_CHECKED];

/// Starts a 10 ms timer, does a little work, cancels; returns (cancel's result, runs).
fn start_then_cancel() -> (bool, usize) {
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    let t = Timer::after(Duration::from_millis(10), move || {
        r.fetch_add(1, Ordering::SeqCst);
    });
    threadcheck::sleep(Duration::from_millis(1));
    let prevented = t.cancel();
    t.join();
    (prevented, runs.load(Ordering::SeqCst))
}

define_model! {
    /// A watchdog in Python: `t = Timer(0.01, on_timeout); t.start(); work(); t.cancel()`,
    /// and the code after it assumes `on_timeout` never ran. `cancel()` only stops a timer
    /// that has not fired yet; on a loaded machine the interval can pass during `work()`
    /// (here a 1 ms sleep; the model clock may expire the timer early, once), and the
    /// function has already run: Panic("timer ran after cancel"). `cancel()` says which
    /// happened — Python's does not, threadcheck's returns it — see the twin.
    pub TIMER_CANCEL_ASSUMED = "bugs/timer_cancel_assumed" {
        about: "code after Timer.cancel() assumes the function never ran",
        expect: Expect::Panic("timer ran after cancel"),
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        known: [Known {
            checker: Checker::Dfs,
            gives: Expect::Pass,
            why: "DFS backtracks the last choices first; the early clock advance this needs comes before main's cancel, and DFS's 100000-execution cap runs out before it gets there",
        }],
        run: timer_cancel_assumed,
    }
}

fn timer_cancel_assumed(_n: usize) {
    let (_, runs) = start_then_cancel();
    assert_eq!(runs, 0, "timer ran after cancel: {runs} run(s)");
}

define_model! {
    /// `bugs/timer_cancel_assumed` fixed: the program asks `cancel()` whether it prevented
    /// the call, and joins the timer, so it knows: the function ran exactly when `cancel()`
    /// returned false. Pass on every schedule, including the late cancel.
    pub TIMER_CANCEL_CHECKED = "bugs/timer_cancel_checked" {
        about: "cancel()'s result says whether the function ran: the program checks it",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: timer_cancel_checked,
    }
}

fn timer_cancel_checked(_n: usize) {
    let (prevented, runs) = start_then_cancel();
    assert_eq!(
        runs,
        usize::from(!prevented),
        "cancel() returned {prevented} but the function ran {runs} time(s)"
    );
}
