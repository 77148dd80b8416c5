//! SCTBench's `token_ring`: stations pass a token, one handing it on before it is done.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::Event;

/// The token ring models: the bug and its twin.
pub const ALL: &[&Model] = &[&TOKEN_RING, &TOKEN_RING_FIXED];

const STATIONS: [&str; 4] = ["token1", "token2", "token3", "token4"];

fn ring(n: usize, pass_early: bool) {
    // tokens[i] is station i+1's "you hold the token".
    let tokens: Arc<Vec<Event>> =
        Arc::new(STATIONS[..n].iter().copied().map(Event::named).collect());
    let inside = Arc::new(AtomicUsize::new(0));
    tokens[0].set();
    let (t, c) = (tokens.clone(), inside.clone());
    join_all(spawn_n(n, move |i| {
        let me = i - 1;
        t[me].wait();
        let others = c.fetch_add(1, Ordering::SeqCst);
        assert_eq!(others, 0, "token ring: two stations hold the token");
        let pass = |t: &Vec<Event>| {
            if me + 1 < t.len() {
                t[me + 1].set();
            }
        };
        if pass_early {
            // THE BUG: the token is handed on before this station leaves.
            pass(&t);
            c.fetch_sub(1, Ordering::SeqCst);
        } else {
            c.fetch_sub(1, Ordering::SeqCst);
            pass(&t);
        }
    }));
}

define_model! {
    /// After SCTBench's `token_ring` (four threads passing a token through shared
    /// variables, an assertion that the token is held once). Each station waits for its
    /// `Event`, enters, and hands the token to the next station by setting the next event.
    /// This ring hands it on *before* leaving: the next station can enter while this one is
    /// still inside, and the mutual-exclusion assertion fails: Panic("token ring"). 3
    /// stations under loom (and the main thread), SCTBench's 4 under shuttle.
    pub TOKEN_RING = "bugs/token_ring" {
        about: "a station passes the token before it leaves: two stations inside",
        expect: Expect::Panic("token ring"),
        loom: [3],
        shuttle: 4,
        real: None,
        preemptions: None,
        run: token_ring,
    }
}

fn token_ring(n: usize) {
    ring(n, true);
}

define_model! {
    /// `bugs/token_ring` fixed: a station leaves, then passes the token; the events order
    /// each station's stay after the previous one's: Pass.
    pub TOKEN_RING_FIXED = "bugs/token_ring_fixed" {
        about: "a station leaves, then passes the token: one station inside at a time",
        expect: Expect::Pass,
        loom: [3],
        shuttle: 4,
        real: Some(4),
        preemptions: None,
        run: token_ring_fixed,
    }
}

fn token_ring_fixed(n: usize) {
    ring(n, false);
}
