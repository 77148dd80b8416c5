//! Every corpus model under loom, one `#[test]` each, each in its own child process (loom
//! issue #291 can abort a process after a deadlock). Run with
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom`.
#![cfg(loom)]

use threadcheck::check::Checker;
use threadcheck::models::*;

const LOOM: Checker = Checker::Loom { preemptions: None };

threadcheck::corpus_tests! { LOOM;
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
