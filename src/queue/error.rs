//! Queue errors, crossbeam-channel style: small enums with `Display` + `Error`; a failed put
//! hands the item back, and a failed operation changes nothing.

use std::fmt;

/// [`put`](crate::Queue::put) failed: the queue is shut down. The item is handed back.
///
/// Python raises `queue.ShutDown`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PutError<T>(pub T);

/// [`try_put`](crate::Queue::try_put) failed. The item is handed back.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue is at its maxsize (Python: `queue.Full`).
    Full(T),
    /// The queue is shut down (Python: `queue.ShutDown`).
    ShutDown(T),
}

/// [`put_timeout`](crate::Queue::put_timeout) failed. The item is handed back.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PutTimeoutError<T> {
    /// The queue stayed full until the timeout (Python: `queue.Full`).
    Timeout(T),
    /// The queue is shut down (Python: `queue.ShutDown`).
    ShutDown(T),
}

/// [`get`](crate::Queue::get) failed: the queue is shut down and empty (Python:
/// `queue.ShutDown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GetError;

/// [`try_get`](crate::Queue::try_get) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TryGetError {
    /// Nothing to get (Python: `queue.Empty`).
    Empty,
    /// The queue is shut down and empty (Python: `queue.ShutDown`).
    ShutDown,
}

/// [`get_timeout`](crate::Queue::get_timeout) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GetTimeoutError {
    /// The queue stayed empty until the timeout (Python: `queue.Empty`).
    Timeout,
    /// The queue is shut down and empty (Python: `queue.ShutDown`).
    ShutDown,
}

/// [`task_done`](crate::Queue::task_done) was called more times than items were put
/// (Python: `ValueError: task_done() called too many times`). The count is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TaskDoneError;

// Debug does not require `T: Debug`, so `.unwrap()` works on any item type (as
// crossbeam-channel's `SendError`).
impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PutError(..)")
    }
}
impl<T> fmt::Debug for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("Full(..)"),
            TryPutError::ShutDown(_) => f.write_str("ShutDown(..)"),
        }
    }
}
impl<T> fmt::Debug for PutTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutTimeoutError::Timeout(_) => f.write_str("Timeout(..)"),
            PutTimeoutError::ShutDown(_) => f.write_str("ShutDown(..)"),
        }
    }
}

const SHUT_DOWN: &str = "the queue is shut down";

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("put on a queue that is shut down")
    }
}
impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryPutError::Full(_) => "put on a full queue",
            TryPutError::ShutDown(_) => "put on a queue that is shut down",
        })
    }
}
impl<T> fmt::Display for PutTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PutTimeoutError::Timeout(_) => "timed out waiting on a full queue",
            PutTimeoutError::ShutDown(_) => "put on a queue that is shut down",
        })
    }
}
impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SHUT_DOWN)
    }
}
impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryGetError::Empty => "get on an empty queue",
            TryGetError::ShutDown => SHUT_DOWN,
        })
    }
}
impl fmt::Display for GetTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GetTimeoutError::Timeout => "timed out waiting on an empty queue",
            GetTimeoutError::ShutDown => SHUT_DOWN,
        })
    }
}
impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called too many times")
    }
}

impl<T> std::error::Error for PutError<T> {}
impl<T> std::error::Error for TryPutError<T> {}
impl<T> std::error::Error for PutTimeoutError<T> {}
impl std::error::Error for GetError {}
impl std::error::Error for TryGetError {}
impl std::error::Error for GetTimeoutError {}
impl std::error::Error for TaskDoneError {}

impl<T> PutError<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> TryPutError<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(t) | TryPutError::ShutDown(t) => t,
        }
    }
    /// Whether the queue was full.
    pub fn is_full(&self) -> bool {
        matches!(self, TryPutError::Full(_))
    }
    /// Whether the queue was shut down.
    pub fn is_shut_down(&self) -> bool {
        matches!(self, TryPutError::ShutDown(_))
    }
}

impl<T> PutTimeoutError<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        match self {
            PutTimeoutError::Timeout(t) | PutTimeoutError::ShutDown(t) => t,
        }
    }
    /// Whether the wait timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, PutTimeoutError::Timeout(_))
    }
    /// Whether the queue was shut down.
    pub fn is_shut_down(&self) -> bool {
        matches!(self, PutTimeoutError::ShutDown(_))
    }
}

impl TryGetError {
    /// Whether the queue was empty (and still open).
    pub fn is_empty(&self) -> bool {
        matches!(self, TryGetError::Empty)
    }
    /// Whether the queue was shut down and drained.
    pub fn is_shut_down(&self) -> bool {
        matches!(self, TryGetError::ShutDown)
    }
}

impl GetTimeoutError {
    /// Whether the wait timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, GetTimeoutError::Timeout)
    }
    /// Whether the queue was shut down and drained.
    pub fn is_shut_down(&self) -> bool {
        matches!(self, GetTimeoutError::ShutDown)
    }
}

impl<T> From<PutError<T>> for TryPutError<T> {
    fn from(e: PutError<T>) -> Self {
        TryPutError::ShutDown(e.0)
    }
}
impl<T> From<PutError<T>> for PutTimeoutError<T> {
    fn from(e: PutError<T>) -> Self {
        PutTimeoutError::ShutDown(e.0)
    }
}
impl From<GetError> for TryGetError {
    fn from(_: GetError) -> Self {
        TryGetError::ShutDown
    }
}
impl From<GetError> for GetTimeoutError {
    fn from(_: GetError) -> Self {
        GetTimeoutError::ShutDown
    }
}
