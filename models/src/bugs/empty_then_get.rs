//! Python's `if not q.empty(): q.get()` idiom, on a correct queue.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::Arc;
use threadcheck::Queue;

/// The empty-then-get models: the bug and its twin.
pub const ALL: &[&Model] = &[&EMPTY_THEN_GET, &TRY_GET];

define_model! {
    /// A common Python idiom: `if not q.empty(): item = q.get()`. The queue is correct, the
    /// program is not: `empty()` is a snapshot. With one item and two consumers, both can see
    /// a non-empty queue; one gets the item and the other blocks in `get` forever, and the
    /// main thread waits for it in `join`. Deadlock. The fix is `try_get` (Python's
    /// `get_nowait`), which decides and takes in one step.
    pub EMPTY_THEN_GET = "bugs/empty_then_get" {
        about: "if !q.is_empty() { q.get() } with two consumers blocks one forever",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 3,
        real: None,
        preemptions: None,
        run: empty_then_get,
    }
}

fn empty_then_get(n: usize) {
    let q = Arc::new(Queue::named("q", 0));
    q.put(1).unwrap();
    let q2 = q.clone();
    join_all(spawn_n(n, move |_| {
        if !q2.is_empty() {
            let _ = q2.get();
        }
    }));
}

define_model! {
    /// `bugs/empty_then_get` fixed: each consumer calls `try_get` (Python: `get_nowait()`),
    /// which decides "empty?" and takes the item in one step under the queue's lock. One
    /// consumer gets the item, the other gets `Empty` and leaves: Pass.
    pub TRY_GET = "bugs/try_get" {
        about: "q.try_get() with two consumers: one gets the item, one gets Empty",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: try_get,
    }
}

fn try_get(n: usize) {
    let q = Arc::new(Queue::named("q", 0));
    q.put(1).unwrap();
    let q2 = q.clone();
    join_all(spawn_n(n, move |_| {
        let _ = q2.try_get();
    }));
    assert!(q.is_empty(), "the item was neither taken nor left");
}
