//! Every corpus model under loom, one `#[test]` each, each in its own child process (loom
//! issue #291 can abort a process after a deadlock). Run with
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom`.
#![cfg(loom)]

use threadcheck::check::Checker;

const LOOM: Checker = Checker::Loom { preemptions: None };

threadcheck::with_corpus!(threadcheck::corpus_tests, LOOM);
