//! SCTBench's `din_phil`: dining philosophers, each taking the left fork, then the right.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::{Lock, Semaphore};

/// The dining philosophers: 3 and 5 at the table, and the two classic fixes.
pub const ALL: &[&Model] = &[&DIN_PHIL3, &DIN_PHIL5, &DIN_PHIL_ORDERED, &DIN_PHIL_FOOTMAN];

const FORKS: [&str; 5] = ["fork0", "fork1", "fork2", "fork3", "fork4"];

#[derive(Clone, Copy)]
enum Manners {
    /// Left fork, then right: the cycle.
    LeftFirst,
    /// Lower-numbered fork first: one global order.
    Ordered,
    /// Left first, but a footman (`Semaphore(n - 1)`) seats at most n-1 at once.
    Footman,
}

fn dinner(n: usize, manners: Manners) {
    let forks: Arc<Vec<Lock>> = Arc::new(FORKS[..n].iter().copied().map(Lock::named).collect());
    let footman = Arc::new(Semaphore::named(n - 1, "footman"));
    let meals = Arc::new(AtomicUsize::new(0));
    let (f, s, m) = (forks.clone(), footman.clone(), meals.clone());
    join_all(spawn_n(n, move |i| {
        let (left, right) = (i - 1, i % n);
        let (first, second) = match manners {
            Manners::Ordered => (left.min(right), left.max(right)),
            _ => (left, right),
        };
        let _seat = matches!(manners, Manners::Footman).then(|| s.acquire());
        let _g1 = f[first].acquire();
        let _g2 = f[second].acquire();
        m.fetch_add(1, Ordering::SeqCst);
    }));
    assert_eq!(meals.load(Ordering::SeqCst), n, "a philosopher went hungry");
}

define_model! {
    /// After SCTBench's `din_phil` with 3 philosophers: each philosopher is a thread that
    /// takes the fork on its left, then the one on its right (each fork a `Lock`), eats once
    /// and puts both down. If all pick up their left fork before anyone their right, each
    /// waits for a neighbour forever: Deadlock. The cycle of "acquired while holding" edges
    /// fork0→fork1→fork2→fork0 is there in every execution, so the lock-order checker (on
    /// by default in the model builds) reports it in the first, under every checker. Without
    /// it (`threadcheck stats`' scheduler columns) shuttle's DFS misses it: it backtracks the
    /// last choices first, the deadlock needs a switch in the first few steps, and a
    /// 100,000-execution cap runs out before it gets there.
    pub DIN_PHIL3 = "bugs/din_phil3" {
        about: "3 philosophers take left fork then right: deadlock",
        expect: Expect::Deadlock,
        loom: [3],
        shuttle: 3,
        real: None,
        preemptions: None,
        run: din_phil,
    }
}

define_model! {
    /// `bugs/din_phil3` with 5 philosophers under shuttle (SCTBench's `din_phil5`). loom
    /// allows 5 threads in all, so it seats 4 (4 philosophers and the main thread): the same
    /// cycle, one fork longer. Deadlock. loom is bounded to 3 preemptions here — the three
    /// the deadlock needs (each of the first three philosophers preempted right after its
    /// left fork) — because unbounded it needs 190,334 executions to reach it (45 to 180 s
    /// on the loaded 2-core machine); bounded, 6,092.
    pub DIN_PHIL5 = "bugs/din_phil5" {
        about: "5 philosophers (4 under loom) take left fork then right: deadlock",
        expect: Expect::Deadlock,
        loom: [4],
        shuttle: 5,
        real: None,
        preemptions: Some(3),
        run: din_phil,
    }
}

fn din_phil(n: usize) {
    dinner(n, Manners::LeftFirst);
}

define_model! {
    /// Dining philosophers fixed by ordering the forks: each philosopher takes the
    /// lower-numbered of its two forks first (the last one takes its right fork first). Every
    /// thread acquires in one global order, so no cycle of waits can form: Pass.
    pub DIN_PHIL_ORDERED = "bugs/din_phil_ordered" {
        about: "philosophers take the lower-numbered fork first: no deadlock",
        expect: Expect::Pass,
        loom: [3],
        shuttle: 5,
        real: Some(5),
        preemptions: None,
        run: din_phil_ordered,
    }
}

fn din_phil_ordered(n: usize) {
    dinner(n, Manners::Ordered);
}

define_model! {
    /// Dining philosophers fixed by a footman: a `Semaphore(n - 1)` lets at most n-1 sit at
    /// once, and they still take left then right. With one seat empty some philosopher
    /// always gets both forks, so everyone eats: Pass. (A lock-order checker still sees
    /// the fork cycle here — the footman, not the order, prevents it — so the twin opts out:
    /// `lock_order: false`, the documented allowance for a cycle a gate makes safe.) loom is bounded to 3 preemptions here: unbounded, it
    /// explores 1,015,664 executions in 332 s; 3 is more than the 2 that the deadlock of the
    /// footman-less table needs (3,621 executions).
    pub DIN_PHIL_FOOTMAN = "bugs/din_phil_footman" {
        about: "a Semaphore(n-1) footman seats n-1 philosophers: no deadlock",
        expect: Expect::Pass,
        loom: [3],
        shuttle: 5,
        real: Some(5),
        preemptions: Some(3),
        lock_order: false,
        run: din_phil_footman,
    }
}

fn din_phil_footman(n: usize) {
    dinner(n, Manners::Footman);
}
