//! Racy plain data the checkers see: every `RaceCell` access is a switch point under
//! shuttle (so its schedulers interleave a read-modify-write) and a checked access under loom
//! (so a race is reported as one). The wrong-lock counter — each thread increments under a
//! lock of its own — is the test bed.

mod common;

#[cfg(any(loom, feature = "shuttle"))]
use common::{right_lock_counter, wrong_lock_counter};
#[cfg(any(loom, feature = "shuttle"))]
use threadcheck::model::{Builder, FailureKind};

#[cfg(feature = "shuttle")]
#[test]
fn pct_finds_the_wrong_lock_counter_within_100_executions_on_every_seed() {
    let mut found = 0;
    let mut executions = Vec::new();
    for seed in 0..100 {
        let r = Builder::new()
            .checker(threadcheck::model::Checker::Pct)
            .iterations(100)
            .seed(seed)
            .run(wrong_lock_counter);
        if let Err(f) = r {
            assert_eq!(f.kind, FailureKind::Panic, "{f}");
            assert!(f.message.contains("lost update"), "{f}");
            found += 1;
            executions.push(f.stats.executions);
        }
    }
    executions.sort_unstable();
    println!(
        "PCT found the lost update on {found}/100 seeds; executions to find it: median {:?}, max {:?}",
        executions.get(executions.len() / 2),
        executions.last()
    );
    assert_eq!(found, 100, "seeds without the bug found: {}", 100 - found);
}

#[cfg(loom)]
#[test]
fn loom_reports_the_wrong_lock_counter_as_a_data_race() {
    let f = Builder::new()
        .run(wrong_lock_counter)
        .expect_err("the increments race");
    assert_eq!(f.kind, FailureKind::Panic, "{f}");
    assert!(f.message.contains("Causality violation"), "{f}");
}

#[cfg(any(loom, feature = "shuttle"))]
#[test]
fn the_right_lock_counter_passes() {
    let stats = Builder::new().check(right_lock_counter);
    if cfg!(loom) {
        assert!(stats.complete, "loom explores every execution");
    }
}

#[test]
fn a_cell_reads_what_was_written() {
    threadcheck::model(|| {
        let c = threadcheck::cell::RaceCell::new(1u8);
        c.set(2);
        assert_eq!(c.update(|n| n * 10), 20);
        assert_eq!(c.get(), 20);
    });
}
