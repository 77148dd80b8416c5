//! `Lock` and `RLock` beside their peers in one run: parking_lot's `Mutex` and
//! `ReentrantMutex`, std's `Mutex`. Two shapes: an uncontended acquire+release on one thread,
//! and 2 threads taking turns on one lock (`CONTENDED_OPS` acquire+release pairs each,
//! thread spawn included).
//!
//! In production `Lock` and `RLock` run on a one-byte word with parking_lot's algorithm
//! (`src/rt/word_lock.rs`), so the peers do the same work. Ratios, not absolute numbers, are
//! the result: compare rows of the same run. `ci/bench` prints them; the README has a run.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::sync::Arc;
use threadcheck::{Lock, RLock};

const CONTENDED_OPS: usize = 10_000;

fn uncontended(c: &mut Criterion) {
    let mut g = c.benchmark_group("lock_uncontended");
    let lock = Lock::new();
    g.bench_function("threadcheck_lock", |b| {
        b.iter(|| drop(black_box(&lock).acquire()))
    });
    let rlock = RLock::new();
    g.bench_function("threadcheck_rlock", |b| {
        b.iter(|| drop(black_box(&rlock).acquire()))
    });
    let held = RLock::new();
    let _outer = held.acquire();
    g.bench_function("threadcheck_rlock_nested", |b| {
        b.iter(|| drop(black_box(&held).acquire()))
    });
    let pl = parking_lot::Mutex::new(());
    g.bench_function("parking_lot_mutex", |b| {
        b.iter(|| drop(black_box(&pl).lock()))
    });
    let plr = parking_lot::ReentrantMutex::new(());
    g.bench_function("parking_lot_reentrant_mutex", |b| {
        b.iter(|| drop(black_box(&plr).lock()))
    });
    let plr_held = parking_lot::ReentrantMutex::new(());
    let _plr_outer = plr_held.lock();
    g.bench_function("parking_lot_reentrant_mutex_nested", |b| {
        b.iter(|| drop(black_box(&plr_held).lock()))
    });
    let std_m = std::sync::Mutex::new(());
    g.bench_function("std_mutex", |b| {
        b.iter(|| drop(black_box(&std_m).lock().unwrap()))
    });
    g.finish();
}

fn turns<L: Send + Sync + 'static>(l: Arc<L>, op: fn(&L)) {
    let l2 = l.clone();
    let t = std::thread::spawn(move || (0..CONTENDED_OPS).for_each(|_| op(&l2)));
    (0..CONTENDED_OPS).for_each(|_| op(&l));
    t.join().unwrap();
}

fn contended(c: &mut Criterion) {
    let mut g = c.benchmark_group("lock_2_threads_x_10k");
    g.sample_size(20);
    g.bench_function("threadcheck_lock", |b| {
        b.iter(|| turns(Arc::new(Lock::new()), |l| drop(l.acquire())))
    });
    g.bench_function("threadcheck_rlock", |b| {
        b.iter(|| turns(Arc::new(RLock::new()), |l| drop(l.acquire())))
    });
    g.bench_function("parking_lot_mutex", |b| {
        b.iter(|| turns(Arc::new(parking_lot::Mutex::new(())), |l| drop(l.lock())))
    });
    g.bench_function("parking_lot_reentrant_mutex", |b| {
        b.iter(|| {
            turns(Arc::new(parking_lot::ReentrantMutex::new(())), |l| {
                drop(l.lock())
            })
        })
    });
    g.bench_function("std_mutex", |b| {
        b.iter(|| {
            turns(Arc::new(std::sync::Mutex::new(())), |l| {
                drop(l.lock().unwrap())
            })
        })
    });
    g.finish();
}

criterion_group!(benches, uncontended, contended);
criterion_main!(benches);
