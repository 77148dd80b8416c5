//! Sequential specs of the three queues: proptest drives random sequences of every operation
//! (put, try_put, put_timeout, get, try_get, get_timeout, len/is_empty/is_full, task_done,
//! join, shutdown with and without `immediate`) against a plain reference — `VecDeque` for
//! `Queue`, `Vec` as a stack for `LifoQueue`, `BinaryHeap<Reverse<_>>` for `PriorityQueue`
//! — and the reference's reading of Python's `queue.py`. One thread: an operation that would
//! block (a put on a full open queue, a get on an empty open one, `join` with unfinished
//! tasks) is not issued; its timed and try forms are.
#![cfg(not(any(loom, feature = "shuttle")))]

use proptest::prelude::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Duration;
use threadcheck::{
    GetError, GetTimeoutError, LifoQueue, PriorityQueue, PutError, PutTimeoutError, Queue,
    TaskDoneError, TryGetError, TryPutError,
};

#[derive(Clone, Debug)]
enum Op {
    Put(u8),
    TryPut(u8),
    PutTimeout(u8),
    Get,
    TryGet,
    GetTimeout,
    TaskDone,
    Join,
    Shutdown { immediate: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => any::<u8>().prop_map(Op::Put),
        3 => any::<u8>().prop_map(Op::TryPut),
        2 => any::<u8>().prop_map(Op::PutTimeout),
        5 => Just(Op::Get),
        3 => Just(Op::TryGet),
        2 => Just(Op::GetTimeout),
        4 => Just(Op::TaskDone),
        1 => Just(Op::Join),
        1 => any::<bool>().prop_map(|immediate| Op::Shutdown { immediate }),
    ]
}

/// The reference buffer for one order.
trait RefOrder: Default {
    fn push(&mut self, x: u8);
    fn pop(&mut self) -> Option<u8>;
    fn len(&self) -> usize;
}

impl RefOrder for VecDeque<u8> {
    fn push(&mut self, x: u8) {
        self.push_back(x)
    }
    fn pop(&mut self) -> Option<u8> {
        self.pop_front()
    }
    fn len(&self) -> usize {
        VecDeque::len(self)
    }
}

impl RefOrder for Vec<u8> {
    fn push(&mut self, x: u8) {
        Vec::push(self, x)
    }
    fn pop(&mut self) -> Option<u8> {
        Vec::pop(self)
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
}

impl RefOrder for BinaryHeap<Reverse<u8>> {
    fn push(&mut self, x: u8) {
        BinaryHeap::push(self, Reverse(x))
    }
    fn pop(&mut self) -> Option<u8> {
        BinaryHeap::pop(self).map(|Reverse(x)| x)
    }
    fn len(&self) -> usize {
        BinaryHeap::len(self)
    }
}

/// The queue API under test, so one spec covers all three types.
trait Q {
    fn new(maxsize: usize) -> Self;
    fn put(&self, x: u8) -> Result<(), PutError<u8>>;
    fn try_put(&self, x: u8) -> Result<(), TryPutError<u8>>;
    fn put_timeout(&self, x: u8, t: Duration) -> Result<(), PutTimeoutError<u8>>;
    fn get(&self) -> Result<u8, GetError>;
    fn try_get(&self) -> Result<u8, TryGetError>;
    fn get_timeout(&self, t: Duration) -> Result<u8, GetTimeoutError>;
    fn len(&self) -> usize;
    fn qsize(&self) -> usize;
    fn is_empty(&self) -> bool;
    fn is_full(&self) -> bool;
    fn task_done(&self) -> Result<(), TaskDoneError>;
    fn join(&self);
    fn unfinished_tasks(&self) -> usize;
    fn shutdown(&self, immediate: bool) -> Vec<u8>;
    fn is_shut_down(&self) -> bool;
}

macro_rules! impl_q {
    ($($T:ident),*) => {$(
        impl Q for $T<u8> {
            fn new(maxsize: usize) -> Self { $T::new(maxsize) }
            fn put(&self, x: u8) -> Result<(), PutError<u8>> { $T::put(self, x) }
            fn try_put(&self, x: u8) -> Result<(), TryPutError<u8>> { $T::try_put(self, x) }
            fn put_timeout(&self, x: u8, t: Duration) -> Result<(), PutTimeoutError<u8>> { $T::put_timeout(self, x, t) }
            fn get(&self) -> Result<u8, GetError> { $T::get(self) }
            fn try_get(&self) -> Result<u8, TryGetError> { $T::try_get(self) }
            fn get_timeout(&self, t: Duration) -> Result<u8, GetTimeoutError> { $T::get_timeout(self, t) }
            fn len(&self) -> usize { $T::len(self) }
            fn qsize(&self) -> usize { $T::qsize(self) }
            fn is_empty(&self) -> bool { $T::is_empty(self) }
            fn is_full(&self) -> bool { $T::is_full(self) }
            fn task_done(&self) -> Result<(), TaskDoneError> { $T::task_done(self) }
            fn join(&self) { $T::join(self) }
            fn unfinished_tasks(&self) -> usize { $T::unfinished_tasks(self) }
            fn shutdown(&self, immediate: bool) -> Vec<u8> { $T::shutdown(self, immediate) }
            fn is_shut_down(&self) -> bool { $T::is_shut_down(self) }
        }
    )*};
}
impl_q!(Queue, LifoQueue, PriorityQueue);

/// The reference: Python's `queue.py` state, on a plain buffer.
#[derive(Default)]
struct Reference<B> {
    items: B,
    maxsize: usize,
    unfinished: usize,
    shut_down: bool,
}

impl<B: RefOrder> Reference<B> {
    fn full(&self) -> bool {
        self.maxsize > 0 && self.items.len() >= self.maxsize
    }
    fn push(&mut self, x: u8) {
        self.items.push(x);
        self.unfinished += 1;
    }
}

/// Short, so a wrong "would time out" costs little; the queue must not block at all when
/// the reference says the operation can complete.
const TIMEOUT: Duration = Duration::from_millis(1);

fn run_spec<B: RefOrder, Qu: Q>(maxsize: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let q = Qu::new(maxsize);
    let mut r = Reference::<B> {
        maxsize,
        ..Default::default()
    };
    // Conservation: every item put is got, still queued, or discarded.
    let (mut put, mut got, mut discarded) = (Vec::new(), Vec::new(), Vec::new());
    for op in ops {
        match *op {
            Op::Put(x) => {
                if r.shut_down {
                    prop_assert_eq!(q.put(x), Err(PutError(x)));
                } else if !r.full() {
                    prop_assert_eq!(q.put(x), Ok(()));
                    r.push(x);
                    put.push(x);
                }
                // else: it would block forever on one thread; not issued.
            }
            Op::TryPut(x) => {
                let want = if r.shut_down {
                    Err(TryPutError::ShutDown(x))
                } else if r.full() {
                    Err(TryPutError::Full(x))
                } else {
                    r.push(x);
                    put.push(x);
                    Ok(())
                };
                prop_assert_eq!(q.try_put(x), want);
            }
            Op::PutTimeout(x) => {
                let want = if r.shut_down {
                    Err(PutTimeoutError::ShutDown(x))
                } else if r.full() {
                    Err(PutTimeoutError::Timeout(x))
                } else {
                    r.push(x);
                    put.push(x);
                    Ok(())
                };
                prop_assert_eq!(q.put_timeout(x, TIMEOUT), want);
            }
            Op::Get => {
                if let Some(x) = r.items.pop() {
                    prop_assert_eq!(q.get(), Ok(x));
                    got.push(x);
                } else if r.shut_down {
                    prop_assert_eq!(q.get(), Err(GetError));
                }
            }
            Op::TryGet => {
                let want = match r.items.pop() {
                    Some(x) => {
                        got.push(x);
                        Ok(x)
                    }
                    None if r.shut_down => Err(TryGetError::ShutDown),
                    None => Err(TryGetError::Empty),
                };
                prop_assert_eq!(q.try_get(), want);
            }
            Op::GetTimeout => {
                let want = match r.items.pop() {
                    Some(x) => {
                        got.push(x);
                        Ok(x)
                    }
                    None if r.shut_down => Err(GetTimeoutError::ShutDown),
                    None => Err(GetTimeoutError::Timeout),
                };
                prop_assert_eq!(q.get_timeout(TIMEOUT), want);
            }
            Op::TaskDone => {
                let want = if r.unfinished == 0 {
                    Err(TaskDoneError)
                } else {
                    r.unfinished -= 1;
                    Ok(())
                };
                prop_assert_eq!(q.task_done(), want);
            }
            Op::Join => {
                if r.unfinished == 0 {
                    q.join();
                }
            }
            Op::Shutdown { immediate } => {
                r.shut_down = true;
                let mut want = Vec::new();
                if immediate {
                    while let Some(x) = r.items.pop() {
                        want.push(x);
                        r.unfinished = r.unfinished.saturating_sub(1);
                    }
                }
                let d = q.shutdown(immediate);
                prop_assert_eq!(&d, &want);
                discarded.extend(d);
            }
        }
        prop_assert_eq!(q.len(), r.items.len());
        prop_assert_eq!(q.qsize(), r.items.len());
        prop_assert_eq!(q.is_empty(), r.items.len() == 0);
        prop_assert_eq!(q.is_full(), r.full());
        prop_assert_eq!(q.unfinished_tasks(), r.unfinished);
        prop_assert_eq!(q.is_shut_down(), r.shut_down);
    }
    // Drain and check nothing was lost or duplicated.
    while let Ok(x) = q.try_get() {
        got.push(x);
    }
    got.extend(discarded);
    got.sort_unstable();
    put.sort_unstable();
    prop_assert_eq!(got, put);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fifo_matches_vecdeque(maxsize in 0usize..4, ops in prop::collection::vec(op(), 0..60)) {
        run_spec::<VecDeque<u8>, Queue<u8>>(maxsize, &ops)?;
    }

    #[test]
    fn lifo_matches_vec_stack(maxsize in 0usize..4, ops in prop::collection::vec(op(), 0..60)) {
        run_spec::<Vec<u8>, LifoQueue<u8>>(maxsize, &ops)?;
    }

    #[test]
    fn priority_matches_min_heap(maxsize in 0usize..4, ops in prop::collection::vec(op(), 0..60)) {
        run_spec::<BinaryHeap<Reverse<u8>>, PriorityQueue<u8>>(maxsize, &ops)?;
    }
}

/// A put that fails hands back the very item, not a copy: checked with a non-`Clone` type.
#[test]
fn failed_put_hands_back_the_item() {
    struct Token(u32);
    let q = Queue::new(1);
    q.put(Token(1)).unwrap();
    let Err(TryPutError::Full(Token(2))) = q.try_put(Token(2)) else {
        panic!("try_put on a full queue must hand back Full(item)")
    };
    assert_eq!(
        q.shutdown(true).iter().map(|t| t.0).collect::<Vec<_>>(),
        [1]
    );
    let Err(PutError(Token(3))) = q.put(Token(3)) else {
        panic!("put after shutdown must hand back the item")
    };
}

/// Errors read well and convert as crossbeam-channel's do.
#[test]
fn errors_display_and_convert() {
    assert_eq!(TryPutError::Full(1).to_string(), "put on a full queue");
    assert_eq!(
        TaskDoneError.to_string(),
        "task_done() called too many times"
    );
    assert!(TryPutError::from(PutError(5)).is_shut_down());
    assert_eq!(PutTimeoutError::Timeout(9).into_inner(), 9);
    assert!(GetTimeoutError::from(GetError).is_shut_down());
    assert!(TryGetError::Empty.is_empty());
    let e: Box<dyn std::error::Error> = Box::new(TryPutError::ShutDown(String::new()));
    assert_eq!(e.to_string(), "put on a queue that is shut down");
}
