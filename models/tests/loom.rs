//! Every corpus model under loom, one `#[test]` each, each in its own child process (loom
//! issue #291 can abort a process after a deadlock). Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p threadcheck-corpus --release --test loom`.

threadcheck::if_loom! {
    use threadcheck_corpus::harness::Checker;

    const LOOM: Checker = Checker::Loom { preemptions: None };

    threadcheck_corpus::with_corpus!(threadcheck_corpus::corpus_tests, LOOM);
}
