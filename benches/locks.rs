//! `Lock` and `RLock` beside their peers in one run: parking_lot's `Mutex` and
//! `ReentrantMutex`, std's `Mutex`. Two shapes: an uncontended acquire+release on one thread,
//! and 2 threads taking turns on one lock (`CONTENDED_OPS` acquire+release pairs each).
//!
//! `Lock`/`RLock` keep their state inside a parking_lot mutex (see src/lock.rs for why:
//! one scheduling point per operation under loom), so an uncontended acquire+release is two
//! mutex round trips where parking_lot's `Mutex` needs one. Ratios, not absolute numbers,
//! are the result: compare rows of the same run. Figures are in the README.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::sync::Arc;
use threadcheck::{Lock, RLock};

const CONTENDED_OPS: usize = 10_000;

fn uncontended(c: &mut Criterion) {
    let mut g = c.benchmark_group("uncontended acquire+release");
    let lock = Lock::new();
    g.bench_function("threadcheck::Lock", |b| {
        b.iter(|| drop(black_box(&lock).acquire()))
    });
    let rlock = RLock::new();
    g.bench_function("threadcheck::RLock", |b| {
        b.iter(|| drop(black_box(&rlock).acquire()))
    });
    let held = RLock::new();
    let _outer = held.acquire();
    g.bench_function("threadcheck::RLock nested", |b| {
        b.iter(|| drop(black_box(&held).acquire()))
    });
    let pl = parking_lot::Mutex::new(());
    g.bench_function("parking_lot::Mutex", |b| {
        b.iter(|| drop(black_box(&pl).lock()))
    });
    let plr = parking_lot::ReentrantMutex::new(());
    g.bench_function("parking_lot::ReentrantMutex", |b| {
        b.iter(|| drop(black_box(&plr).lock()))
    });
    let std_m = std::sync::Mutex::new(());
    g.bench_function("std::sync::Mutex", |b| {
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
    let mut g = c.benchmark_group("2 threads x 10k acquire+release");
    g.sample_size(20);
    g.bench_function("threadcheck::Lock", |b| {
        b.iter(|| turns(Arc::new(Lock::new()), |l| drop(l.acquire())))
    });
    g.bench_function("threadcheck::RLock", |b| {
        b.iter(|| turns(Arc::new(RLock::new()), |l| drop(l.acquire())))
    });
    g.bench_function("parking_lot::Mutex", |b| {
        b.iter(|| turns(Arc::new(parking_lot::Mutex::new(())), |l| drop(l.lock())))
    });
    g.bench_function("parking_lot::ReentrantMutex", |b| {
        b.iter(|| {
            turns(Arc::new(parking_lot::ReentrantMutex::new(())), |l| {
                drop(l.lock())
            })
        })
    });
    g.bench_function("std::sync::Mutex", |b| {
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
