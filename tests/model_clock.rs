//! The model clock under loom and shuttle, through `threadcheck::model` as a user's test
//! would use it: timeouts fire, `now` advances, early advances are bounded, and a timed wait
//! outside the entry point fails with a message saying what to use.
#![cfg(threadcheck_model)]

use std::time::Duration;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::{thread, Event};

#[test]
fn wait_timeout_on_an_unset_event_times_out() {
    threadcheck::model(|| {
        let ev = Event::new();
        assert!(!ev.wait_timeout(Duration::from_millis(10)));
    });
}

#[test]
fn sleep_alone_returns() {
    threadcheck::model(|| {
        threadcheck::sleep(Duration::from_secs(1));
        threadcheck::sleep(Duration::from_secs(1));
    });
}

#[test]
fn a_set_event_wakes_a_timed_waiter_or_it_times_out() {
    threadcheck::model(|| {
        let ev = Arc::new(Event::new());
        let e = ev.clone();
        let h = thread::spawn(move || e.set());
        let _ = ev.wait_timeout(Duration::from_millis(100));
        h.join().unwrap();
        assert!(ev.is_set());
    });
}

#[test]
fn child_sleeping_while_main_joins_is_woken() {
    threadcheck::model(|| {
        let n = Arc::new(AtomicUsize::new(0));
        let n2 = n.clone();
        let h = thread::spawn(move || {
            threadcheck::sleep(Duration::from_millis(5));
            n2.fetch_add(1, Ordering::SeqCst);
        });
        h.join().unwrap();
        assert_eq!(n.load(Ordering::SeqCst), 1);
    });
}

fn timed_wait() {
    let ev = Event::new();
    ev.wait_timeout(Duration::from_millis(1));
}

// The checkers' own entry points are named here on purpose: this is the misuse under test.
#[cfg(loom)]
#[test]
#[should_panic(expected = "threadcheck::model")]
fn timed_wait_under_bare_loom_model_panics_with_what_to_use() {
    loom::model(timed_wait);
}

#[cfg(not(loom))]
#[test]
#[should_panic(expected = "threadcheck::model")]
fn timed_wait_under_bare_shuttle_panics_with_what_to_use() {
    shuttle::check_random(timed_wait, 10);
}

/// "Sleep so the other thread is ready": on the settled clock alone (no early advances) the
/// sleep ends only once every other thread is blocked or done, so it looks correct...
fn sleep_as_synchronization() {
    let ready = Arc::new(AtomicUsize::new(0));
    let r = ready.clone();
    let h = thread::spawn(move || r.store(1, Ordering::SeqCst));
    threadcheck::sleep(Duration::from_secs(1));
    assert_eq!(ready.load(Ordering::SeqCst), 1, "not ready after the sleep");
    h.join().unwrap();
}

#[test]
fn settled_clock_alone_cannot_catch_sleep_as_synchronization() {
    threadcheck::set_early_advances(0);
    threadcheck::model(sleep_as_synchronization);
    threadcheck::set_early_advances(1);
}

/// ...and one early advance (the default) finds the schedule where it is not.
#[test]
#[should_panic(expected = "not ready after the sleep")]
fn one_early_advance_catches_sleep_as_synchronization() {
    threadcheck::set_early_advances(1);
    threadcheck::model(sleep_as_synchronization);
}

/// A thread waiting forever on an event nobody sets is a deadlock, and is reported as one
/// even though another thread's timed wait kept the clock busy first: the driver does not
/// spin and time does not mask it.
#[test]
#[should_panic(expected = "deadlock")]
fn a_real_deadlock_next_to_timed_waits_is_reported() {
    threadcheck::model(|| {
        let never = Arc::new(Event::new());
        let n = never.clone();
        let h = thread::spawn(move || {
            threadcheck::sleep(Duration::from_millis(5));
        });
        n.wait();
        h.join().unwrap();
    });
}

/// `Lock::acquire_timeout` runs on the model clock too: held by the main thread until the
/// child gives up, the child's timed acquire must return `None`.
#[test]
fn lock_acquire_timeout_times_out_on_the_model_clock() {
    threadcheck::model(|| {
        let lock = Arc::new(threadcheck::Lock::new());
        let g = lock.acquire();
        let l = lock.clone();
        let h = thread::spawn(move || l.acquire_timeout(Duration::from_millis(10)).is_none());
        assert!(
            h.join().unwrap(),
            "acquire_timeout got a lock that stayed held"
        );
        drop(g);
    });
}
