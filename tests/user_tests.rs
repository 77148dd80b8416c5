//! Users' own loom and shuttle tests, written the way loom and shuttle users write them —
//! `loom::model(|| ...)`, `shuttle::check_pct(|| ..., n, d)` — with threadcheck's primitives
//! inside and no threadcheck harness around them. Deadlocks must be reported as deadlocks.

use std::sync::Arc;
use threadcheck::{thread, Lock, RLock};

/// The tutorial's program on two locks (inverted order in `f2`) or one `RLock`.
#[cfg_attr(not(any(loom, feature = "shuttle")), allow(dead_code))]
fn two_lock_program() {
    let a = Arc::new(Lock::named("A"));
    let b = Arc::new(Lock::named("B"));
    let (a2, b2) = (a.clone(), b.clone());
    let t = thread::spawn(move || {
        let _a = a2.acquire();
        let _b = b2.acquire();
    });
    {
        let _b = b.acquire();
        let _a = a.acquire();
    }
    t.join().unwrap();
}

fn rlock_program() {
    let r = Arc::new(RLock::new());
    let r2 = r.clone();
    let t = thread::spawn(move || {
        let _a = r2.acquire();
        let _b = r2.acquire();
    });
    {
        let _b = r.acquire();
        let _a = r.acquire();
    }
    t.join().unwrap();
}

/// The RLock's owner sleeps while holding it and another thread blocks on it: the model
/// clock must see that thread as blocked (time settles, no bogus deadlock).
#[cfg_attr(not(any(loom, feature = "shuttle")), allow(dead_code))]
fn rlock_held_across_a_sleep() {
    let r = Arc::new(RLock::new());
    let r2 = r.clone();
    let t = thread::spawn(move || {
        let _g = r2.acquire();
        threadcheck::sleep(std::time::Duration::from_secs(1));
    });
    {
        let _g = r.acquire();
        threadcheck::sleep(std::time::Duration::from_secs(1));
    }
    t.join().unwrap();
}

/// On the settled clock (no early advances) a timed acquire of an RLock held across a longer
/// sleep must time out, and the holder's release must still go through.
#[cfg_attr(not(any(loom, feature = "shuttle")), allow(dead_code))]
fn rlock_timed_acquire_times_out() {
    let r = Arc::new(RLock::new());
    let g = r.acquire();
    let r2 = r.clone();
    let t = thread::spawn(move || {
        r2.acquire_timeout(std::time::Duration::from_secs(1))
            .is_some()
    });
    threadcheck::sleep(std::time::Duration::from_secs(2));
    drop(g);
    assert!(
        !t.join().unwrap(),
        "acquire_timeout(1s) got an RLock held for 2s"
    );
    assert!(r.try_acquire().is_some());
}

/// The `threadcheck::model` tests both checkers run.
#[cfg(any(loom, feature = "shuttle"))]
macro_rules! model_clock_tests {
    () => {
        #[test]
        fn rlock_held_across_a_sleep_is_not_a_deadlock() {
            // Settled clock only: no early advance may rescue a miscounted blocked thread.
            threadcheck::set_early_advances(0);
            threadcheck::model(rlock_held_across_a_sleep);
            threadcheck::set_early_advances(1);
        }

        #[test]
        fn rlock_timed_acquire_times_out_on_the_settled_clock() {
            threadcheck::set_early_advances(0);
            threadcheck::model(rlock_timed_acquire_times_out);
            threadcheck::set_early_advances(1);
        }

        #[test]
        fn threadcheck_model_runs_the_rlock_program_with_the_clock() {
            threadcheck::model(|| {
                rlock_program();
                threadcheck::sleep(std::time::Duration::from_secs(1));
            });
        }
    };
}

#[cfg(loom)]
mod with_loom {
    use super::*;

    model_clock_tests!();

    #[test]
    fn plain_loom_model_proves_the_rlock_program() {
        loom::model(rlock_program);
    }

    /// loom can abort the process after reporting a deadlock (loom issue #291), so the
    /// deadlocking model runs in a child process and this test reads what it printed.
    #[test]
    fn plain_loom_model_reports_the_two_lock_deadlock() {
        if std::env::var_os("USER_LOOM_CHILD").is_some() {
            loom::model(two_lock_program);
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "with_loom::plain_loom_model_reports_the_two_lock_deadlock",
                "--exact",
                "--nocapture",
            ])
            .env("USER_LOOM_CHILD", "1")
            .env("THREADCHECK_LOCK_ORDER", "0")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "loom::model passed a program that deadlocks:\n{text}"
        );
        // threadcheck sees the wait-for cycle as it forms, before loom's own "deadlock;
        // threads = ..." (lock-order checking, off here, would report it earlier still).
        assert!(
            text.contains("deadlock (wait-for cycle): ") || text.contains("deadlock; threads"),
            "expected a deadlock report, got:\n{text}"
        );
    }
}

#[cfg(feature = "shuttle")]
mod with_shuttle {
    use super::*;

    model_clock_tests!();

    #[test]
    fn plain_shuttle_pct_runs_the_rlock_program() {
        shuttle::check_pct(rlock_program, 1000, 3);
    }

    #[test]
    fn plain_shuttle_pct_reports_the_two_lock_deadlock() {
        let r = std::panic::catch_unwind(|| shuttle::check_pct(two_lock_program, 1000, 2));
        let msg = match r {
            Ok(()) => panic!("shuttle::check_pct passed a program that deadlocks"),
            Err(p) => p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        };
        assert!(
            msg.contains("deadlock"),
            "expected shuttle's deadlock report, got {msg:?}"
        );
    }
}

#[cfg(not(any(loom, feature = "shuttle")))]
#[test]
fn threadcheck_model_runs_once_in_production() {
    let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let r = runs.clone();
    threadcheck::model(move || {
        rlock_program();
        r.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
}
