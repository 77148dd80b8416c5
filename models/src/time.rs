//! Model-time models: what the model clock catches that real-time testing lets through.

use crate::define_model;
use crate::harness::{Expect, Model};
use std::time::Duration;
use threadcheck::sync::atomic::{AtomicBool, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;

/// All model-time models.
pub const ALL: &[&Model] = &[
    &SLEEP_IS_NOT_SYNCHRONIZATION,
    &SLEEPS_WAKE_AFTER_THEIR_DEADLINES,
];

define_model! {
    /// The style the tutorial invites: start a thread that prepares something, `sleep(1s)`
    /// "so it is ready", then use it. On an idle machine it always works; on a loaded one the
    /// thread may not have run yet. The settled clock alone would agree with the idle machine
    /// (time passes only when every thread is blocked); one early advance — the default —
    /// ends the sleep while the other thread could still run, and the checker finds the
    /// failing schedule: Panic("sleep is not synchronization").
    pub SLEEP_IS_NOT_SYNCHRONIZATION = "time/sleep_is_not_synchronization" {
        about: "sleep(1s) instead of waiting for the other thread: a checker finds the schedule where it is not ready",
        expect: Expect::Panic("sleep is not synchronization"),
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        run: sleep_is_not_synchronization,
    }
}

fn sleep_is_not_synchronization(_n: usize) {
    let ready = Arc::new(AtomicBool::new(false));
    let r = ready.clone();
    let worker = Builder::new()
        .name("Thread-1")
        .spawn(move || r.store(true, Ordering::SeqCst));
    threadcheck::sleep(Duration::from_secs(1));
    assert!(
        ready.load(Ordering::SeqCst),
        "sleep is not synchronization: slept 1s and Thread-1 had not run yet"
    );
    worker.join().unwrap();
}

define_model! {
    /// Two threads sleep 30 ms and 10 ms while the main thread sleeps 20 ms; each records
    /// the model time it woke at. Time never goes back and every sleeper wakes at or after
    /// its deadline, whatever the schedule and the early advances: Pass.
    pub SLEEPS_WAKE_AFTER_THEIR_DEADLINES = "time/sleeps_wake_after_their_deadlines" {
        about: "three sleepers wake no earlier than their deadlines; time never goes back",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: sleeps_wake_after_their_deadlines,
    }
}

fn sleeps_wake_after_their_deadlines(n: usize) {
    fn sleep_checked(ms: u64) {
        let start = threadcheck::Instant::now();
        threadcheck::sleep(Duration::from_millis(ms));
        let woke = threadcheck::Instant::now();
        assert!(woke >= start, "time went back");
        assert!(
            woke.duration_since(start) >= Duration::from_millis(ms),
            "woke {:?} into a {ms} ms sleep",
            woke.duration_since(start)
        );
    }
    let hs: Vec<_> = (0..n as u64)
        .map(|i| {
            Builder::new()
                .name(format!("Thread-{}", i + 1))
                .spawn(move || sleep_checked(if i % 2 == 0 { 30 } else { 10 }))
        })
        .collect();
    sleep_checked(20);
    for h in hs {
        h.join().unwrap();
    }
}
