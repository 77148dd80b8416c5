//! `set_excepthook` (Python's `threading.excepthook`): a panicking worker is reported with its
//! name, on real threads and under the checkers. The hook is process-wide, so the tests in this
//! file take turns.

use std::sync::{Arc, Mutex, MutexGuard};
use threadcheck::model::Builder as Check;
use threadcheck::thread::{self, Builder};

/// One test at a time: they install process-wide hooks.
fn turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// (name, message, the thread was alive and listed while the hook ran, the args' `Debug`)
type Seen = Arc<Mutex<Vec<(String, String, bool, String)>>>;

fn recording_hook() -> Seen {
    let seen: Seen = Arc::default();
    let s = seen.clone();
    thread::set_excepthook(Box::new(move |args| {
        let t = args.thread();
        let alive = t.is_alive() && thread::enumerate().contains(t) && thread::current() == *t;
        let msg = args.message().unwrap_or("?").to_owned();
        let shown = format!("{args:?}");
        s.lock()
            .unwrap()
            .push((t.name().to_owned(), msg, alive, shown));
    }));
    seen
}

#[test]
fn excepthook_hears_a_panicking_worker_by_name() {
    let _turn = turn();
    let seen = recording_hook();
    let r = Check::new().run(|| {
        let h = Builder::new().name("worker-1").spawn(|| panic!("boom"));
        // On real threads `join` returns the panic; under loom and shuttle the panic fails the
        // execution first.
        let err = h.join().expect_err("the worker panicked");
        assert_eq!(err.downcast_ref::<&str>(), Some(&"boom"));
    });
    drop(thread::take_excepthook());
    match threadcheck::backend() {
        "production" => assert!(r.is_ok(), "{r:?}"),
        _ => assert_eq!(r.expect_err("a panic fails the execution").message, "boom"),
    }
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty(), "the hook was not called");
    for (name, msg, alive, shown) in seen.iter() {
        assert_eq!(
            (name.as_str(), msg.as_str(), *alive),
            ("worker-1", "boom", true)
        );
        // The thread (its ident varies) and the message.
        let (head, tail) = (
            r#"ExceptHookArgs { thread: Thread { name: "worker-1", ident: "#,
            r#", daemon: false }, message: Some("boom") }"#,
        );
        assert!(shown.starts_with(head) && shown.ends_with(tail), "{shown}");
    }
}

threadcheck::if_production! {
    /// Python prints the traceback when the hook itself raises; here the hook's panic is its
    /// own, and the thread's panic is what `join` returns.
    #[test]
    fn a_hook_that_panics_does_not_replace_the_threads_panic() {
        let _turn = turn();
        thread::set_excepthook(Box::new(|_| panic!("the hook failed")));
        let h = thread::spawn(|| panic!("the worker failed"));
        let err = h.join().expect_err("the worker panicked");
        drop(thread::take_excepthook());
        assert_eq!(err.downcast_ref::<&str>(), Some(&"the worker failed"));
    }

    /// The default hook prints like Python's: `Exception in thread NAME: MESSAGE` (checked in a
    /// child process, whose stderr we can read).
    #[test]
    fn default_excepthook_prints_exception_in_thread_name() {
        const CHILD: &str = "THREADCHECK_EXCEPTHOOK_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let h = Builder::new().name("worker-7").spawn(|| panic!("boom"));
            assert!(h.join().is_err());
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "default_excepthook_prints_exception_in_thread_name"])
            .args(["--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("Exception in thread worker-7: boom"),
            "stderr: {stderr}"
        );
    }
}
