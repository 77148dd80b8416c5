//! Every corpus model on real threads, many runs each with a hang watchdog. Models whose
//! expected bug would hang real threads (deadlocks) are asserted to be reported as not run.
#![cfg(not(any(loom, feature = "shuttle")))]

use threadcheck::check::Checker;

const REAL: Checker = Checker::Real { runs: 200 };

threadcheck::with_corpus!(threadcheck::corpus_tests, REAL);
