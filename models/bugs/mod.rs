//! Programs with known bugs. Each expects the checker to find its bug.

pub mod lost_update;

use threadcheck::check::Model;

/// All known-bug models.
pub const ALL: &[&Model] = &[&lost_update::LOST_UPDATE];
