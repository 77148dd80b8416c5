//! `Queue` (bounded FIFO) beside its peers in one run: crossbeam-channel's `bounded` and
//! std's `sync_channel`, SPSC and MPMC (2 producers, 2 consumers), capacities 1, 64, 1024.
//!
//! Each iteration moves `messages()` messages end to end, threads included; criterion reports
//! the time per iteration and the throughput. std's receiver cannot be shared, so in the
//! MPMC rows its two consumers take turns on it behind a `Mutex` — the usual workaround,
//! and a cost std users pay.
//!
//! The default is 20,000 messages rather than the 1M: at capacity 1 every message is
//! a handoff between threads, and on the 2-core CI machine 1M per iteration would make one
//! run take far longer than the few minutes we allow. `THREADCHECK_BENCH_MESSAGES=1000000`
//! runs the full size. Ratios, not absolute numbers, are the
//! result: compare rows of the same run.
//!
//! `ci/bench` prints the ratios with the machine, commit and load (README, *Performance*).
//! `LifoQueue` and `PriorityQueue` run beside the same design on parking_lot (a `Vec` /
//! `BinaryHeap` under a mutex, two condvars), the peer a Rust user would write.
//!
//! The queue is CPython's design (one mutex, condvars, a notify per operation when someone
//! waits) plus, in production, a brief spin before parking (`src/rt/handoff.rs`);
//! crossbeam's array flavor is lock-free with spinning before parking.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Messages per iteration; `THREADCHECK_BENCH_MESSAGES=1000000 cargo bench --bench queue`
/// runs the full size.
fn messages() -> usize {
    std::env::var("THREADCHECK_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}
const CAPACITIES: [usize; 3] = [1, 64, 1024];

/// One channel flavor under test: a sender and a receiver that can be cloned into threads.
trait Chan: Sized {
    type Tx: Clone + Send + 'static;
    type Rx: Clone + Send + 'static;
    fn pair(cap: usize) -> (Self::Tx, Self::Rx);
    fn send(tx: &Self::Tx, v: usize);
    fn recv(rx: &Self::Rx) -> usize;
}

/// One of threadcheck's queues as a channel.
macro_rules! threadcheck_chan {
    ($name:ident, $q:ident) => {
        struct $name;
        impl Chan for $name {
            type Tx = Arc<threadcheck::$q<usize>>;
            type Rx = Arc<threadcheck::$q<usize>>;
            fn pair(cap: usize) -> (Self::Tx, Self::Rx) {
                let q = Arc::new(threadcheck::$q::new(cap));
                (q.clone(), q)
            }
            fn send(tx: &Self::Tx, v: usize) {
                tx.put(v).unwrap()
            }
            fn recv(rx: &Self::Rx) -> usize {
                rx.get().unwrap()
            }
        }
    };
}
threadcheck_chan!(Threadcheck, Queue);
threadcheck_chan!(ThreadcheckLifo, LifoQueue);
threadcheck_chan!(ThreadcheckPriority, PriorityQueue);

/// The baseline for LIFO and priority queues: a container under a parking_lot mutex with
/// "not empty" / "not full" condvars, notifying only when someone waits.
struct CondvarQueue<C> {
    state: parking_lot::Mutex<(C, usize, usize)>, // items, waiting getters, waiting putters
    not_empty: parking_lot::Condvar,
    not_full: parking_lot::Condvar,
    cap: usize,
}

trait Container: Default + Send + 'static {
    fn push(&mut self, v: usize);
    fn pop(&mut self) -> Option<usize>;
    fn len(&self) -> usize;
}
impl Container for Vec<usize> {
    fn push(&mut self, v: usize) {
        Vec::push(self, v)
    }
    fn pop(&mut self) -> Option<usize> {
        Vec::pop(self)
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
}
impl Container for std::collections::BinaryHeap<std::cmp::Reverse<usize>> {
    fn push(&mut self, v: usize) {
        std::collections::BinaryHeap::push(self, std::cmp::Reverse(v))
    }
    fn pop(&mut self) -> Option<usize> {
        std::collections::BinaryHeap::pop(self).map(|r| r.0)
    }
    fn len(&self) -> usize {
        std::collections::BinaryHeap::len(self)
    }
}

impl<C: Container> CondvarQueue<C> {
    fn put(&self, v: usize) {
        let mut g = self.state.lock();
        while g.0.len() >= self.cap {
            g.2 += 1;
            self.not_full.wait(&mut g);
            g.2 -= 1;
        }
        g.0.push(v);
        if g.1 > 0 {
            self.not_empty.notify_one();
        }
    }
    fn get(&self) -> usize {
        let mut g = self.state.lock();
        loop {
            if let Some(v) = g.0.pop() {
                if g.2 > 0 {
                    self.not_full.notify_one();
                }
                return v;
            }
            g.1 += 1;
            self.not_empty.wait(&mut g);
            g.1 -= 1;
        }
    }
}

struct Baseline<C>(std::marker::PhantomData<C>);
impl<C: Container> Chan for Baseline<C> {
    type Tx = Arc<CondvarQueue<C>>;
    type Rx = Arc<CondvarQueue<C>>;
    fn pair(cap: usize) -> (Self::Tx, Self::Rx) {
        let q = Arc::new(CondvarQueue {
            state: parking_lot::Mutex::new((C::default(), 0, 0)),
            not_empty: parking_lot::Condvar::new(),
            not_full: parking_lot::Condvar::new(),
            cap,
        });
        (q.clone(), q)
    }
    fn send(tx: &Self::Tx, v: usize) {
        tx.put(v)
    }
    fn recv(rx: &Self::Rx) -> usize {
        rx.get()
    }
}

struct Crossbeam;
impl Chan for Crossbeam {
    type Tx = crossbeam_channel::Sender<usize>;
    type Rx = crossbeam_channel::Receiver<usize>;
    fn pair(cap: usize) -> (Self::Tx, Self::Rx) {
        crossbeam_channel::bounded(cap)
    }
    fn send(tx: &Self::Tx, v: usize) {
        tx.send(v).unwrap()
    }
    fn recv(rx: &Self::Rx) -> usize {
        rx.recv().unwrap()
    }
}

struct StdSync;
impl Chan for StdSync {
    type Tx = mpsc::SyncSender<usize>;
    type Rx = Arc<Mutex<mpsc::Receiver<usize>>>;
    fn pair(cap: usize) -> (Self::Tx, Self::Rx) {
        let (tx, rx) = mpsc::sync_channel(cap);
        (tx, Arc::new(Mutex::new(rx)))
    }
    fn send(tx: &Self::Tx, v: usize) {
        tx.send(v).unwrap()
    }
    fn recv(rx: &Self::Rx) -> usize {
        // Uncontended in the SPSC rows: one consumer.
        rx.lock().unwrap().recv().unwrap()
    }
}

/// Moves `messages()` messages from `producers` threads to `consumers` threads.
fn run<C: Chan>(cap: usize, producers: usize, consumers: usize) -> usize {
    let (tx, rx) = C::pair(cap);
    let per_producer = messages() / producers;
    let per_consumer = messages() / consumers;
    let ps: Vec<_> = (0..producers)
        .map(|_| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..per_producer {
                    C::send(&tx, i);
                }
            })
        })
        .collect();
    let cs: Vec<_> = (0..consumers)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || {
                let mut sum = 0usize;
                for _ in 0..per_consumer {
                    sum = sum.wrapping_add(C::recv(&rx));
                }
                sum
            })
        })
        .collect();
    for p in ps {
        p.join().unwrap();
    }
    cs.into_iter()
        .map(|c| c.join().unwrap())
        .fold(0, usize::wrapping_add)
}

fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(messages() as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g
}

fn bench_shape(c: &mut Criterion, name: &str, producers: usize, consumers: usize) {
    let mut g = group(c, name);
    for cap in CAPACITIES {
        g.bench_with_input(
            BenchmarkId::new("threadcheck_queue", cap),
            &cap,
            |b, &cap| b.iter(|| run::<Threadcheck>(cap, producers, consumers)),
        );
        g.bench_with_input(
            BenchmarkId::new("crossbeam_bounded", cap),
            &cap,
            |b, &cap| b.iter(|| run::<Crossbeam>(cap, producers, consumers)),
        );
        g.bench_with_input(
            BenchmarkId::new("std_sync_channel", cap),
            &cap,
            |b, &cap| b.iter(|| run::<StdSync>(cap, producers, consumers)),
        );
    }
    g.finish();
}

fn spsc(c: &mut Criterion) {
    bench_shape(c, "fifo_spsc", 1, 1);
}

fn mpmc(c: &mut Criterion) {
    bench_shape(c, "fifo_mpmc_2p2c", 2, 2);
}

/// `LifoQueue` and `PriorityQueue` beside a `Vec` / `BinaryHeap` under a mutex with condvars,
/// capacity 64, SPSC and 2 producers x 2 consumers.
fn lifo_priority(c: &mut Criterion) {
    use std::collections::BinaryHeap;
    type Heap = BinaryHeap<std::cmp::Reverse<usize>>;
    for (name, p, q) in [("lifo_priority_spsc", 1, 1), ("lifo_priority_2p2c", 2, 2)] {
        let mut g = group(c, name);
        let cap = 64;
        g.bench_with_input(
            BenchmarkId::new("threadcheck_lifo", cap),
            &cap,
            |b, &cap| b.iter(|| run::<ThreadcheckLifo>(cap, p, q)),
        );
        g.bench_with_input(
            BenchmarkId::new("mutex_vec_condvars", cap),
            &cap,
            |b, &cap| b.iter(|| run::<Baseline<Vec<usize>>>(cap, p, q)),
        );
        g.bench_with_input(
            BenchmarkId::new("threadcheck_priority", cap),
            &cap,
            |b, &cap| b.iter(|| run::<ThreadcheckPriority>(cap, p, q)),
        );
        g.bench_with_input(
            BenchmarkId::new("mutex_binaryheap_condvars", cap),
            &cap,
            |b, &cap| b.iter(|| run::<Baseline<Heap>>(cap, p, q)),
        );
        g.finish();
    }
}

criterion_group!(benches, spsc, mpmc, lifo_priority);
criterion_main!(benches);
