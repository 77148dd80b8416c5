//! The production `Queue`'s fast path, checked by loom: before parking, a blocked `put` or
//! `get` lets the mutex go and watches a length hint (`src/rt/handoff.rs`), so a thread that
//! spins is *not* counted as a waiter and the other side does not notify it. These models
//! compile that shape on loom's atomics (the spin cut to one look at the hint, each look a
//! scheduling point) and check that nothing is lost: a spinner that misses the change
//! re-checks under the mutex and waits, counted, before the other side can act again.
//!
//! The library's corpus checks `Queue` in its model shape (no spin); these check the shape
//! production runs. Unbounded (exhaustive) but where noted.
//!
//! `RUSTFLAGS="--cfg loom" cargo test --release --test fastpath_queue`
#![cfg(loom)]

use loom::thread;
use std::sync::Arc;
use threadcheck::__fastpath_more::SpinQueue;

#[path = "common/loom_count.rs"]
mod loom_count;
use loom_count::{model, model_bounded};

/// One producer, one consumer, capacity 2 (production parks at once at capacity 1, so the
/// models use 2 to reach the spin), four items: a put may find the queue full and a get may
/// find it empty, so both sides spin and park. All items arrive,
/// in order (a lost wakeup would be a loom deadlock).
#[test]
fn spsc_capacity_two_loses_no_item_and_keeps_order() {
    model(|| {
        let q = Arc::new(SpinQueue::new(2));
        let p = q.clone();
        let producer = thread::spawn(move || (1..=4).for_each(|i| assert!(p.put(i))));
        let got: Vec<usize> = (0..4).map(|_| q.get().unwrap()).collect();
        producer.join().unwrap();
        assert_eq!(got, [1, 2, 3, 4]);
        assert!(q.is_empty());
    });
}

/// Two producers, one consumer, capacity 2: each producer's items arrive in its order and
/// none is lost or doubled. Three threads: preemption bound 3.
#[test]
fn two_producers_keep_their_order() {
    model_bounded(3, || {
        let q = Arc::new(SpinQueue::new(2));
        let hs: Vec<_> = [10, 20]
            .into_iter()
            .map(|base| {
                let q = q.clone();
                thread::spawn(move || (1..=2).for_each(|i| assert!(q.put(base + i))))
            })
            .collect();
        let got: Vec<usize> = (0..4).map(|_| q.get().unwrap()).collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        for base in [10, 20] {
            let mine: Vec<usize> = got
                .iter()
                .copied()
                .filter(|v| v / 10 * 10 == base)
                .collect();
            assert_eq!(mine, [base + 1, base + 2], "got {got:?}");
        }
    });
}

/// Two consumers and one producer of two items: whichever consumer spins or parks, each item
/// is got exactly once and both consumers return.
#[test]
fn two_consumers_each_get_one() {
    model_bounded(3, || {
        let q = Arc::new(SpinQueue::new(2));
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let q = q.clone();
                thread::spawn(move || q.get().unwrap())
            })
            .collect();
        assert!(q.put(1));
        assert!(q.put(2));
        let mut got: Vec<usize> = hs.into_iter().map(|h| h.join().unwrap()).collect();
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
    });
}

/// A getter spinning or parked on an empty queue leaves when the queue shuts down, and a
/// putter blocked on a full one leaves with its item refused.
#[test]
fn shutdown_releases_spinning_and_parked_threads() {
    model(|| {
        let q = Arc::new(SpinQueue::new(2));
        assert!(q.put(7));
        assert!(q.put(6));
        let p = q.clone();
        let putter = thread::spawn(move || p.put(8));
        let discarded = q.shutdown(true);
        let refused = !putter.join().unwrap();
        // The putter either got in before the shutdown (its item discarded with 7 and 6) or
        // was refused.
        match discarded.as_slice() {
            [7, 6] => assert!(refused),
            [7, 6, 8] => assert!(!refused),
            other => panic!("discarded {other:?}"),
        }
        assert_eq!(q.get(), None);
    });
}
