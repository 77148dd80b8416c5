//! The JDK 1.4 `StringBuffer.append(StringBuffer)` atomicity violation.

use crate::define_model;
use crate::harness::{Expect, Model};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::thread::Builder;
use threadcheck::Lock;

/// The StringBuffer models: the bug and its twin.
pub const ALL: &[&Model] = &[&STRINGBUFFER, &STRINGBUFFER_LOCKED];

/// A string buffer with its own lock: only its length matters here.
struct StringBuffer {
    lock: Lock,
    len: AtomicUsize,
}

impl StringBuffer {
    fn new(name: &'static str, len: usize) -> Self {
        StringBuffer {
            lock: Lock::named(name),
            len: AtomicUsize::new(len),
        }
    }

    /// `length()`: synchronized on its own lock.
    fn length(&self) -> usize {
        let _g = self.lock.acquire();
        self.len.load(Ordering::SeqCst)
    }

    /// `get_chars(0, n)` with this buffer's lock held by the caller: copies the first `n`.
    fn get_chars_held(&self, n: usize) -> usize {
        let len = self.len.load(Ordering::SeqCst);
        assert!(
            n <= len,
            "stringbuffer: getChars(0, {n}) past the end of a buffer of {len}"
        );
        n
    }

    /// `get_chars(0, n)`: synchronized on its own lock.
    fn get_chars(&self, n: usize) -> usize {
        let _g = self.lock.acquire();
        self.get_chars_held(n)
    }

    /// `set_length(0)`: synchronized on its own lock.
    fn clear(&self) {
        let _g = self.lock.acquire();
        self.len.store(0, Ordering::SeqCst);
    }

    /// JDK 1.4's `append(sb)`: synchronized on `self`, but it asks `other` for its length
    /// and then for its characters, each under `other`'s lock separately.
    fn append_racy(&self, other: &StringBuffer) {
        let _g = self.lock.acquire();
        let n = other.length();
        // <- another thread can shorten `other` here.
        let copied = other.get_chars(n);
        self.len.fetch_add(copied, Ordering::SeqCst);
    }

    /// The fix: hold `other`'s lock across both (always `self` then `other`).
    fn append_locked(&self, other: &StringBuffer) {
        let _g = self.lock.acquire();
        let _go = other.lock.acquire();
        let n = other.len.load(Ordering::SeqCst);
        let copied = other.get_chars_held(n);
        self.len.fetch_add(copied, Ordering::SeqCst);
    }
}

fn append_while_cleared(append: fn(&StringBuffer, &StringBuffer)) {
    let sb = Arc::new(StringBuffer::new("sb", 3));
    let other = Arc::new(StringBuffer::new("other", 5));
    let o = other.clone();
    let clearer = Builder::new().name("Thread-1").spawn(move || o.clear());
    append(&sb, &other);
    clearer.join().unwrap();
}

define_model! {
    /// The atomicity violation in JDK 1.4's `StringBuffer.append(StringBuffer sb)` (Flanagan
    /// and Qadeer found it with their atomicity checker; SCTBench has it as `stringbuffer`).
    /// Every method is `synchronized`, and `append` is too, on the buffer appended *to*. It
    /// reads `sb.length()`, then calls `sb.getChars(0, len, ...)`: two calls, each
    /// synchronized on `sb` alone. A thread that empties `sb` between them makes `getChars`
    /// run past its end (Java: `StringIndexOutOfBoundsException`): Panic("stringbuffer").
    pub STRINGBUFFER = "bugs/stringbuffer" {
        about: "append reads the other buffer's length, then its chars, under separate locks",
        expect: Expect::Panic("stringbuffer"),
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        run: stringbuffer,
    }
}

fn stringbuffer(_n: usize) {
    append_while_cleared(StringBuffer::append_racy);
}

define_model! {
    /// `bugs/stringbuffer` fixed: `append` holds the other buffer's lock across reading its
    /// length and copying its characters (locks taken in one order: the target, then the
    /// source), so the length it copies is the length the source has: Pass.
    pub STRINGBUFFER_LOCKED = "bugs/stringbuffer_locked" {
        about: "append holds the other buffer's lock across length and copy",
        expect: Expect::Pass,
        loom: [1],
        shuttle: 1,
        real: Some(1),
        preemptions: None,
        run: stringbuffer_locked,
    }
}

fn stringbuffer_locked(_n: usize) {
    append_while_cleared(StringBuffer::append_locked);
}
