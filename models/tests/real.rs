//! Every corpus model on real threads, many runs each with a hang watchdog. Models whose
//! expected bug would hang real threads (deadlocks) are asserted to be reported as not run.
//! Run with `cargo test -p threadcheck-corpus --release --test real`.

threadcheck::if_production! {
    use threadcheck_corpus::harness::Checker;

    const REAL: Checker = Checker::Real { runs: 200 };

    threadcheck_corpus::with_corpus!(threadcheck_corpus::corpus_tests, REAL);
}
