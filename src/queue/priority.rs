//! Priority order: a binary min-heap (`BinaryHeap<Reverse<T>>`), get returns the smallest
//! item. Python's `queue.PriorityQueue` uses `heapq`, also a binary min-heap; neither is
//! stable: equal items come out in no particular order.

use super::Order;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub(crate) struct Priority<T>(BinaryHeap<Reverse<T>>);

impl<T: Ord> Order for Priority<T> {
    type Item = T;

    fn with_capacity(n: usize) -> Self {
        Priority(BinaryHeap::with_capacity(n))
    }
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item))
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(t)| t)
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}
