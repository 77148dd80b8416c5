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
    rlock_tutorial_rlock_3_threads_bounded => rlock::TUTORIAL_RLOCK_3_THREADS_BOUNDED,
    rlock_non_owner_release_errors => rlock::NON_OWNER_RELEASE_ERRORS,
    rlock_count_blocks_others => rlock::COUNT_BLOCKS_OTHERS,
    queue_fifo_per_producer_order => queue::FIFO_PER_PRODUCER_ORDER,
    queue_bounded_never_exceeds_maxsize => queue::BOUNDED_NEVER_EXCEEDS_MAXSIZE,
    queue_put_blocks_until_get => queue::PUT_BLOCKS_UNTIL_GET,
    queue_join_waits_for_task_done => queue::JOIN_WAITS_FOR_TASK_DONE,
    queue_shutdown_wakes_blocked => queue::SHUTDOWN_WAKES_BLOCKED,
    queue_priority_get_is_minimum => queue::PRIORITY_GET_IS_MINIMUM,
    queue_producer_consumer_tutorial => queue::PRODUCER_CONSUMER_TUTORIAL,
    queue_timed_ops_time_out_and_hand_back => queue::TIMED_OPS_TIME_OUT_AND_HAND_BACK,
    queue_timed_get_racing_put_loses_nothing => queue::TIMED_GET_RACING_PUT_LOSES_NOTHING,
    event_tutorial_waiters_proceed => event::TUTORIAL_WAITERS_PROCEED,
    semaphore_tutorial_at_most_n_inside => semaphore::TUTORIAL_AT_MOST_N_INSIDE,
    semaphore_release_n_wakes_n => semaphore::RELEASE_N_WAKES_N,
    condition_producer_consumer => condition::PRODUCER_CONSUMER,
    condition_rlock_wait_releases_every_level => condition::RLOCK_WAIT_RELEASES_EVERY_LEVEL,
    timer_fires_once => timer::FIRES_ONCE,
    timer_deadline_order => timer::DEADLINE_ORDER,
    time_sleeps_wake_after_their_deadlines => time::SLEEPS_WAKE_AFTER_THEIR_DEADLINES,
    barrier_arrival_indices_are_distinct => barrier::ARRIVAL_INDICES_ARE_DISTINCT,
    barrier_abort_releases_every_waiter => barrier::ABORT_RELEASES_EVERY_WAITER,
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
