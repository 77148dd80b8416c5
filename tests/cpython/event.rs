//! `lock_tests.py`: EventTests.

use super::*;
use std::sync::Arc;
use threadcheck::Event;

#[test]
fn event_is_set() {
    check(|| {
        let evt = Event::new();
        assert!(!evt.is_set());
        evt.set();
        assert!(evt.is_set());
        evt.set();
        assert!(evt.is_set());
        evt.clear();
        assert!(!evt.is_set());
        evt.clear();
        assert!(!evt.is_set());
    });
}

/// All threads get notified, and each `wait()` returns true.
fn check_notify(evt: &Arc<Event>) {
    let n = size(5, 2);
    let (results1, results2) = (log(), log());
    let (e, r1, r2) = (evt.clone(), results1.clone(), results2.clone());
    let hs = bunch(n, move || {
        r1.push(e.wait());
        r2.push(e.wait());
    });
    wait_threads_blocked(n);
    assert_eq!(results1.len(), 0);
    evt.set();
    finish(hs);
    assert_eq!(results1.get(), vec![true; n]);
    assert_eq!(results2.get(), vec![true; n]);
}

#[test]
fn event_notify() {
    check(|| {
        let evt = Arc::new(Event::new());
        check_notify(&evt);
        // Another time, after an explicit clear().
        evt.set();
        evt.clear();
        check_notify(&evt);
    });
}

#[test]
fn event_timeout() {
    check(|| {
        let evt = Arc::new(Event::new());
        let n = size(5, 2);
        let run = |evt: &Arc<Event>| {
            let (results1, results2) = (log(), log());
            let (e, r1, r2) = (evt.clone(), results1.clone(), results2.clone());
            finish(bunch(n, move || {
                r1.push(e.wait_timeout(Duration::ZERO));
                let t0 = threadcheck::Instant::now();
                let r = e.wait_timeout(ms(500));
                r2.push((r, since(t0)));
            }));
            (results1.get(), results2.get())
        };
        let (r1, r2) = run(&evt);
        assert_eq!(r1, vec![false; n]);
        for (r, dt) in r2 {
            assert!(!r);
            assert!(dt >= ms(500), "timed out after {dt:?}");
        }
        // The event is set.
        evt.set();
        let (r1, r2) = run(&evt);
        assert_eq!(r1, vec![true; n]);
        assert!(r2.iter().all(|(r, _)| *r));
    });
}

/// gh-57711: `wait()` returns true even when the event is cleared before the waiting thread
/// is woken up. On the settled model clock the sleep ends with every waiter blocked
/// (CPython's test sleeps for the same reason). On real threads, a waiter not yet blocked
/// when `set(); clear()` runs would time out (the long timeout), and the test would fail.
#[test]
fn event_set_and_clear() {
    check(|| {
        let event = Arc::new(Event::new());
        let results = log();
        let n = size(5, 2);
        let (e, r) = (event.clone(), results.clone());
        let hs = bunch(n, move || r.push(e.wait_timeout(Duration::from_secs(30))));
        wait_threads_blocked(n);
        event.set();
        event.clear();
        finish(hs);
        assert_eq!(results.get(), vec![true; n]);
    });
}

#[test]
fn event_repr() {
    check(|| {
        let evt = Event::new();
        assert!(format!("{evt:?}").contains("set: false"), "{evt:?}");
        evt.set();
        assert!(format!("{evt:?}").contains("set: true"), "{evt:?}");
    });
}
