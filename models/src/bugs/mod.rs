//! Programs with known bugs, each beside its correct twin (which must pass). Most are after
//! SCTBench (Thomson, Donaldson, Betts, "Concurrency Testing Using Controlled Schedulers",
//! TOPC 2016), written from the programs' descriptions in Python-threading terms; the rest
//! are habits of Python practice. `threadcheck stats` measures how fast each checker finds
//! them.

pub mod account;
pub mod barrier_parties;
pub mod bluetooth_driver;
pub mod circular_buffer;
pub mod deadlock01;
pub mod din_phil;
pub mod empty_then_get;
pub mod init_once;
pub mod join_task_done;
pub mod lazy01;
pub mod lost_update;
pub mod lost_wakeup;
pub mod queue;
pub mod racy_queue;
pub mod stack;
pub mod stringbuffer;
pub mod sync;
pub mod timer_cancel;
pub mod token_ring;

use crate::harness::Model;

/// The known-bug models of this module, file by file (each file's bug, then its twin).
pub const FILES: &[&[&Model]] = &[
    &[&lost_update::LOST_UPDATE, &racy_queue::RACY_QUEUE],
    empty_then_get::ALL,
    account::ALL,
    bluetooth_driver::ALL,
    circular_buffer::ALL,
    deadlock01::ALL,
    din_phil::ALL,
    lazy01::ALL,
    queue::ALL,
    stack::ALL,
    token_ring::ALL,
    sync::ALL,
    stringbuffer::ALL,
    init_once::ALL,
    timer_cancel::ALL,
    join_task_done::ALL,
    barrier_parties::ALL,
];

/// The models `threadcheck stats` measures: every bug here (and `event/lost_wakeup_bug`,
/// filed with the event models), each followed by its twin where it has one.
pub fn all() -> Vec<&'static Model> {
    let mut v: Vec<&'static Model> = FILES.iter().flat_map(|f| f.iter().copied()).collect();
    v.push(&lost_wakeup::LOST_WAKEUP_BUG);
    v
}
