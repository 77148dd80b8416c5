//! Programs with known bugs. Each expects the checker to find its bug.

pub mod empty_then_get;
pub mod lost_update;
pub mod lost_wakeup;
pub mod racy_queue;

use crate::harness::Model;

/// All known-bug models.
pub const ALL: &[&Model] = &[
    &lost_update::LOST_UPDATE,
    &racy_queue::RACY_QUEUE,
    &empty_then_get::EMPTY_THEN_GET,
];
