//! `Arc` and atomics of the build's backend, for models and users' tests.
//!
//! In production these are `std::sync::Arc` and `std::sync::atomic`; under loom and shuttle
//! they are the checker's own, so every atomic access is a point the checker explores.
//!
//! ```
//! use threadcheck::sync::{Arc, atomic::{AtomicUsize, Ordering}};
//! let n = Arc::new(AtomicUsize::new(0));
//! n.fetch_add(1, Ordering::SeqCst);
//! assert_eq!(n.load(Ordering::SeqCst), 1);
//! ```

pub use crate::rt::sync::atomic;
pub use crate::rt::sync::Arc;
