//! A lost update loom 0.7.3 does not find, and why a scheduling point at thread start (in
//! `threadcheck::thread::spawn`) would not make it find it.
//!
//! ```text
//! data = 0 (SeqCst everywhere)
//! B:    v = data.load();  data.store(v + 1)
//! main: x = data.load();  data.store(x + 1);  assert_eq!(data.load(), x + 1)
//! ```
//!
//! Failing order: main load, main store, B load, B store, main load. loom explores 13
//! executions without it; shuttle's DFS finds it. The cause is loom's DPOR, not thread start:
//! each atomic remembers one *last access*, and a load replaces it even when the access it
//! replaces was another thread's load it does not depend on. In the first execution main runs
//! to its final load, then B runs: B's load replaces main's final load as the last access, so
//! B's store is checked against B's own load (no race) instead of main's load (a race whose
//! reversal is the bug), and the order "B's store before main's final load" is never tried.
//! loom issues #166 ("redundant load") and #392 ("atomic load makes threads not explore")
//! show the same. What changes the outcome is the load, not where the thread starts: with a
//! `yield_now` or an unrelated atomic operation as B's first step loom still misses it (4 and
//! 13 executions); with either of the two reads made a read-modify-write (which does not
//! replace a non-load) it finds it.
//!
//! So no model-side workaround at thread start makes loom sound here, and threadcheck adds
//! none. These tests pin the behaviour: if a loom release fixes it, the `misses` tests fail
//! and should become `finds` tests. `shuttle_dfs_finds_the_lost_update` is the independent
//! search that does find it.

use std::sync::Arc;

/// The program, on threadcheck's spawn and atomics (the atomics are loom's in the loom build).
#[cfg_attr(not(any(loom, feature = "shuttle")), allow(dead_code))]
fn lost_update_through_threadcheck() {
    use threadcheck::sync::atomic::{AtomicI32, Ordering::SeqCst};
    let data = Arc::new(AtomicI32::new(0));
    let d = data.clone();
    let b = threadcheck::thread::spawn(move || {
        let v = d.load(SeqCst);
        d.store(v + 1, SeqCst);
    });
    let x = data.load(SeqCst);
    data.store(x + 1, SeqCst);
    assert_eq!(data.load(SeqCst), x + 1, "lost update");
    b.join().unwrap();
}

threadcheck::if_loom! {
    use loom::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};
    use std::sync::atomic::AtomicU64;

    /// Runs `body` under plain `loom::model`: (failed, executions).
    fn plain_loom(body: impl Fn() + Send + Sync + 'static) -> (bool, u64) {
        let runs = Arc::new(AtomicU64::new(0));
        let r = runs.clone();
        let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            loom::model(move || {
                r.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                body();
            })
        }))
        .is_err();
        (failed, runs.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// B's steps, after `first` (what B does before its load).
    fn program(first: fn(&AtomicUsize), main_reads_with_rmw: bool) -> (bool, u64) {
        plain_loom(move || {
            let data = Arc::new(AtomicI32::new(0));
            let other = Arc::new(AtomicUsize::new(0));
            let d = data.clone();
            let b = loom::thread::spawn(move || {
                first(&other);
                let v = d.load(SeqCst);
                d.store(v + 1, SeqCst);
            });
            let x = data.load(SeqCst);
            data.store(x + 1, SeqCst);
            let now = if main_reads_with_rmw { data.fetch_add(0, SeqCst) } else { data.load(SeqCst) };
            assert_eq!(now, x + 1, "lost update");
            b.join().unwrap();
        })
    }

    #[test]
    fn loom_misses_the_lost_update() {
        assert_eq!(program(|_| {}, false), (false, 13));
    }

    #[test]
    fn a_scheduling_point_at_thread_start_does_not_help_loom() {
        assert_eq!(program(|_| loom::thread::yield_now(), false), (false, 4));
        assert_eq!(
            program(|o| {
                o.fetch_add(1, SeqCst);
            }, false),
            (false, 13)
        );
    }

    #[test]
    fn loom_finds_it_when_main_rereads_with_a_read_modify_write() {
        assert!(program(|_| {}, true).0, "loom should find the lost update");
    }

    #[test]
    fn loom_misses_it_through_threadcheck_spawn_too() {
        let r = threadcheck::model::Builder::new().run(lost_update_through_threadcheck);
        let stats = r.expect("loom 0.7.3 misses this lost update");
        assert!(stats.complete);
        assert_eq!(stats.executions, 13);
    }
}

threadcheck::if_shuttle! {
    #[test]
    fn shuttle_dfs_finds_the_lost_update() {
        use threadcheck::model::{Builder, Checker};
        let f = Builder::new()
            .checker(Checker::Dfs)
            .run(lost_update_through_threadcheck)
            .expect_err("DFS explores every order");
        assert!(f.message.contains("lost update"), "{}", f.message);
        assert!(f.stats.executions <= 10, "found after {}", f.stats.executions);
    }
}
