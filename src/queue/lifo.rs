//! LIFO order: a stack (`Vec`), put and get at the end. Python's `queue.LifoQueue` does the
//! same on a list.

use super::Order;

pub(crate) struct Lifo<T>(Vec<T>);

impl<T> Order for Lifo<T> {
    type Item = T;

    fn with_capacity(n: usize) -> Self {
        Lifo(Vec::with_capacity(n))
    }
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(item)
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}
