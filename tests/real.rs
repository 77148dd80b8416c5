//! Every corpus model that is meaningful on real threads (not the deadlock ones: those would
//! hang), run many times on OS threads with a hang watchdog.
#![cfg(not(any(loom, feature = "shuttle")))]

use threadcheck::check::{Checker, Verdict};
use threadcheck::models::*;

const REAL: Checker = Checker::Real { runs: 200 };

threadcheck::corpus_tests! { REAL;
    lock_mutual_exclusion => lock::MUTUAL_EXCLUSION,
    lock_ordered_locks => lock::ORDERED_LOCKS,
    lock_release_from_other_thread => lock::RELEASE_FROM_OTHER_THREAD,
    rlock_tutorial_rlock_is_safe => rlock::TUTORIAL_RLOCK_IS_SAFE,
    rlock_non_owner_release_errors => rlock::NON_OWNER_RELEASE_ERRORS,
    rlock_count_blocks_others => rlock::COUNT_BLOCKS_OTHERS,
}

#[test]
fn deadlock_models_are_reported_not_run_on_real_threads() {
    for m in all().into_iter().filter(|m| !m.real) {
        for o in threadcheck::check::run(m, &REAL) {
            assert!(
                matches!(o.verdict, Verdict::Unavailable(_)),
                "{}: {:?}",
                m.name,
                o.verdict
            );
            assert!(
                !o.matched,
                "a model that was not run must not count as matched"
            );
        }
    }
}
