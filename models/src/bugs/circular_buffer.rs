//! SCTBench's `circular_buffer`: the producer's and consumer's shared count, updated outside
//! the buffer's lock.

use crate::define_model;
use crate::harness::{Expect, Model};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Lock;

/// The circular buffer models: the bug and its twin.
pub const ALL: &[&Model] = &[&CIRCULAR_BUFFER, &CIRCULAR_BUFFER_LOCKED];

const SIZE: usize = 2;

/// A ring of `SIZE` slots: the slots and the two indices under `lock`, and `count`, which
/// both sides read to decide whether to go on.
struct Ring {
    lock: Lock,
    slots: [AtomicUsize; SIZE],
    head: AtomicUsize,
    tail: AtomicUsize,
    count: AtomicUsize,
}

impl Ring {
    fn new() -> Self {
        Ring {
            lock: Lock::named("buffer"),
            slots: [AtomicUsize::new(0), AtomicUsize::new(0)],
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
            count: AtomicUsize::new(0),
        }
    }

    /// `count += 1` (or `-= 1`) as what it is: a read, then a write.
    fn bump(&self, up: bool) {
        let c = self.count.load(Ordering::SeqCst);
        self.count
            .store(if up { c + 1 } else { c - 1 }, Ordering::SeqCst);
    }

    fn send(&self, v: usize, locked_count: bool) -> bool {
        let g = self.lock.acquire();
        if self.count.load(Ordering::SeqCst) == SIZE {
            return false;
        }
        let t = self.tail.load(Ordering::SeqCst);
        self.slots[t].store(v, Ordering::SeqCst);
        self.tail.store((t + 1) % SIZE, Ordering::SeqCst);
        if locked_count {
            self.bump(true);
        } else {
            drop(g);
            // THE BUG: the count is updated after the lock is gone.
            self.bump(true);
        }
        true
    }

    fn receive(&self, locked_count: bool) -> Option<usize> {
        let g = self.lock.acquire();
        if self.count.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let h = self.head.load(Ordering::SeqCst);
        let v = self.slots[h].load(Ordering::SeqCst);
        self.head.store((h + 1) % SIZE, Ordering::SeqCst);
        if locked_count {
            self.bump(false);
        } else {
            drop(g);
            self.bump(false);
        }
        Some(v)
    }
}

fn ring(locked_count: bool) {
    let ring = Arc::new(Ring::new());
    let r = ring.clone();
    let receiver = Builder::new().name("receiver").spawn(move || {
        let mut got = 0;
        for _ in 0..2 {
            got += usize::from(r.receive(locked_count).is_some());
        }
        got
    });
    let mut sent = 0;
    for v in 1..=2 {
        sent += usize::from(ring.send(v, locked_count));
    }
    let got = receiver.join().unwrap();
    let count = ring.count.load(Ordering::SeqCst);
    assert_eq!(
        count,
        sent - got,
        "circular buffer: count {count} after {sent} sent and {got} received"
    );
}

define_model! {
    /// After SCTBench's `circular_buffer`: a sender and a receiver share a two-slot ring.
    /// Slots and indices are updated under the buffer's lock; the fill count — which both
    /// read under the lock to decide "full" and "empty" — is bumped after the lock is
    /// released, as `count += 1`. A send's increment and a receive's decrement can
    /// interleave and one is lost: the count no longer says how many items are in the ring
    /// (and the next receive reads a stale slot, or a send overwrites a full one).
    /// Panic("circular buffer"). The main thread sends, one thread receives, as in SCTBench.
    pub CIRCULAR_BUFFER = "bugs/circular_buffer" {
        about: "a ring buffer's fill count updated outside its lock loses a send or receive",
        expect: Expect::Panic("circular buffer"),
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        run: circular_buffer,
    }
}

fn circular_buffer(_n: usize) {
    ring(false);
}

define_model! {
    /// `bugs/circular_buffer` fixed: the count is updated under the lock with the slots and
    /// indices, so it always equals sends minus receives: Pass.
    pub CIRCULAR_BUFFER_LOCKED = "bugs/circular_buffer_locked" {
        about: "a ring buffer whose fill count is updated under its lock",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: circular_buffer_locked,
    }
}

fn circular_buffer_locked(_n: usize) {
    ring(true);
}
