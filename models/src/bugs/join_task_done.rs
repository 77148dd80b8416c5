//! Python practice: `Queue.join()` with a worker that forgets `task_done()` on one path.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::Arc;
use threadcheck::Queue;

/// The Queue.join models: the bug and its twin.
pub const ALL: &[&Model] = &[&JOIN_WITHOUT_TASK_DONE, &JOIN_WITH_TASK_DONE];

const BAD_ITEM: u32 = 0;

/// `n` workers each get one item and skip the bad one (an early `continue` in Python);
/// the main thread puts the items, then `q.join()`s.
fn workers(n: usize, always_done: bool) {
    let q = Arc::new(Queue::named("jobs", 0));
    let q2 = q.clone();
    let hs = spawn_n(n, move |_| {
        let item = q2.get().unwrap();
        if item == BAD_ITEM && !always_done {
            // THE BUG: the error path leaves without task_done().
            return;
        }
        q2.task_done().unwrap();
    });
    for i in 0..n {
        q.put(i as u32).unwrap();
    }
    q.join();
    join_all(hs);
}

define_model! {
    /// A Python worker pool: `item = q.get(); if bad(item): continue; process(item);
    /// q.task_done()`, and the producer ends with `q.join()`. The error path skips
    /// `task_done()`, so the count of unfinished tasks never reaches 0 and `join()` waits
    /// forever: Deadlock. It hangs on every schedule (the bad item is always put): a checker
    /// finds it in the first execution; it is here because it is the commonest `join()`
    /// hang in practice, and the table should show that every checker reports it at once.
    pub JOIN_WITHOUT_TASK_DONE = "bugs/join_without_task_done" {
        about: "a worker's error path skips task_done(): q.join() waits forever",
        expect: Expect::Deadlock,
        loom: [2],
        shuttle: 3,
        real: None,
        preemptions: None,
        run: join_without_task_done,
    }
}

fn join_without_task_done(n: usize) {
    workers(n, false);
}

define_model! {
    /// `bugs/join_without_task_done` fixed: `task_done()` runs on every path (Python:
    /// `try: ... finally: q.task_done()`), so `join()` returns once every item is handled:
    /// Pass.
    pub JOIN_WITH_TASK_DONE = "bugs/join_with_task_done" {
        about: "task_done() on every path: q.join() returns",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: join_with_task_done,
    }
}

fn join_with_task_done(n: usize) {
    workers(n, true);
}
