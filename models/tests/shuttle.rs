//! Every corpus model under shuttle's PCT, random and DFS schedulers, one `#[test]` per
//! model per scheduler. Run with
//! `cargo test -p threadcheck-corpus --release --features shuttle --test shuttle`.

macro_rules! scheduler_tests {
    ($module:ident, $checker:expr) => {
        threadcheck::if_shuttle! {
            mod $module {
                use threadcheck_corpus::harness::Checker;
                const CHECKER: Checker = $checker;
                threadcheck_corpus::with_corpus!(threadcheck_corpus::corpus_tests, CHECKER);
            }
        }
    };
}

scheduler_tests!(
    pct,
    Checker::Pct {
        iterations: 1000,
        depth: 3,
        seed: Some(1)
    }
);
scheduler_tests!(
    random,
    Checker::Random {
        iterations: 1000,
        seed: Some(1)
    }
);
scheduler_tests!(
    dfs,
    Checker::Dfs {
        max_iterations: Some(threadcheck_corpus::harness::DFS_CAP)
    }
);
