//! `Lock` and `RLock` beside their peers in one run: parking_lot's `Mutex` and
//! `ReentrantMutex`, std's `Mutex`. Two shapes: an uncontended acquire+release on one thread,
//! and 2 threads taking turns on one lock (`CONTENDED_OPS` acquire+release pairs each,
//! thread spawn included).
//!
//! In production `Lock` and `RLock` run on a one-byte word with parking_lot's algorithm
//! (`src/rt/word_lock.rs`), so the peers do the same work. Ratios, not absolute numbers, are
//! the result: compare rows of the same run. `ci/bench` prints them; the README has a run.
//!
//! Group `lock_order`: one `Lock` acquire+release with `held` other locks held (0, 1, 4, 7:
//! up to 8 held during the acquire), lock-order checking off (the production default) and on
//! (`threadcheck::lock_order::set_enabled`), beside parking_lot's `Mutex` with as many of its
//! own held. Off must cost what `lock_uncontended/threadcheck_lock` costs; on, the goal is at
//! most 50 ns more than off.

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

fn lock_order(c: &mut Criterion) {
    let mut g = c.benchmark_group("lock_order");
    for held in [0usize, 1, 4, 7] {
        let outer: Vec<Lock> = (0..held).map(|_| Lock::new()).collect();
        let inner = Lock::new();
        for on in [false, true] {
            threadcheck::lock_order::set_enabled(on);
            // Taken after the switch, so the checker knows they are held.
            let guards: Vec<_> = outer.iter().map(Lock::acquire).collect();
            let name = format!(
                "threadcheck_lock_{}_held_{held}",
                if on { "on" } else { "off" }
            );
            g.bench_function(name, |b| b.iter(|| drop(black_box(&inner).acquire())));
            drop(guards);
        }
        threadcheck::lock_order::set_enabled(false);
        let pl_outer: Vec<parking_lot::Mutex<()>> =
            (0..held).map(|_| parking_lot::Mutex::new(())).collect();
        let _pl_guards: Vec<_> = pl_outer.iter().map(|m| m.lock()).collect();
        let pl = parking_lot::Mutex::new(());
        g.bench_function(format!("parking_lot_mutex_held_{held}"), |b| {
            b.iter(|| drop(black_box(&pl).lock()))
        });
    }
    g.finish();
}

criterion_group!(benches, uncontended, contended, lock_order);
criterion_main!(benches);
