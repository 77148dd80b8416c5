//! The production queue core (spin before parking, on loom's atomics), for
//! `tests/fastpath_queue.rs`. Not API: loom build only, hidden, may change at any time.

use super::{Core, Fifo, GetFail, PutFail};
use crate::rt::handoff::LoomSpin;
use crate::trace::Obj;

/// A FIFO queue of `usize` with production's handoff shape.
pub struct SpinQueue(Core<Fifo<usize>, LoomSpin>);

impl SpinQueue {
    /// At most `maxsize` items (0: unbounded).
    pub fn new(maxsize: usize) -> Self {
        SpinQueue(Core::new(maxsize, Obj::new("Queue", None)))
    }
    /// Blocking put; false (item dropped) if the queue is shut down.
    pub fn put(&self, v: usize) -> bool {
        match self.0.put(v, None) {
            Ok(()) => true,
            Err(PutFail::ShutDown(_)) => false,
            Err(PutFail::Full(_) | PutFail::Timeout(_)) => unreachable!("untimed put"),
        }
    }
    /// Blocking get; `None` once shut down and drained.
    pub fn get(&self) -> Option<usize> {
        match self.0.get(None) {
            Ok(v) => Some(v),
            Err(GetFail::ShutDown) => None,
            Err(e) => unreachable!("untimed get failed: {e:?}"),
        }
    }
    /// Shuts down; the discarded items if `immediate`.
    pub fn shutdown(&self, immediate: bool) -> Vec<usize> {
        self.0.shutdown(immediate)
    }
    /// Items in the queue.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }
}
