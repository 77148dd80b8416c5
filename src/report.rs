//! Readable counterexamples, built from the events the primitives record (see `trace`).
//!
//! PLACEHOLDER until the counterexample issue lands.

/// The counterexample of the last failing check on this thread, if one was built.
pub(crate) fn take_report() -> Option<String> {
    None
}
