//! Real-thread tests of the queues, in crossbeam-channel's familiar order (smoke, capacity,
//! try, timeout, shutdown wakes waiters, spsc, mpmc, drops). Adapted from the shape of
//! crossbeam-channel's `tests/array.rs`, rewritten for Python's `queue` semantics: no
//! disconnection, but `shutdown`, `task_done` and `join`.
#![cfg(not(any(loom, feature = "shuttle")))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use threadcheck::{GetError, GetTimeoutError, LifoQueue, PriorityQueue, PutTimeoutError, Queue};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn smoke() {
    let q = Queue::new(1);
    q.put(7).unwrap();
    assert_eq!(q.try_get(), Ok(7));
    assert!(q.try_get().unwrap_err().is_empty());
    assert_eq!(q.maxsize(), 1);
    assert_eq!(Queue::<i32>::unbounded().maxsize(), 0);
}

#[test]
fn capacity() {
    for cap in 1..4 {
        let q = Queue::new(cap);
        for i in 0..cap {
            q.try_put(i).unwrap();
        }
        assert!(q.is_full());
        assert!(q.try_put(99).unwrap_err().is_full());
        assert_eq!(q.len(), cap);
    }
    let q = Queue::new(0);
    for i in 0..10_000 {
        q.try_put(i).unwrap();
    }
    assert!(!q.is_full(), "an unbounded queue is never full");
}

#[test]
fn put_timeout_waits_then_hands_back() {
    let q = Queue::new(1);
    q.put(1).unwrap();
    let start = Instant::now();
    let e = q.put_timeout(2, ms(50)).unwrap_err();
    assert!(start.elapsed() >= ms(50));
    assert_eq!(e, PutTimeoutError::Timeout(2));
}

#[test]
fn get_timeout_gets_an_item_put_in_time() {
    let q = Arc::new(Queue::new(0));
    let q2 = q.clone();
    let h = thread::spawn(move || {
        thread::sleep(ms(20));
        q2.put(5).unwrap();
    });
    assert_eq!(q.get_timeout(Duration::from_secs(10)), Ok(5));
    h.join().unwrap();
    assert_eq!(q.get_timeout(ms(10)), Err(GetTimeoutError::Timeout));
}

#[test]
fn shutdown_wakes_blocked_getters_and_putters() {
    let empty = Arc::new(Queue::<u32>::new(1));
    let full = Arc::new(Queue::new(1));
    full.put(0).unwrap();
    let getters: Vec<_> = (0..3)
        .map(|_| {
            let q = empty.clone();
            thread::spawn(move || q.get())
        })
        .collect();
    let putters: Vec<_> = (1..=3)
        .map(|i| {
            let q = full.clone();
            thread::spawn(move || q.put(i).map_err(|e| e.into_inner()))
        })
        .collect();
    thread::sleep(ms(50)); // let them block (not required for correctness)
    empty.shutdown(false);
    assert_eq!(full.shutdown(true), vec![0]);
    for g in getters {
        assert_eq!(g.join().unwrap(), Err(GetError));
    }
    let mut back: Vec<u32> = putters
        .into_iter()
        .map(|p| p.join().unwrap().unwrap_err())
        .collect();
    back.sort();
    assert_eq!(back, [1, 2, 3]);
}

#[test]
fn shutdown_immediate_releases_join() {
    let q = Arc::new(Queue::new(0));
    for i in 0..3 {
        q.put(i).unwrap();
    }
    let q2 = q.clone();
    let joiner = thread::spawn(move || q2.join());
    thread::sleep(ms(20));
    assert_eq!(q.shutdown(true), vec![0, 1, 2]);
    joiner.join().unwrap();
    assert_eq!(q.unfinished_tasks(), 0);
}

#[test]
fn spsc_in_order() {
    const N: usize = 100_000;
    let q = Arc::new(Queue::new(3));
    let q2 = q.clone();
    let h = thread::spawn(move || {
        for i in 0..N {
            q2.put(i).unwrap();
        }
    });
    for i in 0..N {
        assert_eq!(q.get(), Ok(i));
    }
    h.join().unwrap();
}

#[test]
fn mpmc_every_item_once() {
    const PER: usize = 25_000;
    const THREADS: usize = 4;
    let q = Arc::new(Queue::new(8));
    let seen: Arc<Vec<AtomicUsize>> =
        Arc::new((0..PER * THREADS).map(|_| AtomicUsize::new(0)).collect());
    let mut hs = Vec::new();
    for t in 0..THREADS {
        let q = q.clone();
        hs.push(thread::spawn(move || {
            for i in 0..PER {
                q.put(t * PER + i).unwrap();
            }
        }));
    }
    for _ in 0..THREADS {
        let (q, seen) = (q.clone(), seen.clone());
        hs.push(thread::spawn(move || {
            for _ in 0..PER {
                seen[q.get().unwrap()].fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    assert!(seen.iter().all(|c| c.load(Ordering::Relaxed) == 1));
}

#[test]
fn join_waits_for_workers() {
    let q = Arc::new(Queue::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (q, done) = (q.clone(), done.clone());
            thread::spawn(move || {
                while q.get().is_ok() {
                    thread::sleep(Duration::from_micros(100));
                    done.fetch_add(1, Ordering::SeqCst);
                    q.task_done().unwrap();
                }
            })
        })
        .collect();
    for i in 0..100 {
        q.put(i).unwrap();
    }
    q.join();
    assert_eq!(done.load(Ordering::SeqCst), 100);
    q.shutdown(false);
    for w in workers {
        w.join().unwrap();
    }
}

#[test]
fn drops_each_item_exactly_once() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct D;
    impl Drop for D {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }
    {
        let q = Queue::new(0);
        for _ in 0..10 {
            q.put(D).unwrap();
        }
        drop(q.get().unwrap()); // 1
        let taken = q.shutdown(true).into_iter().take(3).count(); // the 3 taken, the other 6
        assert_eq!(taken, 3);
        assert_eq!(DROPS.load(Ordering::SeqCst), 10);
        q.put(D).unwrap_err(); // handed back, then dropped: 11
        let lq = LifoQueue::new(0);
        lq.put(D).unwrap();
        let pq = PriorityQueue::new(0);
        pq.put(1).unwrap();
        // lq and its item dropped at end of scope: 12
    }
    assert_eq!(DROPS.load(Ordering::SeqCst), 12);
}
