//! Programs the `user_*` tests check, written as a user would write them, and a helper that
//! re-runs one test of the current binary in a child process (to read what it printed, or to
//! survive what it does).

#![allow(dead_code)] // each test file uses its own share

use std::process::{Command, Output};
use std::sync::Arc;
use threadcheck::cell::RaceCell;
use threadcheck::{thread, Lock};

/// The ring: thread i takes lock i, then lock (i+1) % 3, holding both guards. Every thread
/// holding its first lock at once is a deadlock: Thread-1 waits for Thread-2, which waits for
/// Thread-3, which waits for Thread-1.
pub fn ring() {
    let locks: Vec<Arc<Lock>> = ["A", "B", "C"]
        .into_iter()
        .map(|n| Arc::new(Lock::named(n)))
        .collect();
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let (first, second) = (locks[i].clone(), locks[(i + 1) % 3].clone());
            thread::Builder::new()
                .name(format!("Thread-{}", i + 1))
                .spawn(move || {
                    let _a = first.acquire();
                    let _b = second.acquire();
                })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

/// The cycle of [`ring`], as the report prints it.
pub const RING_CYCLE: [&str; 3] = [
    "deadlock: Thread-1 holds Lock A, waits for Lock B (held by Thread-2)",
    "Thread-2 holds Lock B, waits for Lock C (held by Thread-3)",
    "Thread-3 holds Lock C, waits for Lock A (held by Thread-1)",
];

/// Asserts that `text` names the ring's whole cycle.
pub fn assert_ring_cycle(text: &str) {
    for line in RING_CYCLE {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
}

/// Two threads increment a shared counter, each under a lock of its own: the locks exclude
/// nothing, so an increment can be lost.
pub fn wrong_lock_counter() {
    two_increments(|| Arc::new(Lock::new())); // the bug: nobody else takes this lock
}

/// The fix: one lock for the counter.
pub fn right_lock_counter() {
    let lock = Arc::new(Lock::named("counter"));
    two_increments(move || lock.clone());
}

/// Thread-1 and Thread-2 each increment a shared counter once, holding `lock()`; the total
/// must be 2.
fn two_increments(lock: impl Fn() -> Arc<Lock>) {
    let counter = Arc::new(RaceCell::new(0u32));
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let (counter, lock) = (counter.clone(), lock());
            thread::Builder::new()
                .name(format!("Thread-{}", i + 1))
                .spawn(move || {
                    let _g = lock.acquire();
                    counter.update(|n| n + 1);
                })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(counter.get(), 2, "lost update");
}

/// Runs the test `name` of this binary alone in a child process, with `env` added.
pub fn run_test_in_child(name: &str, env: &[(&str, &str)]) -> Output {
    run_tests_in_child(&[name, "--exact"], env)
}

/// Runs this binary in a child process with libtest arguments `args` (one test at a time,
/// output not captured) and `env` added.
pub fn run_tests_in_child(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary path"));
    cmd.args(args).args(["--nocapture", "--test-threads", "1"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run the test binary")
}

/// Everything a child printed, stdout then stderr.
pub fn printed(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs the calling test again, alone, in a child process with `marker` and `env` set;
/// whether it passed, and what it printed. The test tells the child by `marker`.
pub fn rerun_this_test(marker: &str, env: &[(&str, &str)]) -> (bool, String) {
    let mut all = vec![(marker, "1")];
    all.extend_from_slice(env);
    let out = run_test_in_child(&this_test(), &all);
    (out.status.success(), printed(&out))
}

/// The test thread's name: libtest names it after the test.
pub fn this_test() -> String {
    std::thread::current()
        .name()
        .expect("libtest names the test thread")
        .to_owned()
}
