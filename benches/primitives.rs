//! The other primitives beside the peer a Rust user would reach for, in one run: a
//! parking_lot `Mutex` + `Condvar` semaphore, event and condition, std's `Barrier`; `Timer`
//! against its goal alone (no peer keeps a million pending timers). `ci/bench` turns the
//! medians into the README's table of ratios; compare rows of the same run only.

use criterion::{criterion_group, criterion_main, Criterion};
use parking_lot::{Condvar, Mutex};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

/// The textbook semaphore on parking_lot: a count under a mutex, a condvar for waiters,
/// a notify only when someone waits.
struct PlSemaphore {
    permits: Mutex<usize>,
    waiters: Mutex<()>,
    cv: Condvar,
}

impl PlSemaphore {
    fn new(n: usize) -> Self {
        PlSemaphore {
            permits: Mutex::new(n),
            waiters: Mutex::new(()),
            cv: Condvar::new(),
        }
    }
    fn acquire(&self) {
        let mut p = self.permits.lock();
        while *p == 0 {
            self.cv.wait(&mut p);
        }
        *p -= 1;
    }
    fn release(&self) {
        let mut p = self.permits.lock();
        *p += 1;
        drop(p);
        let _w = self.waiters.lock();
        self.cv.notify_one();
    }
}

fn semaphore(c: &mut Criterion) {
    let mut g = c.benchmark_group("semaphore_uncontended");
    let sem = threadcheck::Semaphore::new(1);
    g.bench_function("threadcheck_semaphore", |b| {
        b.iter(|| drop(black_box(&sem).acquire()))
    });
    let bsem = threadcheck::BoundedSemaphore::new(1);
    g.bench_function("threadcheck_bounded_semaphore", |b| {
        b.iter(|| drop(black_box(&bsem).acquire()))
    });
    let pl = PlSemaphore::new(1);
    g.bench_function("parking_lot_mutex_condvar", |b| {
        b.iter(|| {
            black_box(&pl).acquire();
            pl.release();
        })
    });
    g.finish();
}

fn event(c: &mut Criterion) {
    let mut g = c.benchmark_group("event_set_no_waiter");
    let ev = threadcheck::Event::new();
    g.bench_function("threadcheck_event", |b| b.iter(|| black_box(&ev).set()));
    let flag = Mutex::new(false);
    let cv = Condvar::new();
    g.bench_function("parking_lot_mutex_condvar", |b| {
        b.iter(|| {
            *black_box(&flag).lock() = true;
            cv.notify_all();
        })
    });
    g.finish();
}

fn condition(c: &mut Criterion) {
    let mut g = c.benchmark_group("condition_notify_no_waiter");
    let cond = threadcheck::Condition::new();
    g.bench_function("threadcheck_condition", |b| {
        b.iter(|| black_box(&cond).acquire().notify(1))
    });
    let m = Mutex::new(());
    let cv = Condvar::new();
    g.bench_function("parking_lot_mutex_condvar", |b| {
        b.iter(|| {
            let _g = black_box(&m).lock();
            cv.notify_one()
        })
    });
    g.finish();
}

/// Rounds of a 2-party barrier per iteration.
const BARRIER_ROUNDS: usize = 1_000;

/// Two threads meet at `bar` `BARRIER_ROUNDS` times.
fn barrier_rounds<B: Send + Sync + 'static>(bar: Arc<B>, wait: fn(&B)) {
    let b2 = bar.clone();
    let t = std::thread::spawn(move || (0..BARRIER_ROUNDS).for_each(|_| wait(&b2)));
    (0..BARRIER_ROUNDS).for_each(|_| wait(&bar));
    t.join().unwrap();
}

fn barrier(c: &mut Criterion) {
    let mut g = c.benchmark_group("barrier_2_threads_x_1k");
    g.sample_size(20);
    g.bench_function("threadcheck_barrier", |b| {
        b.iter(|| {
            barrier_rounds(Arc::new(threadcheck::Barrier::new(2)), |b| {
                b.wait().expect("never broken");
            })
        })
    });
    g.bench_function("std_barrier", |b| {
        b.iter(|| {
            barrier_rounds(Arc::new(std::sync::Barrier::new(2)), |b| {
                b.wait();
            })
        })
    });
    g.finish();
}

/// Timers left pending while the bench starts and cancels one more: the million.
fn pending_timers() -> usize {
    std::env::var("THREADCHECK_BENCH_TIMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn timer(c: &mut Criterion) {
    let mut g = c.benchmark_group("timer_start_cancel");
    let far = Duration::from_secs(3600);
    let pending: Vec<_> = (0..pending_timers())
        .map(|_| threadcheck::Timer::after(far, || {}))
        .collect();
    g.bench_function("threadcheck_timer_1m_pending", |b| {
        b.iter(|| black_box(threadcheck::Timer::after(far, || {})).cancel())
    });
    g.finish();
    for t in &pending {
        t.cancel();
    }
}

criterion_group!(benches, semaphore, event, condition, barrier, timer);
criterion_main!(benches);
