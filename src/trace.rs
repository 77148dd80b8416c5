//! Event recording for readable counterexamples.
//!
//! In the model builds the primitives record what each thread does to each primitive
//! (blocks on, acquires, releases, ...) so the harness can name a deadlock's wait-for cycle.
//! In production every call here compiles to nothing.

/// Identity of one primitive instance, as it appears in a counterexample ("Lock A").
#[derive(Debug)]
pub(crate) struct Obj {
    pub(crate) kind: &'static str,
    pub(crate) name: Option<&'static str>,
}

impl Obj {
    pub(crate) const fn new(kind: &'static str, name: Option<&'static str>) -> Self {
        Obj { kind, name }
    }
}

/// What a thread did to a primitive.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// Started waiting for the primitive (it will block unless woken).
    Blocks,
    /// Stopped waiting without getting it (timeout, error, shutdown).
    GaveUp,
    /// Acquired (a lock, a permit, an item).
    Acquired,
    /// Released (a lock, a permit).
    Released,
    /// Woke another thread.
    Notified,
    /// A timed wait expired.
    TimedOut,
    /// Put an item.
    Put,
    /// Got an item.
    Got,
    /// Set (an event flag).
    Set,
}

/// Records `ev` on `obj` by the current thread. No-op in production builds.
#[inline(always)]
pub(crate) fn event(_obj: &Obj, _ev: Event) {}
