//! SCTBench's `stack`: an array stack whose lock covers moving `top` but not the slot.

use crate::define_model;
use crate::harness::{Expect, Model};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Lock;

/// The array-stack models: the bug and its twin.
pub const ALL: &[&Model] = &[&STACK, &STACK_LOCKED];

const CAP: usize = 4;

/// An array stack: `top` counts the items; 0 in a slot means "never written".
struct ArrayStack {
    lock: Lock,
    slots: [AtomicUsize; CAP],
    top: AtomicUsize,
}

impl ArrayStack {
    fn push(&self, v: usize, locked: bool) {
        let g = self.lock.acquire();
        let t = self.top.load(Ordering::SeqCst);
        self.top.store(t + 1, Ordering::SeqCst);
        if !locked {
            // THE BUG: `top` is moved under the lock, the slot written after it.
            drop(g);
            self.slots[t].store(v, Ordering::SeqCst);
        } else {
            self.slots[t].store(v, Ordering::SeqCst);
        }
    }

    /// Pops if anything is there (by `top`).
    fn pop(&self) -> Option<usize> {
        let _g = self.lock.acquire();
        let t = self.top.load(Ordering::SeqCst);
        if t == 0 {
            return None;
        }
        self.top.store(t - 1, Ordering::SeqCst);
        Some(self.slots[t - 1].load(Ordering::SeqCst))
    }
}

fn push_pop(pairs: usize, locked: bool) {
    let s = Arc::new(ArrayStack {
        lock: Lock::named("stack"),
        slots: std::array::from_fn(|_| AtomicUsize::new(0)),
        top: AtomicUsize::new(0),
    });
    let mut hs = Vec::new();
    for i in 1..=pairs {
        let s1 = s.clone();
        hs.push(
            Builder::new()
                .name(format!("pusher-{i}"))
                .spawn(move || s1.push(i, locked)),
        );
        let s2 = s.clone();
        hs.push(Builder::new().name(format!("popper-{i}")).spawn(move || {
            if let Some(v) = s2.pop() {
                assert_ne!(v, 0, "stack: popped a slot no push has written");
            }
        }));
    }
    for h in hs {
        if let Err(p) = h.join() {
            std::panic::resume_unwind(p);
        }
    }
}

define_model! {
    /// After SCTBench's `stack` (a pusher and a popper over an array stack whose lock does
    /// not cover the whole operation). A push moves `top` under the lock and writes the slot
    /// after releasing it; a pop, under the lock, trusts `top` and reads the slot below it.
    /// A pop between the two halves of a push returns a slot nobody wrote:
    /// Panic("stack: popped a slot"). One pusher and one popper under loom, two of each
    /// under shuttle.
    pub STACK = "bugs/stack" {
        about: "push moves top under the lock, writes the slot after: pop reads garbage",
        expect: Expect::Panic("stack: popped a slot"),
        loom: [1],
        shuttle: 2,
        real: None,
        preemptions: None,
        run: stack,
    }
}

fn stack(n: usize) {
    push_pop(n, false);
}

define_model! {
    /// `bugs/stack` fixed: the slot is written before the lock is released, so a pop never
    /// sees `top` ahead of the data: Pass.
    pub STACK_LOCKED = "bugs/stack_locked" {
        about: "push writes the slot under the lock: pop never reads garbage",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: stack_locked,
    }
}

fn stack_locked(n: usize) {
    push_pop(n, true);
}
