//! Queue models: the tutorial's `Queue`, `LifoQueue` and `PriorityQueue`, bounds, `join`,
//! and Python 3.13's `shutdown`.
//!
//! Every model checks the conservation law along with its claim: each item put is got
//! exactly once, is still in the queue, was handed back by a failed put, or was reported
//! discarded by `shutdown(immediate = true)`.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use std::time::Duration;
use threadcheck::model::observe;
use threadcheck::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::{Builder, JoinHandle};
use threadcheck::{GetError, LifoQueue, PriorityQueue, Queue};

/// All queue models.
pub const ALL: &[&Model] = &[
    &TUTORIAL_FIFO_LIFO_PRIORITY,
    &FIFO_PER_PRODUCER_ORDER,
    &BOUNDED_NEVER_EXCEEDS_MAXSIZE,
    &PUT_BLOCKS_UNTIL_GET,
    &JOIN_WAITS_FOR_TASK_DONE,
    &SHUTDOWN_WAKES_BLOCKED,
    &PRIORITY_GET_IS_MINIMUM,
    &PRIORITY_CONCURRENT_GET_SEES_EITHER,
    &PRODUCER_CONSUMER_TUTORIAL,
    &TIMED_OPS_TIME_OUT_AND_HAND_BACK,
    &TIMED_GET_RACING_PUT_LOSES_NOTHING,
    &GROWING_MAXSIZE_WAKES_BLOCKED_PUTTER,
];

/// Spawns one named thread that returns a value.
fn spawn_named<T: Send + 'static>(
    name: String,
    f: impl FnOnce() -> T + Send + 'static,
) -> JoinHandle<T> {
    Builder::new().name(name).spawn(f)
}

/// Joins a thread, propagating its panic.
fn join<T>(h: JoinHandle<T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Python's `print` of a sequence, one line each, as one string.
fn python_lines<T>(items: &[T], repr: impl Fn(&T) -> String) -> String {
    items.iter().map(repr).collect::<Vec<_>>().join(" ")
}

define_model! {
    /// The tutorial's three queues. A producer thread puts 1, 2, 3 into a `Queue(3)` while
    /// the main thread gets three items; then the producer fills a `LifoQueue` with 1, 2, 3
    /// and a `PriorityQueue` with `(2, "code")`, `(1, "eat")`, `(3, "sleep")`, and after the
    /// join the main thread drains them the tutorial's way (`while not q.empty():
    /// print(q.get())`). However the threads interleave, Python prints `1 2 3`, `3 2 1` and
    /// the tuples smallest first — one single outcome, which an exhaustive checker must see
    /// and nothing else.
    pub TUTORIAL_FIFO_LIFO_PRIORITY = "queue/tutorial_fifo_lifo_priority" {
        about: "the tutorial's FIFO, LIFO and priority sequences print as in Python",
        expect: Expect::Outcomes(&[
            "fifo: 1 2 3 | lifo: 3 2 1 | priority: (1, 'eat') (2, 'code') (3, 'sleep')",
        ]),
        loom: [1],
        shuttle: 1,
        // The real-thread runner does not collect `observe`d outcomes yet.
        real: Some(1),
        preemptions: None,
        run: tutorial_fifo_lifo_priority,
    }
}

fn tutorial_fifo_lifo_priority(_n: usize) {
    let fifo = Arc::new(Queue::named("fifo", 3));
    let lifo = Arc::new(LifoQueue::named("lifo", 0));
    let prio = Arc::new(PriorityQueue::named("priority", 0));
    let (f, l, p) = (fifo.clone(), lifo.clone(), prio.clone());
    let producer = spawn_named("Thread-1".into(), move || {
        for i in 1..=3 {
            f.put(i).unwrap();
        }
        for i in 1..=3 {
            l.put(i).unwrap();
        }
        for item in [(2, "code"), (1, "eat"), (3, "sleep")] {
            p.put(item).unwrap();
        }
    });
    let fifo_out: Vec<i32> = (0..3).map(|_| fifo.get().unwrap()).collect();
    join(producer);
    let mut lifo_out = Vec::new();
    while !lifo.is_empty() {
        lifo_out.push(lifo.get().unwrap());
    }
    let mut prio_out = Vec::new();
    while !prio.is_empty() {
        prio_out.push(prio.get().unwrap());
    }
    observe(format!(
        "fifo: {} | lifo: {} | priority: {}",
        python_lines(&fifo_out, |i| i.to_string()),
        python_lines(&lifo_out, |i| i.to_string()),
        python_lines(&prio_out, |(n, s)| format!("({n}, '{s}')")),
    ));
}

/// Items each producer puts in the multi-producer models.
const PER_PRODUCER: usize = 2;

define_model! {
    /// FIFO is per producer, not global: with two producers (and more under shuttle)
    /// putting `(producer, 0)`, `(producer, 1)` into a `Queue(2)` and one consumer getting
    /// them all, the producers' items interleave in any way, but each producer's own items
    /// arrive in the order it put them, and the multiset got equals the multiset put. A queue
    /// that reordered under contention (or lost or duplicated an item when a put blocked on
    /// the full queue) fails the assertion. Pass.
    pub FIFO_PER_PRODUCER_ORDER = "queue/fifo_per_producer_order" {
        about: "two producers, one consumer: each producer's items arrive in its order",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 5,
        real: Some(5),
        preemptions: None,
        run: fifo_per_producer_order,
    }
}

fn fifo_per_producer_order(n: usize) {
    let q = Arc::new(Queue::named("q", 2));
    let q2 = q.clone();
    let producers = spawn_n(n, move |p| {
        for i in 0..PER_PRODUCER {
            q2.put((p, i)).unwrap();
        }
    });
    let mut next = vec![0; n + 1];
    for _ in 0..n * PER_PRODUCER {
        let (p, i) = q.get().unwrap();
        assert_eq!(
            i, next[p],
            "producer {p}'s items out of order: got {i}, expected {}",
            next[p]
        );
        next[p] += 1;
    }
    join_all(producers);
    assert!(q.is_empty(), "an item was duplicated");
    assert!(
        next[1..].iter().all(|&c| c == PER_PRODUCER),
        "an item was lost"
    );
}

define_model! {
    /// `Queue(1)` holds at most one item. Producers each put two items and check `len()`
    /// right after every put; the consumer checks it after every get. A put that did not wait
    /// for room — say, one that checked fullness and then pushed without holding the lock
    /// throughout — would let some thread see two items. Every put that returns finds room;
    /// every item arrives. Pass.
    ///
    /// loom: preemption bound 3 (unbounded, it ran past 8 minutes).
    pub BOUNDED_NEVER_EXCEEDS_MAXSIZE = "queue/bounded_never_exceeds_maxsize" {
        about: "Queue(1) with two producers: len() never exceeds maxsize",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 10,
        real: Some(10),
        preemptions: Some(3),
        run: bounded_never_exceeds_maxsize,
    }
}

fn bounded_never_exceeds_maxsize(n: usize) {
    const MAX: usize = 1;
    let q = Arc::new(Queue::named("q", MAX));
    let q2 = q.clone();
    let producers = spawn_n(n, move |p| {
        for i in 0..PER_PRODUCER {
            q2.put(p * 10 + i).unwrap();
            let len = q2.len();
            assert!(len <= MAX, "queue holds {len} items, maxsize {MAX}");
        }
    });
    let mut got = Vec::new();
    for _ in 0..n * PER_PRODUCER {
        got.push(q.get().unwrap());
        let len = q.len();
        assert!(len <= MAX, "queue holds {len} items, maxsize {MAX}");
    }
    join_all(producers);
    got.sort();
    let mut want: Vec<usize> = (1..=n)
        .flat_map(|p| (0..PER_PRODUCER).map(move |i| p * 10 + i))
        .collect();
    want.sort();
    assert_eq!(got, want, "items lost or duplicated");
}

define_model! {
    /// `Queue(3)` filled by the main thread; then worker threads each put one more item. Their
    /// puts must wait: the main thread raises a flag, and only then starts getting. Each
    /// worker, once its put returns, checks the flag — a put that completed on the full
    /// queue would find it down. Every item put is got. Pass.
    pub PUT_BLOCKS_UNTIL_GET = "queue/put_blocks_until_get" {
        about: "Queue(3) full: a further put returns only after a get",
        expect: Expect::Pass,
        loom: [1, 2],
        shuttle: 10,
        real: Some(10),
        preemptions: None,
        run: put_blocks_until_get,
    }
}

fn put_blocks_until_get(n: usize) {
    const MAX: usize = 3;
    let q = Arc::new(Queue::named("q", MAX));
    for i in 0..MAX {
        q.put(i).unwrap();
    }
    assert!(q.is_full());
    let getting = Arc::new(AtomicBool::new(false));
    let (q2, g2) = (q.clone(), getting.clone());
    // spawn_n numbers workers from 1.
    let workers = spawn_n(n, move |w| {
        q2.put(MAX + w - 1).unwrap();
        assert!(
            g2.load(Ordering::SeqCst),
            "a put on a full queue returned before any get"
        );
    });
    getting.store(true, Ordering::SeqCst);
    let mut got: Vec<usize> = (0..MAX + n).map(|_| q.get().unwrap()).collect();
    join_all(workers);
    got.sort();
    assert_eq!(
        got,
        (0..MAX + n).collect::<Vec<_>>(),
        "items lost or duplicated"
    );
}

define_model! {
    /// The tutorial's worker pool: the main thread puts jobs, workers `get` each job, do it
    /// (bump a counter), then call `task_done`; the main thread's `join` must return only
    /// once every job was marked done, so the counter is complete when it returns. The main
    /// thread then shuts the queue down (Python 3.13's way to stop workers, instead of
    /// daemon threads or sentinels) and each worker's `get` fails and the worker exits. Pass.
    ///
    /// loom: preemption bound 3 (unbounded, two workers run past 150 s).
    pub JOIN_WAITS_FOR_TASK_DONE = "queue/join_waits_for_task_done" {
        about: "join returns only after every item got was marked task_done",
        expect: Expect::Pass,
        loom: [1, 2],
        shuttle: 10,
        real: Some(10),
        preemptions: Some(3),
        run: join_waits_for_task_done,
    }
}

fn join_waits_for_task_done(n: usize) {
    let jobs = 2 * n;
    let q = Arc::new(Queue::named("jobs", 0));
    let done = Arc::new(AtomicUsize::new(0));
    let (q2, d2) = (q.clone(), done.clone());
    let workers = spawn_n(n, move |_| {
        while let Ok(_job) = q2.get() {
            d2.fetch_add(1, Ordering::SeqCst);
            q2.task_done().unwrap();
        }
    });
    for j in 0..jobs {
        q.put(j).unwrap();
    }
    q.join();
    let d = done.load(Ordering::SeqCst);
    assert_eq!(d, jobs, "join returned with {d} of {jobs} jobs done");
    assert!(q.shutdown(false).is_empty());
    join_all(workers);
    assert_eq!(q.unfinished_tasks(), 0);
}

define_model! {
    /// Python 3.13's `shutdown` must wake everyone. A `Queue(1)` holds one item and putters
    /// block on it; getters block on an empty queue; a thread waits in `join` on the full
    /// queue. The main thread shuts the empty queue down (`immediate = false`) and the full
    /// one with `immediate = true`. Every putter must come back with its own item, every
    /// getter with the error, `join` must return (the discarded item counts as done), and
    /// the one discarded item is reported by `shutdown`. A missed wakeup is a deadlock the
    /// checker would report; a lost item fails the accounting. Pass.
    pub SHUTDOWN_WAKES_BLOCKED = "queue/shutdown_wakes_blocked" {
        about: "shutdown wakes blocked putters, getters and join; nothing lost",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 5,
        real: Some(5),
        preemptions: None,
        run: shutdown_wakes_blocked,
    }
}

fn shutdown_wakes_blocked(n: usize) {
    let full = Arc::new(Queue::named("full", 1));
    let empty = Arc::new(Queue::<usize>::named("empty", 1));
    full.put(0).unwrap();
    let mut putters = Vec::new();
    let mut getters = Vec::new();
    for i in 1..=n {
        let f = full.clone();
        putters.push(spawn_named(format!("putter-{i}"), move || {
            f.put(i).map_err(|e| e.into_inner())
        }));
        let e = empty.clone();
        getters.push(spawn_named(format!("getter-{i}"), move || e.get()));
    }
    let f = full.clone();
    let joiner = spawn_named("joiner".into(), move || f.join());
    assert!(empty.shutdown(false).is_empty());
    let discarded = full.shutdown(true);
    let mut accounted = discarded.clone();
    for h in putters {
        match join(h) {
            Err(item) => accounted.push(item),
            Ok(()) => panic!("a put succeeded on a shut-down full queue"),
        }
    }
    for h in getters {
        assert_eq!(join(h), Err(GetError), "a getter got from an empty queue");
    }
    join(joiner);
    assert_eq!(
        discarded,
        vec![0],
        "shutdown(immediate) must report the item it discards"
    );
    assert_eq!(full.get(), Err(GetError));
    accounted.sort();
    assert_eq!(
        accounted,
        (0..=n).collect::<Vec<_>>(),
        "items lost or duplicated"
    );
}

define_model! {
    /// With every concurrent put finished (the threads joined) before the get, a
    /// `PriorityQueue` returns the smallest item, then the rest in ascending order — however
    /// the puts interleaved and whatever shape the heap took. Pass.
    pub PRIORITY_GET_IS_MINIMUM = "queue/priority_get_is_minimum" {
        about: "after concurrent puts complete, get returns the smallest",
        expect: Expect::Pass,
        loom: [2, 3],
        shuttle: 10,
        real: Some(10),
        preemptions: None,
        run: priority_get_is_minimum,
    }
}

fn priority_get_is_minimum(n: usize) {
    let q = Arc::new(PriorityQueue::named("pq", 0));
    let q2 = q.clone();
    // Thread i puts (n + 1 - i, i): later threads put smaller priorities.
    join_all(spawn_n(n, move |i| q2.put((n + 1 - i, i)).unwrap()));
    let first = q.get().unwrap();
    assert_eq!(first, (1, n), "get did not return the smallest item");
    let rest: Vec<usize> = (1..n).map(|_| q.get().unwrap().0).collect();
    assert_eq!(rest, (2..=n).collect::<Vec<_>>());
}

define_model! {
    /// The converse of `priority_get_is_minimum`: the minimum is only guaranteed among items
    /// already put. Two threads put 2 and 1 while the main thread gets once; it returns
    /// whichever item was in the queue first — 1 or 2 — and an exhaustive checker must see
    /// both outcomes (the other item is still in the queue either way).
    pub PRIORITY_CONCURRENT_GET_SEES_EITHER = "queue/priority_concurrent_get_sees_either" {
        about: "a get racing two puts returns either item; the other stays queued",
        expect: Expect::Outcomes(&["1", "2"]),
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: priority_concurrent_get_sees_either,
    }
}

fn priority_concurrent_get_sees_either(_n: usize) {
    let q = Arc::new(PriorityQueue::named("pq", 0));
    let q2 = q.clone();
    let putters = spawn_n(2, move |i| q2.put(3 - i).unwrap());
    let got = q.get().unwrap();
    join_all(putters);
    let other = q.get().unwrap();
    assert_eq!(got + other, 3, "items lost or duplicated");
    observe(got.to_string());
}

define_model! {
    /// The tutorial's producer/consumer, which it wrote with a coroutine (`send` to a
    /// generator), done with threads and a bounded `Queue(2)`: the producer produces jobs 1,
    /// 2, 3 and then shuts the queue down (end of stream); consumers get until `get` reports
    /// shutdown. The producer blocks whenever the consumers fall two behind. Every job is
    /// consumed exactly once, and a single consumer sees them in order. Pass.
    ///
    /// loom: preemption bound 3 (unbounded, two consumers take 1.9M executions, 91 s).
    pub PRODUCER_CONSUMER_TUTORIAL = "queue/producer_consumer_tutorial" {
        about: "producer/consumer over Queue(2), ended by shutdown: every job once",
        expect: Expect::Pass,
        loom: [1, 2],
        shuttle: 4,
        real: Some(4),
        preemptions: Some(3),
        run: producer_consumer_tutorial,
    }
}

fn producer_consumer_tutorial(n: usize) {
    const JOBS: usize = 3;
    let q = Arc::new(Queue::named("q", 2));
    let consumers: Vec<JoinHandle<Vec<usize>>> = (1..=n)
        .map(|i| {
            let q = q.clone();
            spawn_named(format!("consumer-{i}"), move || {
                let mut seen = Vec::new();
                while let Ok(job) = q.get() {
                    seen.push(job);
                }
                seen
            })
        })
        .collect();
    for job in 1..=JOBS {
        q.put(job).unwrap();
    }
    // Not immediate: the consumers drain what is left, then stop.
    assert!(q.shutdown(false).is_empty());
    let mut all = Vec::new();
    for h in consumers {
        let seen = join(h);
        assert!(
            seen.windows(2).all(|w| w[0] < w[1]),
            "a consumer saw jobs out of order: {seen:?}"
        );
        all.extend(seen);
    }
    all.sort();
    assert_eq!(
        all,
        (1..=JOBS).collect::<Vec<_>>(),
        "jobs lost or duplicated"
    );
}

define_model! {
    /// Timed operations on threadcheck's clock. With a `Queue(1)` full and nobody getting, a
    /// thread's `put_timeout(10ms)` must time out and hand its item back; with the queue
    /// drained, its `get_timeout(10ms)` must time out too. Under the model clock the time
    /// passes when every thread is blocked (there is nothing else that could happen), so
    /// this is decided, not slept. Pass.
    pub TIMED_OPS_TIME_OUT_AND_HAND_BACK = "queue/timed_ops_time_out_and_hand_back" {
        about: "put_timeout on a full queue and get_timeout on an empty one time out",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: timed_ops_time_out_and_hand_back,
    }
}

fn timed_ops_time_out_and_hand_back(_n: usize) {
    let q = Arc::new(Queue::named("q", 1));
    q.put(1).unwrap();
    let q2 = q.clone();
    let h = spawn_named("Thread-1".into(), move || {
        let e = q2
            .put_timeout(2, Duration::from_millis(10))
            .expect_err("put_timeout succeeded on a full queue nobody drains");
        assert!(e.is_timeout());
        assert_eq!(e.into_inner(), 2, "a timed-out put must hand its item back");
        assert_eq!(q2.get_timeout(Duration::from_millis(10)), Ok(1));
        let e = q2
            .get_timeout(Duration::from_millis(10))
            .expect_err("get_timeout succeeded on an empty queue");
        assert!(e.is_timeout());
    });
    join(h);
    assert!(q.is_empty());
}

define_model! {
    /// A `get_timeout` racing a `put`: depending on the schedule and on when the clock moves
    /// the getter gets the item or times out. Either way nothing is lost: the item is either
    /// in the getter's hands or still in the queue, never both, never neither — including the
    /// schedule where the put lands just as the wait times out (the getter re-checks the
    /// queue before giving up). Pass.
    pub TIMED_GET_RACING_PUT_LOSES_NOTHING = "queue/timed_get_racing_put_loses_nothing" {
        about: "get_timeout racing a put: the item is got or still queued, exactly once",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: timed_get_racing_put_loses_nothing,
    }
}

fn timed_get_racing_put_loses_nothing(n: usize) {
    let q = Arc::new(Queue::named("q", 0));
    let q2 = q.clone();
    let putters = spawn_n(n, move |i| q2.put(i).unwrap());
    let mut got = Vec::new();
    for _ in 0..n {
        if let Ok(item) = q.get_timeout(Duration::from_millis(5)) {
            got.push(item);
        }
    }
    join_all(putters);
    while let Ok(item) = q.try_get() {
        got.push(item);
    }
    got.sort();
    assert_eq!(got, (1..=n).collect::<Vec<_>>(), "items lost or duplicated");
}

define_model! {
    /// A putter blocks on a full `Queue(1)`; the main thread raises the bound to 2 (Python:
    /// `q.maxsize = 2`, CPython's `test_shrinking_queue` changes it the other way). In
    /// CPython the putter keeps sleeping until some `get` notifies it, so this program hangs
    /// there; threadcheck's `set_maxsize` wakes blocked putters when the bound grows, so the
    /// put goes through with nobody getting, on every schedule: Pass. The item count never
    /// exceeds the bound in force.
    pub GROWING_MAXSIZE_WAKES_BLOCKED_PUTTER = "queue/growing_maxsize_wakes_blocked_putter" {
        about: "set_maxsize(2) on a full Queue(1) lets a blocked putter through without a get",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: growing_maxsize_wakes_blocked_putter,
    }
}

fn growing_maxsize_wakes_blocked_putter(_n: usize) {
    let q = Arc::new(Queue::named("jobs", 1));
    q.put(1).unwrap();
    let q2 = q.clone();
    let putter = spawn_named("putter".into(), move || q2.put(2).unwrap());
    q.set_maxsize(2);
    join(putter);
    assert_eq!(q.len(), 2);
    assert!(q.is_full());
    assert_eq!((q.get(), q.get()), (Ok(1), Ok(2)));
}
