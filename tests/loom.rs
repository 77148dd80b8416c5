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
    rlock_tutorial_rlock_3_threads_bounded => rlock::TUTORIAL_RLOCK_3_THREADS_BOUNDED,
    rlock_non_owner_release_errors => rlock::NON_OWNER_RELEASE_ERRORS,
    rlock_count_blocks_others => rlock::COUNT_BLOCKS_OTHERS,
    bugs_lost_update => bugs::lost_update::LOST_UPDATE,
    queue_tutorial_fifo_lifo_priority => queue::TUTORIAL_FIFO_LIFO_PRIORITY,
    queue_fifo_per_producer_order => queue::FIFO_PER_PRODUCER_ORDER,
    queue_bounded_never_exceeds_maxsize => queue::BOUNDED_NEVER_EXCEEDS_MAXSIZE,
    queue_put_blocks_until_get => queue::PUT_BLOCKS_UNTIL_GET,
    queue_join_waits_for_task_done => queue::JOIN_WAITS_FOR_TASK_DONE,
    queue_shutdown_wakes_blocked => queue::SHUTDOWN_WAKES_BLOCKED,
    queue_priority_get_is_minimum => queue::PRIORITY_GET_IS_MINIMUM,
    queue_priority_concurrent_get_sees_either => queue::PRIORITY_CONCURRENT_GET_SEES_EITHER,
    queue_producer_consumer_tutorial => queue::PRODUCER_CONSUMER_TUTORIAL,
    queue_timed_ops_time_out_and_hand_back => queue::TIMED_OPS_TIME_OUT_AND_HAND_BACK,
    queue_timed_get_racing_put_loses_nothing => queue::TIMED_GET_RACING_PUT_LOSES_NOTHING,
    bugs_racy_queue => bugs::racy_queue::RACY_QUEUE,
    bugs_empty_then_get => bugs::empty_then_get::EMPTY_THEN_GET,
    event_tutorial_waiters_proceed => event::TUTORIAL_WAITERS_PROCEED,
    event_tutorial_wait_timeout_loop => event::TUTORIAL_WAIT_TIMEOUT_LOOP,
    event_wait_timeout_returns_false => event::WAIT_TIMEOUT_RETURNS_FALSE,
    event_lost_wakeup_bug => bugs::lost_wakeup::LOST_WAKEUP_BUG,
    semaphore_tutorial_at_most_n_inside => semaphore::TUTORIAL_AT_MOST_N_INSIDE,
    semaphore_release_n_wakes_n => semaphore::RELEASE_N_WAKES_N,
    semaphore_bounded_over_release_errors => semaphore::BOUNDED_OVER_RELEASE_ERRORS,
    condition_producer_consumer => condition::PRODUCER_CONSUMER,
    condition_shared_condition_notify_one_deadlocks => condition::SHARED_CONDITION_NOTIFY_ONE_DEADLOCKS,
    condition_rlock_wait_releases_every_level => condition::RLOCK_WAIT_RELEASES_EVERY_LEVEL,
    timer_fires_once => timer::FIRES_ONCE,
    timer_cancel_race => timer::CANCEL_RACE,
    timer_deadline_order => timer::DEADLINE_ORDER,
    time_sleep_is_not_synchronization => time::SLEEP_IS_NOT_SYNCHRONIZATION,
    time_sleeps_wake_after_their_deadlines => time::SLEEPS_WAKE_AFTER_THEIR_DEADLINES,
    barrier_arrival_indices_are_distinct => barrier::ARRIVAL_INDICES_ARE_DISTINCT,
    barrier_abort_releases_every_waiter => barrier::ABORT_RELEASES_EVERY_WAITER,
    barrier_timeout_breaks_it_for_all => barrier::TIMEOUT_BREAKS_IT_FOR_ALL,
}
