//! Error types. Small enums with `Display` + `Error`; a failed operation changes nothing.

use std::fmt;

/// Why a release was refused. The primitive is left exactly as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReleaseError {
    /// The lock was not held (Python: `RuntimeError: release unlocked lock`).
    Unlocked,
    /// The calling thread does not own the `RLock`
    /// (Python: `RuntimeError: cannot release un-acquired lock`).
    NotOwner,
    /// Releasing would raise a `BoundedSemaphore` above its initial value
    /// (Python: `ValueError: Semaphore released too many times`).
    TooManyReleases,
    /// `release(0)` on a semaphore: releasing nothing is a bug in the caller's count
    /// (Python: `ValueError: n must be one or more`).
    ZeroPermits,
}

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReleaseError::Unlocked => "release of an unlocked lock",
            ReleaseError::NotOwner => "release of an RLock by a thread that does not own it",
            ReleaseError::TooManyReleases => {
                "semaphore released too many times (above its initial value)"
            }
            ReleaseError::ZeroPermits => "semaphore release(0): n must be one or more",
        })
    }
}

impl std::error::Error for ReleaseError {}
