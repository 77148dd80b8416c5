//! The production `Event`'s fast path, checked by loom: the flag lives in an atomic word
//! beside the mutex (`src/rt/raw_event.rs`), so `set()` with nobody waiting and `is_set()`
//! never take the mutex. These models compile that shape on loom's atomics. A waiter
//! registers with a compare-exchange that fails if the flag appears; a `set()` that sees a
//! registered waiter takes the mutex and wakes it. No schedule may lose that wakeup, and a
//! waiter woken by `set()` returns even if `clear()` runs first (CPython gh-57711). The last
//! model breaks `set()` on purpose and shows loom catching the lost wakeup.
//!
//! All unbounded (exhaustive).
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release --test fastpath_event`
#![cfg(loom)]

use loom::thread;
use std::sync::Arc;
use threadcheck::__fastpath_more::FlagEvent;

#[path = "common/loom_count.rs"]
mod loom_count;
use loom_count::model;

/// A waiter and a setter: the waiter always returns, and sees the flag set.
#[test]
fn set_wakes_a_waiter_in_every_schedule() {
    model(|| {
        let ev = Arc::new(FlagEvent::new());
        let e = ev.clone();
        let waiter = thread::spawn(move || {
            assert!(e.wait());
            assert!(e.is_set(), "nothing clears it here");
        });
        ev.set();
        waiter.join().unwrap();
    });
}

/// Two waiters, one set: both wake (a `set()` wakes every waiter, however they interleave
/// with registering and with each other's leaving, which clears the waiter bit).
#[test]
fn set_wakes_every_waiter() {
    model(|| {
        let ev = Arc::new(FlagEvent::new());
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let e = ev.clone();
                thread::spawn(move || assert!(e.wait()))
            })
            .collect();
        ev.set();
        hs.into_iter().for_each(|h| h.join().unwrap());
    });
}

/// set(), clear(), set() against one waiter, in every interleaving with its registration:
/// it always returns (whichever set it hears, or the flag it sees).
#[test]
fn set_clear_set_never_strands_the_waiter() {
    model(|| {
        let ev = Arc::new(FlagEvent::new());
        let e = ev.clone();
        let waiter = thread::spawn(move || assert!(e.wait()));
        ev.set();
        ev.clear();
        ev.set();
        waiter.join().unwrap();
    });
}

/// A waiter registered before set() returns even though clear() follows at once and no
/// second set comes: the generation count (re-checking the flag alone would send it back to
/// sleep, and loom would report the deadlock).
#[test]
fn registered_waiter_survives_set_then_clear() {
    model(|| {
        let ev = Arc::new(FlagEvent::new());
        let e = ev.clone();
        let waiter = thread::spawn(move || assert!(e.wait()));
        while !ev.has_waiters() {
            thread::yield_now();
        }
        ev.set();
        ev.clear();
        waiter.join().unwrap();
        assert!(!ev.is_set());
    });
}

/// A `set()` that never looks for waiters (clears nothing, wakes nobody): loom finds the
/// schedule where the waiter registered first and sleeps forever.
#[test]
fn set_that_forgets_waiters_loses_a_wakeup() {
    let r = std::panic::catch_unwind(|| {
        model(|| {
            let ev = Arc::new(FlagEvent::new());
            let e = ev.clone();
            let waiter = thread::spawn(move || assert!(e.wait()));
            ev.set_forgetting_waiters();
            waiter.join().unwrap();
        })
    });
    let msg = r.expect_err("loom must find the lost wakeup");
    let msg = msg
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| msg.downcast_ref::<&str>().copied())
        .unwrap_or("");
    assert!(msg.contains("deadlock"), "expected a deadlock, got: {msg}");
}
