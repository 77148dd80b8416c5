//! threadcheck's corpus: programs from the Python threading tutorial (and their known bugs),
//! each with the verdict every checker must reach, and the harness that checks them. One file
//! per primitive; `bugs/` holds programs whose bug a checker must find.
//!
//! Models use the library's public API only (`threadcheck::...`), as a user's test would; the
//! harness ([`harness`]) runs them through `threadcheck::model::Builder`, the same entry
//! point a user's test calls. The `threadcheck` command (`src/main.rs`) is built on both.

pub mod harness;

pub mod barrier;
pub mod bugs;
pub mod checkers;
pub mod condition;
pub mod event;
pub mod lock;
pub mod lockorder;
pub mod queue;
pub mod rlock;
pub mod semaphore;
pub mod stats;
pub mod thread;
pub mod time;
pub mod timer;
pub mod tutorial;

use crate::harness::Model;

/// Every model in the corpus, in a stable order.
pub fn all() -> Vec<&'static Model> {
    let mut v: Vec<&'static Model> = Vec::new();
    v.extend_from_slice(lock::ALL);
    v.extend_from_slice(lockorder::ALL);
    v.extend_from_slice(rlock::ALL);
    v.extend_from_slice(queue::ALL);
    for f in bugs::FILES {
        v.extend_from_slice(f);
    }
    v.extend_from_slice(event::ALL);
    v.extend_from_slice(semaphore::ALL);
    v.extend_from_slice(condition::ALL);
    v.extend_from_slice(timer::ALL);
    v.extend_from_slice(time::ALL);
    v.extend_from_slice(barrier::ALL);
    v.extend_from_slice(checkers::ALL);
    v.extend_from_slice(thread::ALL);
    v.extend_from_slice(tutorial::ALL);
    v
}

/// The model called `name`, if any.
pub fn find(name: &str) -> Option<&'static Model> {
    all().into_iter().find(|m| m.name == name)
}

/// Calls `$callback! { $args; test_name => MODEL, ... }` with every model in the corpus: the
/// one list the test targets (`tests/{loom,shuttle,real}.rs`) generate their `#[test]`s
/// from. `every_model_in_the_corpus_has_a_test` fails if [`all`] has a model this list lacks.
#[macro_export]
macro_rules! with_corpus {
    ($callback:path, $($args:tt)*) => {
        $callback! { $($args)*;
            lock_mutual_exclusion => $crate::lock::MUTUAL_EXCLUSION,
            lock_two_lock_deadlock => $crate::lock::TWO_LOCK_DEADLOCK,
            lock_ordered_locks => $crate::lock::ORDERED_LOCKS,
            lock_self_deadlock => $crate::lock::SELF_DEADLOCK,
            lock_release_from_other_thread => $crate::lock::RELEASE_FROM_OTHER_THREAD,
            lockorder_inverted_order_found_in_one_schedule => $crate::lockorder::INVERTED_ORDER_FOUND_IN_ONE_SCHEDULE,
            lockorder_gate_lock_allows_inversion => $crate::lockorder::GATE_LOCK_ALLOWS_INVERSION,
            lockorder_phased_inversion_opt_out => $crate::lockorder::PHASED_INVERSION_OPT_OUT,
            lockorder_partial_deadlock_with_ticking_thread => $crate::lockorder::PARTIAL_DEADLOCK_WITH_TICKING_THREAD,
            rlock_tutorial_rlock_is_safe => $crate::rlock::TUTORIAL_RLOCK_IS_SAFE,
            rlock_non_owner_release_errors => $crate::rlock::NON_OWNER_RELEASE_ERRORS,
            rlock_count_blocks_others => $crate::rlock::COUNT_BLOCKS_OTHERS,
            bugs_lost_update => $crate::bugs::lost_update::LOST_UPDATE,
            queue_tutorial_fifo_lifo_priority => $crate::queue::TUTORIAL_FIFO_LIFO_PRIORITY,
            queue_fifo_per_producer_order => $crate::queue::FIFO_PER_PRODUCER_ORDER,
            queue_bounded_never_exceeds_maxsize => $crate::queue::BOUNDED_NEVER_EXCEEDS_MAXSIZE,
            queue_put_blocks_until_get => $crate::queue::PUT_BLOCKS_UNTIL_GET,
            queue_join_waits_for_task_done => $crate::queue::JOIN_WAITS_FOR_TASK_DONE,
            queue_shutdown_wakes_blocked => $crate::queue::SHUTDOWN_WAKES_BLOCKED,
            queue_priority_get_is_minimum => $crate::queue::PRIORITY_GET_IS_MINIMUM,
            queue_priority_concurrent_get_sees_either => $crate::queue::PRIORITY_CONCURRENT_GET_SEES_EITHER,
            queue_producer_consumer_tutorial => $crate::queue::PRODUCER_CONSUMER_TUTORIAL,
            queue_timed_ops_time_out_and_hand_back => $crate::queue::TIMED_OPS_TIME_OUT_AND_HAND_BACK,
            queue_timed_get_racing_put_loses_nothing => $crate::queue::TIMED_GET_RACING_PUT_LOSES_NOTHING,
            queue_growing_maxsize_wakes_blocked_putter => $crate::queue::GROWING_MAXSIZE_WAKES_BLOCKED_PUTTER,
            bugs_racy_queue => $crate::bugs::racy_queue::RACY_QUEUE,
            bugs_empty_then_get => $crate::bugs::empty_then_get::EMPTY_THEN_GET,
            bugs_try_get => $crate::bugs::empty_then_get::TRY_GET,
            bugs_account => $crate::bugs::account::ACCOUNT,
            bugs_account_locked => $crate::bugs::account::ACCOUNT_LOCKED,
            bugs_bluetooth_driver => $crate::bugs::bluetooth_driver::BLUETOOTH_DRIVER,
            bugs_bluetooth_driver_fixed => $crate::bugs::bluetooth_driver::BLUETOOTH_DRIVER_FIXED,
            bugs_circular_buffer => $crate::bugs::circular_buffer::CIRCULAR_BUFFER,
            bugs_circular_buffer_locked => $crate::bugs::circular_buffer::CIRCULAR_BUFFER_LOCKED,
            bugs_deadlock01 => $crate::bugs::deadlock01::DEADLOCK01,
            bugs_deadlock01_ordered => $crate::bugs::deadlock01::DEADLOCK01_ORDERED,
            bugs_din_phil3 => $crate::bugs::din_phil::DIN_PHIL3,
            bugs_din_phil5 => $crate::bugs::din_phil::DIN_PHIL5,
            bugs_din_phil_ordered => $crate::bugs::din_phil::DIN_PHIL_ORDERED,
            bugs_din_phil_footman => $crate::bugs::din_phil::DIN_PHIL_FOOTMAN,
            bugs_lazy01 => $crate::bugs::lazy01::LAZY01,
            bugs_lazy01_fixed => $crate::bugs::lazy01::LAZY01_FIXED,
            bugs_queue => $crate::bugs::queue::QUEUE,
            bugs_queue_locked => $crate::bugs::queue::QUEUE_LOCKED,
            bugs_stack => $crate::bugs::stack::STACK,
            bugs_stack_locked => $crate::bugs::stack::STACK_LOCKED,
            bugs_token_ring => $crate::bugs::token_ring::TOKEN_RING,
            bugs_token_ring_fixed => $crate::bugs::token_ring::TOKEN_RING_FIXED,
            bugs_sync01 => $crate::bugs::sync::SYNC01,
            bugs_sync01_notified => $crate::bugs::sync::SYNC01_NOTIFIED,
            bugs_sync02 => $crate::bugs::sync::SYNC02,
            bugs_sync02_notify_all => $crate::bugs::sync::SYNC02_NOTIFY_ALL,
            bugs_stringbuffer => $crate::bugs::stringbuffer::STRINGBUFFER,
            bugs_stringbuffer_locked => $crate::bugs::stringbuffer::STRINGBUFFER_LOCKED,
            bugs_init_once_event => $crate::bugs::init_once::INIT_ONCE_EVENT,
            bugs_init_once_locked => $crate::bugs::init_once::INIT_ONCE_LOCKED,
            bugs_timer_cancel_assumed => $crate::bugs::timer_cancel::TIMER_CANCEL_ASSUMED,
            bugs_timer_cancel_checked => $crate::bugs::timer_cancel::TIMER_CANCEL_CHECKED,
            bugs_join_without_task_done => $crate::bugs::join_task_done::JOIN_WITHOUT_TASK_DONE,
            bugs_join_with_task_done => $crate::bugs::join_task_done::JOIN_WITH_TASK_DONE,
            bugs_barrier_one_too_many => $crate::bugs::barrier_parties::BARRIER_ONE_TOO_MANY,
            bugs_barrier_parties_match => $crate::bugs::barrier_parties::BARRIER_PARTIES_MATCH,
            event_tutorial_waiters_proceed => $crate::event::TUTORIAL_WAITERS_PROCEED,
            event_tutorial_wait_timeout_loop => $crate::event::TUTORIAL_WAIT_TIMEOUT_LOOP,
            event_wait_timeout_returns_false => $crate::event::WAIT_TIMEOUT_RETURNS_FALSE,
            event_set_then_clear_wakes_waiters => $crate::event::SET_THEN_CLEAR_WAKES_WAITERS,
            event_lost_wakeup_bug => $crate::bugs::lost_wakeup::LOST_WAKEUP_BUG,
            semaphore_tutorial_at_most_n_inside => $crate::semaphore::TUTORIAL_AT_MOST_N_INSIDE,
            semaphore_release_n_wakes_n => $crate::semaphore::RELEASE_N_WAKES_N,
            semaphore_bounded_over_release_errors => $crate::semaphore::BOUNDED_OVER_RELEASE_ERRORS,
            semaphore_release_zero_is_an_error => $crate::semaphore::RELEASE_ZERO_IS_AN_ERROR,
            condition_producer_consumer => $crate::condition::PRODUCER_CONSUMER,
            condition_shared_condition_notify_one_deadlocks => $crate::condition::SHARED_CONDITION_NOTIFY_ONE_DEADLOCKS,
            condition_rlock_wait_releases_every_level => $crate::condition::RLOCK_WAIT_RELEASES_EVERY_LEVEL,
            condition_two_conditions_notify_one_passes => $crate::condition::TWO_CONDITIONS_NOTIFY_ONE_PASSES,
            timer_fires_once => $crate::timer::FIRES_ONCE,
            timer_cancel_race => $crate::timer::CANCEL_RACE,
            timer_deadline_order => $crate::timer::DEADLINE_ORDER,
            timer_cancel_before_start_never_fires => $crate::timer::CANCEL_BEFORE_START_NEVER_FIRES,
            time_sleep_is_not_synchronization => $crate::time::SLEEP_IS_NOT_SYNCHRONIZATION,
            time_sleeps_wake_after_their_deadlines => $crate::time::SLEEPS_WAKE_AFTER_THEIR_DEADLINES,
            barrier_arrival_indices_are_distinct => $crate::barrier::ARRIVAL_INDICES_ARE_DISTINCT,
            barrier_abort_releases_every_waiter => $crate::barrier::ABORT_RELEASES_EVERY_WAITER,
            barrier_timeout_breaks_it_for_all => $crate::barrier::TIMEOUT_BREAKS_IT_FOR_ALL,
            checkers_loom_misses_first_load_of_spawned_thread => $crate::checkers::LOOM_MISSES_FIRST_LOAD_OF_SPAWNED_THREAD,
            checkers_loom_hides_own_store_after_racing_fetch_or => $crate::checkers::LOOM_HIDES_OWN_STORE_AFTER_RACING_FETCH_OR,
            thread_enumerate_is_a_snapshot => $crate::thread::ENUMERATE_IS_A_SNAPSHOT,
            thread_active_count_races_start => $crate::thread::ACTIVE_COUNT_RACES_START,
            thread_join_timeout_times_out => $crate::thread::JOIN_TIMEOUT_TIMES_OUT,
            thread_join_timeout_races_exit => $crate::thread::JOIN_TIMEOUT_RACES_EXIT,
            thread_local_is_per_thread => $crate::thread::LOCAL_IS_PER_THREAD,
            barrier_action_runs_once_per_generation => $crate::barrier::ACTION_RUNS_ONCE_PER_GENERATION,
            tutorial_pipeline_every_item_once => $crate::tutorial::PIPELINE_EVERY_ITEM_ONCE,
            tutorial_echo_serves_every_accepted_connection => $crate::tutorial::ECHO_SERVES_EVERY_ACCEPTED_CONNECTION,
            tutorial_echo_stop_drops_last_connection => $crate::tutorial::ECHO_STOP_DROPS_LAST_CONNECTION,
        }
    };
}

/// Defines a corpus model: its doc comment becomes the story `explain` prints. Optional, after
/// `preemptions:`: `known: [...]` lists [`harness::Known`] wrong verdicts of checkers on the
/// model; `dfs: N` raises DFS's default cap ([`harness::DFS_CAP`]) so its search can finish;
/// `lock_order: false` runs the checkers without lock-order checking ([`harness::Model::lock_order`]).
#[macro_export]
macro_rules! define_model {
    (
        $(#[doc = $doc:expr])*
        $vis:vis $NAME:ident = $name:literal {
            about: $about:literal,
            expect: $expect:expr,
            loom: [$($l:expr),* $(,)?],
            shuttle: $s:expr,
            real: $r:expr,
            preemptions: $p:expr,
            $(early_advances: $early:expr,)?
            $(known: [$($known:expr),* $(,)?],)?
            $(dfs: $dfs:expr,)?
            $(lock_order: $lo:expr,)?
            run: $run:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis const $NAME: $crate::harness::Model = $crate::harness::Model {
            name: $name,
            about: $about,
            expect: $expect,
            threads: $crate::harness::Threads { loom: &[$($l),*], shuttle: $s, real: { let r: Option<usize> = $r; match r { Some(n) => n, None => 0 } } },
            loom_preemptions: $p,
            early_advances: { #[allow(unused_variables)] let e: Option<usize> = None; $(let e = $early;)? e },
            real: { let r: Option<usize> = $r; r.is_some() },
            run: $run,
            file: concat!(file!(), ":", line!()),
            story: concat!($($doc, "\n"),*),
            known: &[$($($known),*)?],
            dfs_cap: { let _cap: Option<usize> = None; $(let _cap = Some($dfs);)? _cap },
            lock_order: { let _lo = true; $(let _lo = $lo;)? _lo },
        };
    };
}
