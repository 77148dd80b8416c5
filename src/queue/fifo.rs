//! FIFO order: a ring buffer (`VecDeque`), put at the back, get from the front. Python's
//! `queue.Queue` does the same on a `collections.deque`.

use super::Order;
use std::collections::VecDeque;

pub(crate) struct Fifo<T>(VecDeque<T>);

impl<T> Order for Fifo<T> {
    type Item = T;

    fn with_capacity(n: usize) -> Self {
        Fifo(VecDeque::with_capacity(n))
    }
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push_back(item)
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}
