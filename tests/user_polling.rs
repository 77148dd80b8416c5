//! A polling loop — `while !done.load(..) { threadcheck::sleep(..) }`, or with
//! `thread::yield_now()` — ends under every checker, as it does on real threads: a sleep that
//! ends because nothing else could run yields to loom, whose loads then stop returning values
//! the poller has already seen.

use std::sync::Arc;
use std::time::Duration;
use threadcheck::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use threadcheck::thread;

/// Main polls, with sleeps, until the worker has counted.
fn sleep_polling() {
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    let worker = thread::spawn(move || {
        c.fetch_add(1, Ordering::Release);
    });
    while count.load(Ordering::Relaxed) < 1 {
        threadcheck::sleep(Duration::from_millis(10));
    }
    worker.join().unwrap();
}

/// Main spins with `yield_now` until the worker sets the flag.
fn yield_polling() {
    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    let worker = thread::spawn(move || d.store(true, Ordering::Release));
    while !done.load(Ordering::Relaxed) {
        thread::yield_now();
    }
    worker.join().unwrap();
}

#[test]
fn a_sleep_polling_loop_finishes() {
    let stats = threadcheck::model::Builder::new().check(sleep_polling);
    assert!(stats.executions >= 1);
}

#[test]
fn a_sleep_zero_polling_loop_finishes() {
    threadcheck::model(|| {
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        let worker = thread::spawn(move || d.store(true, Ordering::Release));
        while !done.load(Ordering::Relaxed) {
            threadcheck::sleep(Duration::ZERO);
        }
        worker.join().unwrap();
    });
}

#[test]
fn a_yield_polling_loop_finishes() {
    threadcheck::model(yield_polling);
}
