//! `test_queue.py` (3.13): BaseSimpleQueueTest, against `Queue::unbounded()` (Python's
//! `SimpleQueue`: unbounded, FIFO).

use super::*;
use std::sync::Arc;
use threadcheck::{GetTimeoutError, Queue, TryGetError};

#[test]
fn simple_queue_basic() {
    check(|| {
        let q = Queue::unbounded();
        assert!(q.is_empty());
        assert_eq!(q.qsize(), 0);
        q.put(1).unwrap();
        assert_eq!(q.qsize(), 1);
        q.put(2).unwrap();
        q.try_put(3).unwrap();
        q.put(4).unwrap();
        assert_eq!(q.qsize(), 4);
        assert_eq!(q.get(), Ok(1));
        assert_eq!(q.try_get(), Ok(2));
        assert_eq!(q.try_get(), Ok(3));
        assert_eq!(q.get_timeout(ms(100)), Ok(4));
        assert!(q.is_empty());
        assert_eq!(q.try_get(), Err(TryGetError::Empty));
        assert_eq!(q.get_timeout(ms(1)), Err(GetTimeoutError::Timeout));
        assert_eq!(q.qsize(), 0);
    });
}

/// `run_threads`: `n` feeders pop from a shared input list and put, then put a sentinel
/// (`None`); `n` consumers get until a sentinel, with `get` as given.
fn run_threads(
    n: usize,
    inputs: Vec<usize>,
    get: fn(&Queue<Option<usize>>) -> Option<usize>,
) -> Vec<usize> {
    let q = Arc::new(Queue::unbounded());
    let seq = Arc::new(std::sync::Mutex::new(
        inputs.into_iter().rev().collect::<Vec<_>>(),
    ));
    let results = log();
    let mut hs = Vec::new();
    for _ in 0..n {
        let (q, seq) = (q.clone(), seq.clone());
        hs.push(thread::spawn(move || loop {
            let next = seq.lock().unwrap().pop();
            q.put(next).unwrap();
            if next.is_none() {
                return;
            }
        }));
    }
    for _ in 0..n {
        let (q, r) = (q.clone(), results.clone());
        hs.push(thread::spawn(move || {
            while let Some(v) = get(&q) {
                r.push(v);
            }
        }));
    }
    finish(hs);
    assert!(q.is_empty());
    results.get()
}

fn consume(q: &Queue<Option<usize>>) -> Option<usize> {
    q.get().unwrap()
}

fn consume_nonblock(q: &Queue<Option<usize>>) -> Option<usize> {
    loop {
        match q.try_get() {
            Ok(v) => return v,
            Err(_) => threadcheck::sleep(Duration::from_micros(10)),
        }
    }
}

fn consume_timeout(q: &Queue<Option<usize>>) -> Option<usize> {
    loop {
        if let Ok(v) = q.get_timeout(Duration::from_micros(10)) {
            return v;
        }
    }
}

#[test]
fn simple_queue_order() {
    check(|| {
        // One producer, one consumer: results in input order.
        let inputs: Vec<usize> = (0..size(100, 3)).collect();
        assert_eq!(run_threads(1, inputs.clone(), consume), inputs);
    });
}

fn many_threads(get: fn(&Queue<Option<usize>>) -> Option<usize>, items: usize) {
    let inputs: Vec<usize> = (0..size(items, 2)).collect();
    let mut got = run_threads(size(50, 1), inputs.clone(), get);
    got.sort();
    assert_eq!(got, inputs);
}

#[test]
fn simple_queue_many_threads() {
    check(|| many_threads(consume, 10_000));
}

#[test]
fn simple_queue_many_threads_nonblock() {
    check(|| many_threads(consume_nonblock, 10_000));
}

#[test]
fn simple_queue_many_threads_timeout() {
    check(|| many_threads(consume_timeout, 1_000));
}

/// Python checks with a weak reference that the queue drops its reference to an item as
/// soon as it leaves; here, the strong count of an `Arc` item.
#[test]
fn simple_queue_references() {
    check(|| {
        let q = Queue::unbounded();
        let n = size(20, 2);
        for _ in 0..n {
            q.put(Arc::new(())).unwrap();
        }
        for _ in 0..n {
            assert_eq!(Arc::strong_count(&q.get().unwrap()), 1);
        }
    });
}
