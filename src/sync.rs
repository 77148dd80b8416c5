//! `Arc` and atomics of the build's backend, for models and users' tests.
//!
//! The atomics are the build's: `std::sync::atomic` in production, the checker's own under
//! loom and shuttle, so every atomic access is a point the checker explores. `Arc` is std's
//! in every build: its reference count is not what the corpus checks, and loom's `Arc` would
//! make every clone and drop a scheduling point.
//!
//! ```
//! use threadcheck::sync::{Arc, atomic::{AtomicUsize, Ordering}};
//! let n = Arc::new(AtomicUsize::new(0));
//! n.fetch_add(1, Ordering::SeqCst);
//! assert_eq!(n.load(Ordering::SeqCst), 1);
//! ```

pub use crate::rt::sync::atomic;
pub use crate::rt::sync::Arc;
