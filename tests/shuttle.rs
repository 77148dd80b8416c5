//! Every corpus model under shuttle's PCT, random and DFS schedulers, one `#[test]` per
//! model per scheduler. Run with `cargo test --release --features shuttle --test shuttle`.
#![cfg(feature = "shuttle")]

use threadcheck::check::Checker;
use threadcheck::models::*;

macro_rules! scheduler_tests {
    ($module:ident, $checker:expr) => {
        mod $module {
            use super::*;
            const CHECKER: Checker = $checker;
            threadcheck::corpus_tests! { CHECKER;
                lock_mutual_exclusion => lock::MUTUAL_EXCLUSION,
                lock_two_lock_deadlock => lock::TWO_LOCK_DEADLOCK,
                lock_ordered_locks => lock::ORDERED_LOCKS,
                lock_self_deadlock => lock::SELF_DEADLOCK,
                lock_release_from_other_thread => lock::RELEASE_FROM_OTHER_THREAD,
                rlock_tutorial_rlock_is_safe => rlock::TUTORIAL_RLOCK_IS_SAFE,
                rlock_non_owner_release_errors => rlock::NON_OWNER_RELEASE_ERRORS,
                rlock_count_blocks_others => rlock::COUNT_BLOCKS_OTHERS,
                bugs_lost_update => bugs::lost_update::LOST_UPDATE,
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
        max_iterations: Some(20_000)
    }
);
