//! What a primitive is called, in `name()`, `Debug` and a counterexample: the user's names
//! must reach the report. (Mutants that dropped a name or a guard's `Debug` survived
//! `ci/mutants`; these tests kill them.)

use threadcheck::model::Builder;
use threadcheck::{BoundedSemaphore, Lock, Queue, Semaphore};

// Inside `threadcheck::model`: under the checkers a primitive belongs to an execution.
#[test]
fn a_named_lock_keeps_its_name() {
    threadcheck::model(|| {
        assert_eq!(Lock::named("A").name(), Some("A"));
        assert_eq!(Lock::new().name(), None);
    });
}

#[test]
fn debug_shows_the_name_and_whether_it_is_held() {
    threadcheck::model(|| {
        let a = Lock::named("A");
        assert_eq!(
            format!("{a:?}"),
            r#"Lock { name: Some("A"), locked: false }"#
        );
        let g = a.acquire();
        assert_eq!(
            format!("{g:?}"),
            r#"LockGuard { lock: Lock { name: Some("A"), locked: true } }"#
        );
    });
}

/// The counterexample of `body`, which must end in a deadlock, found within 10 iterations.
fn deadlock_report(b: Builder, body: fn()) -> String {
    b.iterations(10)
        .run(body)
        .expect_err("the body can only deadlock")
        .report()
}

/// A semaphore nobody releases: the report says who waits for which semaphore. Model builds
/// only (on real threads the body would block for ever).
fn waits_for(body: fn(), what: &str) {
    if threadcheck::backend() == "production" {
        return;
    }
    let report = deadlock_report(Builder::new(), body);
    assert!(
        report.contains(&format!("main waits for {what}")),
        "expected `main waits for {what}` in:\n{report}"
    );
}

#[test]
fn a_semaphore_deadlock_names_the_semaphore_waited_for() {
    waits_for(|| drop(Semaphore::named(0, "S").acquire()), "Semaphore S");
    waits_for(
        || drop(BoundedSemaphore::named(0, "B").acquire()),
        "BoundedSemaphore B",
    );
}

/// Every error says what happened, in words a user can act on; each variant differently.
#[test]
fn each_error_displays_what_happened() {
    use threadcheck::{
        BarrierError, GetError, GetTimeoutError, PutError, PutTimeoutError, ReleaseError,
        TaskDoneError, TimerError, TryGetError, TryPutError,
    };
    let shown: Vec<(String, &str)> = vec![
        (BarrierError::Broken.to_string(), "the barrier is broken"),
        (
            BarrierError::Timeout.to_string(),
            "timed out waiting at the barrier (it is now broken)",
        ),
        (
            ReleaseError::Unlocked.to_string(),
            "release of an unlocked lock",
        ),
        (
            ReleaseError::NotOwner.to_string(),
            "release of an RLock by a thread that does not own it",
        ),
        (
            ReleaseError::TooManyReleases.to_string(),
            "semaphore released too many times (above its initial value)",
        ),
        (
            ReleaseError::ZeroPermits.to_string(),
            "semaphore release(0): n must be one or more",
        ),
        (
            TimerError::AlreadyStarted.to_string(),
            "the timer was already started",
        ),
        (PutError(1).to_string(), "put on a queue that is shut down"),
        (TryPutError::Full(1).to_string(), "put on a full queue"),
        (
            TryPutError::ShutDown(1).to_string(),
            "put on a queue that is shut down",
        ),
        (
            PutTimeoutError::Timeout(1).to_string(),
            "timed out waiting on a full queue",
        ),
        (
            PutTimeoutError::ShutDown(1).to_string(),
            "put on a queue that is shut down",
        ),
        (GetError.to_string(), "the queue is shut down"),
        (TryGetError::Empty.to_string(), "get on an empty queue"),
        (TryGetError::ShutDown.to_string(), "the queue is shut down"),
        (
            GetTimeoutError::Timeout.to_string(),
            "timed out waiting on an empty queue",
        ),
        (
            GetTimeoutError::ShutDown.to_string(),
            "the queue is shut down",
        ),
        (
            TaskDoneError.to_string(),
            "task_done() called too many times",
        ),
    ];
    for (got, want) in shown {
        assert_eq!(got, want);
    }
    // Debug needs no `T: Debug`: the item is elided, the variant shown.
    struct Opaque;
    assert_eq!(format!("{:?}", PutError(Opaque)), "PutError(..)");
    assert_eq!(format!("{:?}", TryPutError::Full(Opaque)), "Full(..)");
    assert_eq!(
        format!("{:?}", TryPutError::ShutDown(Opaque)),
        "ShutDown(..)"
    );
    assert_eq!(
        format!("{:?}", PutTimeoutError::Timeout(Opaque)),
        "Timeout(..)"
    );
    assert_eq!(
        format!("{:?}", PutTimeoutError::ShutDown(Opaque)),
        "ShutDown(..)"
    );
}

/// `Debug` of each primitive shows its name and its state now, as a user's `dbg!` needs.
#[test]
fn each_primitive_debugs_its_name_and_state() {
    use std::time::Duration;
    use threadcheck::cell::RaceCell;
    use threadcheck::{Barrier, Condition, Event, Queue, RLock, Timer};
    threadcheck::model(|| {
        let e = Event::named("E");
        assert_eq!(format!("{e:?}"), r#"Event { name: Some("E"), set: false }"#);
        e.set();
        assert_eq!(format!("{e:?}"), r#"Event { name: Some("E"), set: true }"#);

        let r = RLock::named("R");
        assert_eq!(r.name(), Some("R"));
        assert_eq!(RLock::new().name(), None);
        assert_eq!(
            format!("{r:?}"),
            r#"RLock { name: Some("R"), locked: false }"#
        );
        let g = r.acquire();
        assert_eq!(
            format!("{g:?}"),
            r#"RLockGuard { lock: RLock { name: Some("R"), locked: true } }"#
        );
        drop(g);

        let s = Semaphore::named(2, "S");
        assert_eq!(
            format!("{s:?}"),
            r#"Semaphore { name: Some("S"), value: 2 }"#
        );
        let p = s.acquire();
        assert_eq!(
            format!("{s:?}"),
            r#"Semaphore { name: Some("S"), value: 1 }"#
        );
        assert_eq!(format!("{p:?}"), "SemaphoreGuard { .. }");
        drop(p);
        let b = BoundedSemaphore::named(1, "B");
        assert_eq!(
            format!("{b:?}"),
            r#"BoundedSemaphore { name: Some("B"), value: 1, bound: 1 }"#
        );
        assert_eq!(format!("{:?}", b.acquire()), "BoundedSemaphoreGuard { .. }");

        let q: Queue<u8> = Queue::named("Q", 2);
        q.put(1).unwrap();
        assert_eq!(
            format!("{q:?}"),
            r#"Queue { name: Some("Q"), maxsize: 2, len: 1, unfinished_tasks: 1, shut_down: false }"#
        );

        let bar = Barrier::new(3).with_timeout(Duration::from_secs(1));
        assert_eq!(
            format!("{bar:?}"),
            "Barrier { parties: 3, timeout: Some(1s), phase: Filling, count: 0 }"
        );

        let c = Condition::new();
        assert_eq!(
            format!("{c:?}"),
            "Condition { lock: Lock { name: None, locked: false }, .. }"
        );
        assert_eq!(format!("{:?}", c.acquire()), "ConditionGuard { .. }");
        assert_eq!(format!("{:?}", RaceCell::new(1)), "RaceCell { .. }");

        let t = Timer::new(Duration::from_secs(5), || {});
        assert_eq!(
            format!("{t:?}"),
            r#"Timer { state: "NotStarted", interval: 5s }"#
        );
        if threadcheck::backend() == "loom" {
            return; // a started timer's service thread: more schedules than this test is worth
        }
        t.start().unwrap();
        // A model clock may fire it early (a loaded machine does): then it runs or is done.
        let shown = format!("{t:?}");
        let started = ["Pending", "Running", "Done"]
            .map(|s| format!(r#"Timer {{ state: "{s}", interval: 5s }}"#));
        assert!(started.contains(&shown), "{shown}");
        let state = if t.cancel() { "Cancelled" } else { "Done" };
        t.join();
        assert_eq!(
            format!("{t:?}"),
            format!(r#"Timer {{ state: "{state}", interval: 5s }}"#)
        );
        let done = Timer::new(Duration::ZERO, || {});
        done.start().unwrap();
        done.join();
        assert_eq!(
            format!("{done:?}"),
            r#"Timer { state: "Done", interval: 0ns }"#
        );
    });
}

#[test]
fn a_queue_deadlock_names_the_queue_waited_for() {
    // A put on a full queue nobody gets from (mutant killed: the put's Blocks event dropped).
    waits_for(
        || {
            let q = Queue::named("Q", 1);
            q.put(1).unwrap();
            q.put(2).unwrap();
        },
        "Queue Q",
    );
    // A join on a queue whose task nobody finishes.
    waits_for(
        || {
            let q = Queue::named("J", 0);
            q.put(1).unwrap();
            q.join();
        },
        "Queue J",
    );
}

#[test]
fn a_join_with_nothing_unfinished_does_not_wait() {
    // The join returns at once, so the report that follows shows no wait for the queue
    // (mutant killed: join traced a wait whenever it was called).
    if threadcheck::backend() == "production" {
        return;
    }
    let report = settled_report(|| {
        let q = Queue::<u8>::named("D", 0);
        q.join();
        self_deadlock();
    });
    assert!(
        report.contains("waits for Lock L (held by main)"),
        "{report}"
    );
    assert!(
        !report.contains("waits for Queue D"),
        "join waited?\n{report}"
    );
}

/// The report of `body`, which must end in a deadlock, on the settled clock: a sleep ends
/// only once every other thread is blocked.
fn settled_report(body: fn()) -> String {
    deadlock_report(Builder::new().early_timeouts(0), body)
}

fn self_deadlock() {
    let l = Lock::named("L");
    let _held = l.acquire();
    let _again = l.acquire();
}

/// A notify that wakes a waiter, and a set that wakes one, are steps of the counterexample;
/// a set that wakes nobody is only a set. (Mutants killed: the condition's `Notified` event
/// dropped; the event's `Notified` traced when nobody waited and not when someone did.)
#[test]
fn a_wake_up_is_a_step_of_the_report_and_a_set_with_nobody_waiting_is_not() {
    use std::sync::Arc;
    use std::time::Duration;
    use threadcheck::{thread, Condition, Event};
    if threadcheck::backend() == "production" {
        return;
    }
    let report = settled_report(|| {
        let c = Arc::new(Condition::new());
        let c2 = c.clone();
        let waiter = thread::spawn(move || assert!(c2.acquire().wait()));
        threadcheck::sleep(Duration::from_millis(10)); // the waiter waits
        drop((c.acquire(), c.notify_all()));
        waiter.join().unwrap();
        self_deadlock();
    });
    assert!(report.contains("notified Condition"), "{report}");
    let report = settled_report(|| {
        let ev = Arc::new(Event::named("E"));
        let ev2 = ev.clone();
        let waiter = thread::spawn(move || assert!(ev2.wait()));
        threadcheck::sleep(Duration::from_millis(10)); // the waiter waits
        ev.set();
        waiter.join().unwrap();
        self_deadlock();
    });
    assert!(report.contains("notified Event E"), "{report}");
    let report = settled_report(|| {
        Event::named("Q").set();
        self_deadlock();
    });
    assert!(report.contains("set Event Q"), "{report}");
    assert!(!report.contains("notified Event Q"), "{report}");
}
