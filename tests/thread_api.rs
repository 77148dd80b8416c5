//! `threadcheck::thread` as a user sees it: Python's `Thread` API (names, idents, the main
//! thread, `is_alive`, `join(timeout)`, daemon threads), each test written once and run by
//! `threadcheck::model` on real threads (production), under loom (every interleaving) and
//! under shuttle (PCT). Ported from CPython's `Lib/test/test_threading.py` where it has a
//! case (`test_various_ops`, `test_main_thread`, `test_enumerate_after_join`,
//! `test_daemon_param`); `join_timeout` returns the handle instead of `None`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use threadcheck::thread::{self, Builder, JoinTimeoutError};
use threadcheck::Event;

fn production() -> bool {
    threadcheck::backend() == "production"
}

/// A thread that runs until `go` is set.
fn waiting_for(go: &Arc<Event>) -> thread::JoinHandle<()> {
    let g = go.clone();
    thread::spawn(move || {
        g.wait();
    })
}

#[test]
fn a_thread_knows_its_name_and_ident() {
    threadcheck::model(|| {
        let h = Builder::new().name("worker").spawn(|| {
            let me = thread::current();
            assert!(
                thread::enumerate().contains(&me),
                "a thread sees itself listed"
            );
            (me.name().to_owned(), me.ident(), me == thread::current())
        });
        let worker = h.thread().clone();
        // Listed from its start until it has finished.
        assert!(thread::enumerate().contains(&worker) || !worker.is_alive());
        let (name, ident, stable) = h.join().unwrap();
        assert_eq!(name, "worker");
        assert_eq!(ident, worker.ident());
        assert!(stable, "current() is the same thread on every call");
        assert_ne!(ident, 0);
        assert_ne!(ident, thread::current().ident());
    });
}

#[test]
fn unnamed_threads_are_called_thread_n_in_start_order() {
    threadcheck::model(|| {
        let a = thread::spawn(|| thread::current().name().to_owned());
        let b = thread::spawn(|| thread::current().name().to_owned());
        let number = |name: String| -> u64 {
            let n = name.strip_prefix("Thread-").expect("named Thread-N");
            n.parse().expect("Thread-N")
        };
        let (a, b) = (number(a.join().unwrap()), number(b.join().unwrap()));
        assert!(a < b, "Thread-{a} started before Thread-{b}");
        if !production() {
            // One program per execution: numbered from 1, the same on every schedule.
            assert_eq!((a, b), (1, 2));
        }
    });
}

#[test]
fn main_thread_is_mainthread_and_not_a_started_one() {
    threadcheck::model(|| {
        let main = thread::main_thread();
        assert_eq!(main.name(), "MainThread");
        assert_eq!(main.ident(), 1);
        assert!(main.is_alive() && !main.is_daemon());
        // Under the checkers the model's body is the program's main thread; a cargo test runs
        // on a thread of its own (a "dummy" one, in Python's words).
        assert_eq!(thread::current() == main, !production());
        let seen_from_worker = thread::spawn(|| {
            assert!(thread::main_thread().is_alive());
            (thread::main_thread(), thread::current())
        });
        assert_eq!(
            thread::enumerate()[0],
            main,
            "the main thread is listed first"
        );
        let (m, w) = seen_from_worker.join().unwrap();
        assert_eq!(m, main);
        assert_ne!(w, main);
    });
}

#[test]
fn is_alive_from_spawn_until_the_thread_has_finished() {
    threadcheck::model(|| {
        let go = Arc::new(Event::new());
        let h = waiting_for(&go);
        let t = h.thread().clone();
        assert!(
            h.is_alive() && t.is_alive(),
            "alive as soon as spawn returns"
        );
        go.set();
        h.join().unwrap();
        assert!(!t.is_alive(), "alive after join");
    });
}

#[test]
fn enumerate_lists_a_thread_until_it_is_joined() {
    threadcheck::model(|| {
        let go = Arc::new(Event::new());
        let h = waiting_for(&go);
        let t = h.thread().clone();
        let listed = thread::enumerate();
        assert!(listed.contains(&t));
        assert_eq!(listed[0], thread::main_thread(), "main first");
        assert!(thread::active_count() >= 2);
        go.set();
        h.join().unwrap();
        assert!(!thread::enumerate().contains(&t));
    });
}

#[test]
fn join_timeout_hands_the_handle_back_then_joins() {
    threadcheck::model(|| {
        let go = Arc::new(Event::new());
        let g = go.clone();
        let h = Builder::new().name("waiter").spawn(move || {
            g.wait();
            7
        });
        let h = match h.join_timeout(Duration::from_millis(10)) {
            Err(e @ JoinTimeoutError::Timeout(_)) => {
                assert!(e.is_timeout());
                assert_eq!(e.to_string(), "timed out waiting for waiter to finish");
                e.into_handle().unwrap()
            }
            other => panic!("the waiter cannot finish before go is set: {other:?}"),
        };
        assert!(h.is_alive());
        go.set();
        assert_eq!(h.join().unwrap(), 7);
    });
}

#[test]
fn join_timeout_returns_the_result_of_a_finished_thread() {
    threadcheck::model(|| {
        let h = thread::spawn(|| 5);
        let r = h.join_timeout(Duration::from_secs(3600));
        // On a loaded machine (the model clock's early timeout) even an hour can pass first.
        match r {
            Ok(v) => assert_eq!(v, 5),
            Err(JoinTimeoutError::Timeout(h)) => assert_eq!(h.join().unwrap(), 5),
            Err(e) => panic!("{e}"),
        }
    });
}

#[test]
fn daemon_flag_is_set_or_inherited() {
    threadcheck::model(|| {
        assert!(
            !thread::spawn(|| ()).thread().is_daemon(),
            "main is no daemon"
        );
        let h = Builder::new().daemon(true).spawn(|| {
            let child = thread::spawn(|| ());
            let inherited = child.thread().is_daemon();
            let overridden = Builder::new().daemon(false).spawn(|| ());
            let not = overridden.thread().is_daemon();
            child.join().unwrap();
            overridden.join().unwrap();
            (inherited, not)
        });
        assert!(h.thread().is_daemon());
        assert_eq!(h.join().unwrap(), (true, false));
    });
}

#[test]
fn join_non_daemon_waits_for_detached_threads_but_not_daemons() {
    threadcheck::model(|| {
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        drop(thread::spawn(move || d.store(true, Ordering::SeqCst))); // detached
                                                                      // A daemon that needs the main thread to go on: waiting for it would never end.
        let release = Arc::new(Event::new());
        let r = release.clone();
        let daemon = Builder::new().daemon(true).spawn(move || r.wait());
        thread::join_non_daemon();
        assert!(done.load(Ordering::SeqCst));
        release.set();
        daemon.join().unwrap();
    });
}

threadcheck::if_production! {
    /// Python raises `RuntimeError("cannot join current thread")`; std's join may deadlock.
    #[test]
    fn a_thread_joining_itself_panics() {
        use std::sync::mpsc;
        let (give, handle) = mpsc::channel::<thread::JoinHandle<()>>();
        let (tell, told) = mpsc::channel::<String>();
        let h = Builder::new().name("narcissus").spawn(move || {
            let me = handle.recv().unwrap();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| me.join()));
            let msg = r.expect_err("joining itself must panic");
            tell.send(msg.downcast_ref::<String>().cloned().unwrap_or_default()).unwrap();
        });
        give.send(h).unwrap();
        let msg = told.recv().unwrap();
        assert!(msg.contains("narcissus cannot join itself"), "{msg}");
    }

    /// A panic is not swallowed as Python's `join` would: the result says it.
    #[test]
    fn join_timeout_returns_a_panic() {
        let h = thread::spawn(|| -> u32 { panic!("worker failed") });
        match h.join_timeout(Duration::from_secs(60)) {
            Err(e @ JoinTimeoutError::Panicked(_)) => {
                assert!(!e.is_timeout());
                assert_eq!(e.to_string(), "the thread panicked: worker failed");
            }
            other => panic!("expected the panic, got {other:?}"),
        }
    }
}
