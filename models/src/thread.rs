//! Thread models: who is alive (`enumerate`, `active_count`) while threads start and exit,
//! `join(timeout)` on the model clock, and per-thread state (`threading.local`).

use crate::define_model;
use crate::harness::{Expect, Model};
use std::cell::Cell;
use std::time::Duration;
use threadcheck::model::observe;
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::{self, Builder, JoinTimeoutError, Local};
use threadcheck::Event;

/// All thread models.
pub const ALL: &[&Model] = &[
    &ENUMERATE_IS_A_SNAPSHOT,
    &ACTIVE_COUNT_RACES_START,
    &JOIN_TIMEOUT_TIMES_OUT,
    &JOIN_TIMEOUT_RACES_EXIT,
    &LOCAL_IS_PER_THREAD,
];

const BOTH: &str = "first and second";
const SECOND_ONLY: &str = "second only";
const NEITHER: &str = "neither";

define_model! {
    /// `first` returns at once; `second` joins `first`, then returns; meanwhile the main
    /// thread calls `threading.enumerate()` once. `second` outlives `first`, so a list with
    /// `first` and without `second` describes no instant of the program: Python's
    /// `enumerate` copies the list under a lock, and ours must return the set alive at one
    /// instant too. The other three sets all happen, depending on how far the two threads got.
    ///
    /// The outcome set is exactly {"first and second", "second only", "neither"}: loom must
    /// see all three (the registry is bookkeeping loom cannot see; threadcheck makes each step
    /// of it touch a modelled atomic so loom explores its orders) and never "first only" (the
    /// two threads' exits land between the reads of their flags on some schedule; the reader
    /// collects the flags twice and retries until nothing changed in between).
    pub ENUMERATE_IS_A_SNAPSHOT = "thread/enumerate_is_a_snapshot" {
        about: "enumerate() during two exits (second joins first) never lists first without second",
        expect: Expect::Outcomes(&[BOTH, SECOND_ONLY, NEITHER]),
        loom: [2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: enumerate_is_a_snapshot,
    }
}

fn enumerate_is_a_snapshot(_n: usize) {
    let first = Builder::new().name("first").spawn(|| {});
    let first_thread = first.thread().clone();
    let second = Builder::new()
        .name("second")
        .spawn(move || first.join().unwrap());
    let second_thread = second.thread().clone();
    let listed = thread::enumerate();
    assert_eq!(listed[0], thread::main_thread(), "main is listed first");
    let has = |t: &thread::Thread| listed.contains(t);
    observe(match (has(&first_thread), has(&second_thread)) {
        (true, true) => BOTH,
        (false, true) => SECOND_ONLY,
        (false, false) => NEITHER,
        (true, false) => panic!("enumerate listed first without second: {listed:?}"),
    });
    second.join().unwrap();
    let after = thread::enumerate();
    assert!(!after.contains(&first_thread) && !after.contains(&second_thread));
    // (On real threads the process may run other programs' threads too.)
    if threadcheck::backend() != "production" {
        assert_eq!(after, [thread::main_thread()]);
        assert_eq!(thread::active_count(), 1);
    }
}

const TWO: &str = "2 (late not started yet)";
const THREE: &str = "3 (late started)";

define_model! {
    /// An `observer` thread calls `threading.active_count()` while the main thread starts a
    /// `late` thread (which then waits until the count is in). The observer always counts
    /// itself and the main thread, and `late` if its start came first: both counts happen.
    /// Nothing in the program orders the count against the start but the registry itself,
    /// which loom cannot see; each start and each read touches a modelled atomic so loom
    /// explores both orders. The outcome set is exactly {2, 3}. (Not run on real threads: a
    /// test process runs other programs' threads too and `active_count` counts them all;
    /// `tests/thread_enumerate.rs` counts on real threads in a process of its own.)
    pub ACTIVE_COUNT_RACES_START = "thread/active_count_races_start" {
        about: "active_count() in a thread while main starts another: 2 or 3, both seen",
        expect: Expect::Outcomes(&[TWO, THREE]),
        loom: [2],
        shuttle: 2,
        real: None,
        preemptions: None,
        run: active_count_races_start,
    }
}

fn active_count_races_start(_n: usize) {
    let observer = Builder::new().name("observer").spawn(thread::active_count);
    let counted = Arc::new(Event::named("counted"));
    let c = counted.clone();
    let late = Builder::new().name("late").spawn(move || c.wait());
    let n = observer.join().unwrap();
    counted.set();
    late.join().unwrap();
    match n {
        2 => observe(TWO),
        3 => observe(THREE),
        n => panic!("active_count() = {n} with at most 3 threads alive"),
    }
}

const TIMED_OUT: &str = "timed out after 1 ms";

define_model! {
    /// Python's `t.join(timeout)` against a thread that cannot finish before the join gives
    /// up: the worker waits for an event the main thread sets only after its join. A
    /// checker's own join can only wait (here: forever, a deadlock); `join_timeout` is a
    /// timed wait on the model clock, so it times out on every schedule, after 1 ms of model
    /// time, and hands the handle back for the real join: the single outcome
    /// {"timed out after 1 ms"}.
    pub JOIN_TIMEOUT_TIMES_OUT = "thread/join_timeout_times_out" {
        about: "join_timeout(1ms) on a thread waiting for the joiner times out on the model clock",
        expect: Expect::Outcomes(&[TIMED_OUT]),
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: join_timeout_times_out,
    }
}

fn join_timeout_times_out(_n: usize) {
    let go = Arc::new(Event::named("go"));
    let g = go.clone();
    let worker = Builder::new().name("worker").spawn(move || g.wait());
    let start = threadcheck::Instant::now();
    match worker.join_timeout(Duration::from_millis(1)) {
        Err(JoinTimeoutError::Timeout(h)) => {
            let waited = threadcheck::Instant::now().duration_since(start);
            assert!(
                waited >= Duration::from_millis(1),
                "gave up after {waited:?}"
            );
            assert!(h.is_alive(), "timed out, yet the worker is gone");
            observe(TIMED_OUT);
            go.set();
            h.join().unwrap();
        }
        Err(JoinTimeoutError::Panicked(_)) => panic!("the worker panicked"),
        Ok(_) => panic!("join_timeout returned before the worker could finish"),
    }
}

const JOINED: &str = "joined in time";
const GAVE_UP: &str = "timed out";

define_model! {
    /// `join_timeout(5ms)` on a thread with nothing to wait for. On an idle machine the
    /// thread is done long before 5 ms; on a loaded one it may not have run at all when the
    /// time is up. The settled clock gives the first (time passes only when every thread is
    /// blocked, and the worker never blocks); one early advance — the default — the second.
    /// The outcome set is exactly {"joined in time", "timed out"}, and a timed-out handle
    /// still joins.
    pub JOIN_TIMEOUT_RACES_EXIT = "thread/join_timeout_races_exit" {
        about: "join_timeout(5ms) on a thread that returns at once: joined, or timed out under load",
        expect: Expect::Outcomes(&[JOINED, GAVE_UP]),
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: join_timeout_races_exit,
    }
}

fn join_timeout_races_exit(_n: usize) {
    let worker = Builder::new().name("worker").spawn(|| 42);
    let got = match worker.join_timeout(Duration::from_millis(5)) {
        Ok(v) => {
            observe(JOINED);
            v
        }
        Err(JoinTimeoutError::Timeout(h)) => {
            observe(GAVE_UP);
            h.join().unwrap()
        }
        Err(JoinTimeoutError::Panicked(_)) => panic!("the worker panicked"),
    };
    assert_eq!(got, 42);
}

define_model! {
    /// Python's `threading.local()`: each thread's attribute is its own. Two workers each
    /// bump their own counter in a shared `Local` twice, with a modelled operation between
    /// the bumps so the checker interleaves them; the main thread's value was set first. Under
    /// loom and shuttle every model thread runs on one OS thread, so a `std::thread_local!`
    /// would be one counter for all of them; a `Local` is keyed by the threadcheck thread.
    /// Every thread sees only its own count on every schedule: Pass.
    pub LOCAL_IS_PER_THREAD = "thread/local_is_per_thread" {
        about: "two threads bump their own value of a shared threading.local, interleaved",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: local_is_per_thread,
    }
}

fn local_is_per_thread(n: usize) {
    let local = Arc::new(Local::<Cell<usize>>::new());
    local.get_or_default().set(100);
    let steps = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (1..=n)
        .map(|i| {
            let (local, steps) = (local.clone(), steps.clone());
            Builder::new().name(format!("Thread-{i}")).spawn(move || {
                for want in 1..=2 {
                    let mine = local.get_or_default();
                    mine.set(mine.get() + 1);
                    steps.fetch_add(1, Ordering::SeqCst); // a switch point between bumps
                    assert_eq!(local.get().unwrap().get(), want, "another thread's value");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(
        local.get().unwrap().get(),
        100,
        "the main thread's value changed"
    );
    let mut local = Arc::into_inner(local).expect("every worker is done");
    assert_eq!(
        local.iter_mut().map(|c| c.get()).sum::<usize>(),
        100 + 2 * n
    );
}
