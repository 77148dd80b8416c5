//! The tutorial's counter without its lock.

use crate::define_model;
use crate::harness::Expect;
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;

define_model! {
    /// The tutorial's `count += 1` without the lock, spelled out as what it compiles to: read
    /// the counter, then write back the value plus one. Two threads can both read 0 and both
    /// write 1. Each access is atomic, so this is no data race — it is a lost update, found
    /// by the assertion on the total: Panic("lost update").
    pub LOST_UPDATE = "bugs/lost_update" {
        about: "count += 1 as read-then-write without a lock loses updates",
        expect: Expect::Panic("lost update"),
        loom: [2],
        shuttle: 10,
        real: None,
        preemptions: None,
        run: lost_update,
    }
}

fn lost_update(n: usize) {
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    join_all(spawn_n(n, move |_| {
        let v = c.load(Ordering::SeqCst);
        c.store(v + 1, Ordering::SeqCst);
    }));
    assert_eq!(
        count.load(Ordering::SeqCst),
        n,
        "lost update: {n} increments, total {}",
        count.load(Ordering::SeqCst)
    );
}
