//! SCTBench's `deadlock01`: two threads take two locks in opposite orders.

use crate::define_model;
use crate::harness::{Expect, Model};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Lock;

/// The deadlock01 models: the bug and its twin.
pub const ALL: &[&Model] = &[&DEADLOCK01, &DEADLOCK01_ORDERED];

struct Shared {
    a: Lock,
    b: Lock,
    counter: AtomicUsize,
}

fn two_threads(inverted: bool) {
    let s = Arc::new(Shared {
        a: Lock::named("a"),
        b: Lock::named("b"),
        counter: AtomicUsize::new(0),
    });
    let s1 = s.clone();
    let t1 = Builder::new().name("Thread-1").spawn(move || {
        let _ga = s1.a.acquire();
        let _gb = s1.b.acquire();
        s1.counter.fetch_add(1, Ordering::SeqCst);
    });
    let s2 = s.clone();
    let t2 = Builder::new().name("Thread-2").spawn(move || {
        let (first, second) = if inverted {
            (&s2.b, &s2.a)
        } else {
            (&s2.a, &s2.b)
        };
        let _g1 = first.acquire();
        let _g2 = second.acquire();
        s2.counter.fetch_add(1, Ordering::SeqCst);
    });
    t1.join().unwrap();
    t2.join().unwrap();
    assert_eq!(s.counter.load(Ordering::SeqCst), 2);
}

define_model! {
    /// After SCTBench's `deadlock01`: thread 1 takes lock `a` then `b` to bump a counter,
    /// thread 2 takes `b` then `a`. If each gets its first lock before the other's second,
    /// both wait forever: Deadlock. (The tutorial's `lock/two_lock_deadlock` is the same
    /// shape; this one keeps SCTBench's name so its row can stand beside the study's.) A
    /// lock-order checker sees the cycle a→b, b→a in the first execution that takes both.
    pub DEADLOCK01 = "bugs/deadlock01" {
        about: "two threads take locks a, b in opposite orders: deadlock",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        run: deadlock01,
    }
}

fn deadlock01(_n: usize) {
    two_threads(true);
}

define_model! {
    /// `bugs/deadlock01` fixed: both threads take `a` before `b`. One global order means no
    /// cycle of waits: Pass.
    pub DEADLOCK01_ORDERED = "bugs/deadlock01_ordered" {
        about: "two threads take locks a, b in the same order: no deadlock",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: deadlock01_ordered,
    }
}

fn deadlock01_ordered(_n: usize) {
    two_threads(false);
}
