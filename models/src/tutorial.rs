//! The tutorial's last two programs, checked: a three-stage producer/consumer pipeline over
//! bounded queues, and the accept/hand-off/stop protocol of an uppercase echo server (with
//! the sockets replaced by queues). Their runnable versions on real threads and real sockets
//! are `examples/pipeline.rs` and `examples/echo_server.rs` at the top of the repository.

use crate::define_model;
use crate::harness::{Expect, Model};
use std::time::Duration;
use threadcheck::model::observe;
use threadcheck::sync::Arc;
use threadcheck::thread::{Builder, JoinHandle};
use threadcheck::{Event, Queue, Timer};

/// All tutorial models.
pub const ALL: &[&Model] = &[
    &PIPELINE_EVERY_ITEM_ONCE,
    &ECHO_SERVES_EVERY_ACCEPTED_CONNECTION,
    &ECHO_STOP_DROPS_LAST_CONNECTION,
];

fn spawn_named<T: Send + 'static>(
    name: impl Into<String>,
    f: impl FnOnce() -> T + Send + 'static,
) -> JoinHandle<T> {
    Builder::new().name(name).spawn(f)
}

fn join<T>(h: JoinHandle<T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Items the pipeline's source produces: two under loom, more elsewhere.
fn items() -> u32 {
    if threadcheck::backend() == "loom" {
        2
    } else {
        4
    }
}

define_model! {
    /// A pipeline of three stages: the main thread is the source and puts items 1, 2, ...
    /// into `raw` (a `Queue(1)`); a `transform` thread gets each, puts ten times it into
    /// `cooked` (a `Queue(1)`) and only then calls `raw.task_done()`; `n` sink threads get
    /// from `cooked` and call `cooked.task_done()`. Both queues hold one item, so every stage
    /// blocks on its neighbours on most schedules.
    ///
    /// Shutdown runs down the pipe: the source's `raw.join()` returns once every item has
    /// been handed to `cooked` (that is why `transform` marks an item done after its put, not
    /// after its get), `cooked.join()` once the sinks have consumed them all; then the source
    /// shuts `raw` down, `transform`'s `get` fails, it shuts `cooked` down, and the sinks'
    /// `get`s fail. Every item reaches a sink exactly once (10, 20, ..., in order for a
    /// single sink), both joins return, and every stage ends: Pass. A stage that marked done before
    /// its put, or shut the next queue down while holding an item, would lose it.
    ///
    /// loom: one sink (main + 2 threads), two items, preemption bound 3 (13,396 executions;
    /// bound 4: 81,248; unbounded it did not finish in 10 minutes on a loaded machine, nor
    /// with three items in 5). shuttle and real threads: three sinks, four items.
    pub PIPELINE_EVERY_ITEM_ONCE = "tutorial/pipeline_every_item_once" {
        about: "source -> Queue(1) -> transform -> Queue(1) -> sinks, joined and shut down in order",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 3,
        real: Some(3),
        preemptions: Some(3),
        run: pipeline,
    }
}

fn pipeline(sinks: usize) {
    let items = items();
    let raw = Arc::new(Queue::named("raw", 1));
    let cooked = Arc::new(Queue::named("cooked", 1));
    let (r, c) = (raw.clone(), cooked.clone());
    let transform = spawn_named("transform", move || {
        let mut handed_on = 0;
        while let Ok(x) = r.get() {
            c.put(x * 10)
                .expect("cooked was shut down while transform holds an item");
            r.task_done().unwrap();
            handed_on += 1;
        }
        assert!(c.shutdown(false).is_empty(), "nothing is discarded");
        handed_on
    });
    let sinks: Vec<JoinHandle<Vec<u32>>> = (1..=sinks)
        .map(|i| {
            let c = cooked.clone();
            spawn_named(format!("sink-{i}"), move || {
                let mut got = Vec::new();
                while let Ok(y) = c.get() {
                    got.push(y);
                    c.task_done().unwrap();
                }
                got
            })
        })
        .collect();
    for x in 1..=items {
        raw.put(x).unwrap();
    }
    raw.join();
    cooked.join();
    assert!(raw.shutdown(false).is_empty(), "raw is drained");
    assert_eq!(
        join(transform),
        items as usize,
        "transform handed on every item"
    );
    let mut all = Vec::new();
    for h in sinks {
        let got = join(h);
        assert!(
            got.windows(2).all(|w| w[0] < w[1]),
            "a sink got items out of order: {got:?}"
        );
        all.extend(got);
    }
    all.sort();
    let want: Vec<u32> = (1..=items).map(|x| x * 10).collect();
    assert_eq!(all, want, "items lost or duplicated");
    assert_eq!((raw.unfinished_tasks(), cooked.unfinished_tasks()), (0, 0));
}

/// A connection, as the echo server's protocol sees it: an id and the client's hang-up (the
/// end of its stream, or the socket closed by the idle timer).
#[derive(Clone)]
struct Conn {
    id: u32,
    closed: Arc<Event>,
}

/// How long the acceptor sleeps between polls of a listener with nothing to accept.
const POLL: Duration = Duration::from_millis(10);
/// How long a connection may stay idle before its timer closes it.
const IDLE: Duration = Duration::from_millis(100);

/// Who shuts the hand-off queue down when the server stops.
#[derive(Clone, Copy, PartialEq)]
enum Stop {
    /// The acceptor, after its last hand-off (`examples/echo_server.rs`).
    ByAcceptor,
    /// The thread that calls stop, right after setting the event: the bug.
    ByStopper,
}

/// The echo server's accept/hand-off/stop protocol with `workers` workers; returns what the
/// acceptor accepted and what the workers served.
fn echo_protocol(workers: usize, stop_by: Stop) -> (Vec<u32>, Vec<u32>) {
    // The listener's backlog (unbounded: the kernel's) and the hand-off to the workers.
    let backlog: Arc<Queue<Conn>> = Arc::new(Queue::named("backlog", 0));
    let handoff: Arc<Queue<Conn>> = Arc::new(Queue::named("handoff", 1));
    let stop = Arc::new(Event::named("stop"));

    let (b, h, s) = (backlog.clone(), handoff.clone(), stop.clone());
    let acceptor = spawn_named("acceptor", move || {
        let mut accepted = Vec::new();
        // The example's loop: a non-blocking accept, and between polls a wait on `stop`.
        loop {
            match b.try_get() {
                Ok(conn) => {
                    accepted.push(conn.id);
                    if h.put(conn).is_err() {
                        break; // shut down under us: the connection is dropped
                    }
                }
                Err(_) => {
                    if s.wait_timeout(POLL) {
                        break;
                    }
                }
            }
        }
        if stop_by == Stop::ByAcceptor {
            // After the last hand-off: the workers drain what is queued, then end.
            h.shutdown(false);
        }
        accepted
    });
    let pool: Vec<JoinHandle<Vec<u32>>> = (1..=workers)
        .map(|i| {
            let h = handoff.clone();
            spawn_named(format!("worker-{i}"), move || {
                let mut served = Vec::new();
                while let Ok(conn) = h.get() {
                    // Serve until the client hangs up or the connection goes idle.
                    let closed = conn.closed.clone();
                    let idle = Timer::after(IDLE, move || closed.set());
                    conn.closed.wait();
                    idle.cancel();
                    served.push(conn.id);
                }
                served
            })
        })
        .collect();

    // The clients: one that sends its lines and hangs up, one that connects and goes idle
    // (only the idle timer frees its worker).
    for (id, hung_up) in [(1, true), (2, false)] {
        let closed = Arc::new(Event::named("closed"));
        if hung_up {
            closed.set();
        }
        backlog.put(Conn { id, closed }).unwrap();
    }
    stop.set();
    if stop_by == Stop::ByStopper {
        handoff.shutdown(false);
    }
    let accepted = join(acceptor);
    let mut served: Vec<u32> = pool.into_iter().flat_map(join).collect();
    served.sort();
    (accepted, served)
}

define_model! {
    /// The echo server of `examples/echo_server.rs` with its sockets replaced by queues: the
    /// listener's backlog is a `Queue`, two clients connect (one sends and hangs up, one
    /// connects and goes idle), and the main thread then stops the server. An `acceptor`
    /// thread polls the backlog (`try_get`, the non-blocking `accept`) and between polls
    /// waits on the `stop` event; it hands each connection to the workers through a
    /// `Queue(1)`, and when `stop` is set it shuts the hand-off queue down — after its last
    /// hand-off. Workers serve a connection until the client hangs up or an idle `Timer`
    /// closes it, and end when the hand-off queue is shut down and empty.
    ///
    /// Stop races the clients, so the acceptor accepts none, the first, or both before it
    /// sees `stop` (the rest are refused when the listener closes). Whatever it accepted is
    /// served exactly once, and every thread ends — the idle client's worker only because
    /// its timer fires. The outcome set is exactly {"accepted 0", "accepted 1",
    /// "accepted 2"}.
    ///
    /// The clock is the settled one (no early advances): the protocol leans on no timing,
    /// and every outcome comes without one. loom: one worker (main, acceptor, worker, the
    /// timer service and the clock's driver: loom's five threads), preemption bound 3
    /// (12,534 executions, all three outcomes; bound 4: 92,952; unbounded it did not finish
    /// in 6 minutes on a loaded machine).
    pub ECHO_SERVES_EVERY_ACCEPTED_CONNECTION = "tutorial/echo_serves_every_accepted_connection" {
        about: "echo server protocol: stop races two clients; every accepted connection served once",
        expect: Expect::Outcomes(&["accepted 0", "accepted 1", "accepted 2"]),
        loom: [1],
        shuttle: 3,
        real: Some(3),
        preemptions: Some(3),
        early_advances: Some(0),
        run: echo_serves_every_accepted_connection,
    }
}

fn echo_serves_every_accepted_connection(workers: usize) {
    let (accepted, served) = echo_protocol(workers, Stop::ByAcceptor);
    assert_eq!(
        served, accepted,
        "accepted connections lost or served twice"
    );
    observe(format!("accepted {}", accepted.len()));
}

define_model! {
    /// The echo server's bug twin: `stop()` sets the event and then shuts the hand-off
    /// queue down itself, "so the workers stop at once", instead of leaving that to the
    /// acceptor. If the acceptor took a connection from the backlog just before — it checked
    /// `stop` too early to see it — its hand-off fails and the connection, accepted, is
    /// dropped without a reply: the last client of a server being stopped sees a reset. Rare
    /// on real threads (the window is one `put`); a checker must find it:
    /// Panic("dropped on shutdown"). loom finds it unbounded on its first execution.
    pub ECHO_STOP_DROPS_LAST_CONNECTION = "tutorial/echo_stop_drops_last_connection" {
        about: "bug: stop() shuts the hand-off queue itself, dropping a connection just accepted",
        expect: Expect::Panic("dropped on shutdown"),
        loom: [1],
        shuttle: 2,
        real: None,
        preemptions: None,
        early_advances: Some(0),
        run: echo_stop_drops_last_connection,
    }
}

fn echo_stop_drops_last_connection(workers: usize) {
    let (accepted, served) = echo_protocol(workers, Stop::ByStopper);
    assert_eq!(
        served, accepted,
        "an accepted connection was dropped on shutdown: accepted {accepted:?}, served {served:?}"
    );
}
