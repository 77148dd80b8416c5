//! Deadlocks before they happen: lock-order checking (`threadcheck::lock_order`) and wait-for
//! cycles reported as they form.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::join_all;
use std::time::Duration;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::{Builder, JoinHandle};
use threadcheck::{Event, Lock};

/// All lock-order models.
pub const ALL: &[&Model] = &[
    &INVERTED_ORDER_FOUND_IN_ONE_SCHEDULE,
    &GATE_LOCK_ALLOWS_INVERSION,
    &PHASED_INVERSION_OPT_OUT,
    &PARTIAL_DEADLOCK_WITH_TICKING_THREAD,
];

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> JoinHandle<()> {
    Builder::new().name(name).spawn(f)
}

fn locks() -> (Arc<Lock>, Arc<Lock>) {
    (Arc::new(Lock::named("A")), Arc::new(Lock::named("B")))
}

/// Takes `first`, then `second`, holding both.
fn both(first: &Lock, second: &Lock) {
    let _x = first.acquire();
    let _y = second.acquire();
}

define_model! {
    /// The tutorial split in two: Thread-1 runs `f1` (A, then B), Thread-2 runs `f2` (B, then
    /// A). Without lock-order checking a checker must hit the one interleaving where each
    /// holds its first lock (loom's search gets there after a few executions; shuttle's random
    /// scheduler finds it in the first iteration on 701 of 1000 seeds, PCT on none). With it,
    /// every schedule reports it: the schedules that deadlock pass through both orders' edges
    /// before the second thread blocks, and the ones that do not run both orders to the end.
    /// So loom reports it in its first execution and shuttle in its first iteration on every
    /// seed: Deadlock (reported as `potential deadlock (lock order)`).
    pub INVERTED_ORDER_FOUND_IN_ONE_SCHEDULE = "lockorder/inverted_order_found_in_one_schedule" {
        about: "Thread-1 takes A then B, Thread-2 B then A: reported in the first execution",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        run: inverted_order,
    }
}

fn inverted_order(_n: usize) {
    let (a, b) = locks();
    let (a1, b1) = (a.clone(), b.clone());
    let t1 = spawn("Thread-1", move || both(&a1, &b1));
    let t2 = spawn("Thread-2", move || both(&b, &a));
    join_all(vec![t1, t2]);
}

define_model! {
    /// The gate lock: the same two orders, A then B and B then A, but each taken under one
    /// outer lock G. G lets one thread at a time into either order, so no thread can hold A
    /// while another holds B: no deadlock. Lockdep reports this ("possible circular locking"),
    /// as a check that only looks at pairs must; here every edge of the cycle remembers the
    /// locks held whenever it was taken, and a cycle whose edges all had G held is not
    /// reported. Pass, with lock-order checking on.
    pub GATE_LOCK_ALLOWS_INVERSION = "lockorder/gate_lock_allows_inversion" {
        about: "A then B and B then A, always under an outer lock G: no deadlock, no report",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 4,
        real: Some(4),
        preemptions: None,
        run: gate_lock,
    }
}

fn gate_lock(n: usize) {
    let g = Arc::new(Lock::named("G"));
    let (a, b) = locks();
    let hs = (1..=n)
        .map(|i| {
            let (g, a, b) = (g.clone(), a.clone(), b.clone());
            spawn(&format!("Thread-{i}"), move || {
                let _g = g.acquire();
                if i % 2 == 1 {
                    both(&a, &b)
                } else {
                    both(&b, &a)
                }
            })
        })
        .collect();
    join_all(hs);
}

define_model! {
    /// An inversion that is safe for a reason no lock shows: Thread-1 takes A then B and then
    /// sets an `Event`; Thread-2 waits for the event, then takes B then A. The two orders never
    /// overlap, so nothing deadlocks — but the lock-order check sees A → B and B → A and
    /// reports them (it would on any run). This is what the opt-out is for: the model sets
    /// `lock_order: false` (a user's test: `Builder::lock_order(false)` or
    /// `THREADCHECK_LOCK_ORDER=0`), and the checkers judge the schedules alone. Pass.
    pub PHASED_INVERSION_OPT_OUT = "lockorder/phased_inversion_opt_out" {
        about: "A then B, an Event, then B then A: never at once; opts out of lock order",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        lock_order: false,
        run: phased_inversion,
    }
}

/// The program of [`PHASED_INVERSION_OPT_OUT`].
pub fn phased_inversion(_n: usize) {
    let (a, b) = locks();
    let first_done = Arc::new(Event::named("first_done"));
    let (a1, b1, done1) = (a.clone(), b.clone(), first_done.clone());
    let t1 = spawn("Thread-1", move || {
        both(&a1, &b1);
        done1.set();
    });
    let t2 = spawn("Thread-2", move || {
        first_done.wait();
        both(&b, &a);
    });
    join_all(vec![t1, t2]);
}

define_model! {
    /// Two threads deadlock while a third keeps ticking. Thread-1 takes A and Thread-2 takes
    /// B; each tells the other (an `Event`), then reaches for the other's lock: a deadlock in
    /// every schedule. Meanwhile main polls with `sleep` on the model clock until both are
    /// done. loom and shuttle report a deadlock only when no thread can run, and main always
    /// can: its sleeps time out, so the execution never ends (loom gives up at its branch
    /// limit, shuttle at its step limit). threadcheck sees the wait-for cycle when the second
    /// thread blocks, and reports it then. The model turns lock-order checking off, to show
    /// the wait-for check alone finding it (with it on, the inverted order is reported one
    /// step earlier). Deadlock, by every checker.
    pub PARTIAL_DEADLOCK_WITH_TICKING_THREAD = "lockorder/partial_deadlock_with_ticking_thread" {
        about: "two threads deadlock on A and B while main ticks on sleep: reported as it forms",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        lock_order: false,
        run: partial_deadlock,
    }
}

/// The program of [`PARTIAL_DEADLOCK_WITH_TICKING_THREAD`].
pub fn partial_deadlock(_n: usize) {
    let (a, b) = locks();
    let done = Arc::new(AtomicUsize::new(0));
    let (a_held, b_held) = (
        Arc::new(Event::named("a_held")),
        Arc::new(Event::named("b_held")),
    );
    let side =
        |name: &str, mine: Arc<Lock>, theirs: Arc<Lock>, held: Arc<Event>, other: Arc<Event>| {
            let done = done.clone();
            spawn(name, move || {
                let _m = mine.acquire();
                held.set();
                other.wait();
                let _t = theirs.acquire();
                done.fetch_add(1, Ordering::SeqCst);
            })
        };
    let t1 = side(
        "Thread-1",
        a.clone(),
        b.clone(),
        a_held.clone(),
        b_held.clone(),
    );
    let t2 = side("Thread-2", b, a, b_held, a_held);
    while done.load(Ordering::SeqCst) < 2 {
        threadcheck::sleep(Duration::from_millis(10));
    }
    join_all(vec![t1, t2]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadcheck::model::{Builder as Check, FailureKind};

    #[test]
    fn the_phased_inversion_needs_its_opt_out() {
        let failure = Check::new()
            .lock_order(true)
            .run(|| phased_inversion(2))
            .expect_err("two orders of A and B");
        assert_eq!(failure.kind, FailureKind::LockOrder, "{failure}");
        assert!(
            failure.message.contains("Lock A → Lock B → Lock A"),
            "{failure}"
        );
    }
}
