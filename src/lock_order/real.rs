//! The production side, on when [`super::enabled`]: each OS thread's held locks in a
//! thread-local, one process-wide graph behind a mutex.
//!
//! The graph is touched only for what is new: a thread remembers each (held set, lock) pair
//! it has already added (keyed by a 64-bit fingerprint of the held set), and the same
//! acquisition under the same held set changes nothing in the graph (its edges exist, and
//! their gates already lie within that held set). So a program that keeps taking its locks
//! in the same few ways pays a thread-local push, pop and one hash lookup per acquire.
//!
//! A `Lock` may be released by a thread that does not hold it: the lock remembers which
//! thread's held set has it, and the releaser posts (that thread, lock) on a process-wide
//! list that the holder drains at its next acquire or release.

use super::graph::{Graph, Id, Site};
use crate::rt::bookkeeping::{AtomicU64, Mutex, OnceLock, Ordering::Relaxed};
use crate::trace::Obj;
use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::Location;

/// A lock's node: its id, given at its first checked acquisition, and the thread (token)
/// whose held set has it.
#[derive(Debug)]
pub(crate) struct Slot {
    id: AtomicU64,
    holder: AtomicU64,
}

impl Slot {
    pub(crate) const fn new() -> Slot {
        Slot {
            id: AtomicU64::new(0),
            holder: AtomicU64::new(0),
        }
    }
}

impl Default for Slot {
    fn default() -> Self {
        Slot::new()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let id = *self.id.get_mut();
        if id != 0 {
            graph().lock().remove(id);
        }
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);
/// Bumped when checking goes from off to on: held sets recorded before are stale (their
/// releases may have gone unrecorded while it was off).
static GENERATION: AtomicU64 = AtomicU64::new(0);
/// Releases by a thread that did not hold the lock: (holder's token, lock).
static FOREIGN_POSTED: AtomicU64 = AtomicU64::new(0);

fn foreign() -> &'static Mutex<Vec<(u64, Id)>> {
    static FOREIGN: OnceLock<Mutex<Vec<(u64, Id)>>> = OnceLock::new();
    FOREIGN.get_or_init(Default::default)
}

fn graph() -> &'static Mutex<Graph> {
    static GRAPH: OnceLock<Mutex<Graph>> = OnceLock::new();
    GRAPH.get_or_init(Default::default)
}

pub(crate) fn new_generation() {
    GENERATION.fetch_add(1, Relaxed);
}

/// splitmix64's finalizer: ids and fingerprints spread over 64 bits.
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A hasher for keys that are already well mixed.
#[derive(Default)]
struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0 ^ u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = mix(self.0 ^ x);
    }
}

/// (held-set fingerprint, lock) pairs a thread remembers at most; then it starts over.
const MAX_KNOWN: usize = 4096;

struct Held {
    id: Id,
    at: &'static Location<'static>,
}

struct ThreadState {
    token: u64,
    held: Vec<Held>,
    /// XOR of `mix(id)` over `held`: the held set's fingerprint, order-independent.
    fingerprint: u64,
    known: HashSet<(u64, Id), BuildHasherDefault<MixHasher>>,
    generation: u64,
    foreign_seen: u64,
}

impl ThreadState {
    fn new() -> ThreadState {
        ThreadState {
            token: NEXT_TOKEN.fetch_add(1, Relaxed),
            held: Vec::new(),
            fingerprint: 0,
            known: HashSet::default(),
            generation: GENERATION.load(Relaxed),
            foreign_seen: 0,
        }
    }

    /// Catches up with `set_enabled` and with releases by other threads.
    #[inline]
    fn sync(&mut self) {
        let generation = GENERATION.load(Relaxed);
        if generation != self.generation {
            self.generation = generation;
            self.held.clear();
            self.fingerprint = 0;
            self.known.clear();
        }
        if FOREIGN_POSTED.load(Relaxed) != self.foreign_seen {
            self.drain_foreign();
        }
    }

    #[cold]
    fn drain_foreign(&mut self) {
        let mut list = foreign().lock();
        self.foreign_seen = FOREIGN_POSTED.load(Relaxed);
        let token = self.token;
        let mut mine = Vec::new();
        list.retain(|&(t, id)| {
            if t == token {
                mine.push(id);
            }
            t != token
        });
        drop(list);
        for id in mine {
            self.remove(id);
        }
    }

    fn remove(&mut self, id: Id) -> bool {
        match self.held.iter().rposition(|h| h.id == id) {
            Some(i) => {
                self.held.remove(i);
                self.fingerprint ^= mix(id);
                true
            }
            None => false,
        }
    }
}

thread_local! {
    static THREAD: RefCell<ThreadState> = RefCell::new(ThreadState::new());
}

/// `obj`'s id, given (and named in the graph) the first time.
#[inline]
fn id_of(obj: &Obj) -> Id {
    match obj.order.id.load(Relaxed) {
        0 => assign(obj),
        id => id,
    }
}

#[cold]
fn assign(obj: &Obj) -> Id {
    let new = NEXT_ID.fetch_add(1, Relaxed);
    match obj.order.id.compare_exchange(0, new, Relaxed, Relaxed) {
        Ok(_) => {
            graph().lock().name(new, || super::lock_name(obj, new));
            new
        }
        Err(id) => id,
    }
}

#[inline]
pub(crate) fn before_acquire(obj: &Obj, at: &'static Location<'static>) {
    let id = id_of(obj);
    let report = THREAD
        .try_with(|t| {
            let mut t = t.borrow_mut();
            t.sync();
            if t.held.is_empty() || t.known.contains(&(t.fingerprint, id)) {
                return None;
            }
            add_edges(&mut t, id, at)
        })
        .ok()
        .flatten();
    if let Some(report) = report {
        panic!("{report}");
    }
}

#[cold]
fn add_edges(t: &mut ThreadState, id: Id, at: &'static Location<'static>) -> Option<String> {
    let mut ids: Vec<Id> = t.held.iter().map(|h| h.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let thread = super::thread_name();
    let held = &t.held;
    let report = graph().lock().add(id, &ids, |outer| Site {
        thread: thread.clone(),
        outer_at: held
            .iter()
            .find(|h| h.id == outer)
            .map(|h| h.at)
            .unwrap_or(at),
        inner_at: at,
    });
    if report.is_none() {
        if t.known.len() >= MAX_KNOWN {
            t.known.clear();
        }
        let key = (t.fingerprint, id);
        t.known.insert(key);
    }
    report
}

#[inline]
pub(crate) fn acquired(obj: &Obj, at: &'static Location<'static>) {
    let id = id_of(obj);
    let _ = THREAD.try_with(|t| {
        let mut t = t.borrow_mut();
        t.sync();
        t.held.push(Held { id, at });
        t.fingerprint ^= mix(id);
        obj.order.holder.store(t.token, Relaxed);
    });
}

#[inline]
pub(crate) fn released(obj: &Obj) {
    let id = obj.order.id.load(Relaxed);
    if id == 0 {
        return; // never acquired while checking
    }
    let _ = THREAD.try_with(|t| {
        let mut t = t.borrow_mut();
        t.sync();
        if t.remove(id) {
            return;
        }
        let holder = obj.order.holder.swap(0, Relaxed);
        if holder != 0 && holder != t.token {
            foreign_release(holder, id);
        }
    });
}

#[cold]
fn foreign_release(holder: u64, id: Id) {
    foreign().lock().push((holder, id));
    FOREIGN_POSTED.fetch_add(1, Relaxed);
}
