//! The corpus: programs from the Python threading tutorial (and their known bugs), each with
//! the verdict every checker must reach. One file per primitive; `bugs/` holds programs
//! whose bug a checker must find.
//!
//! Models use the public API only (`threadcheck::...`), as a user's test would.

pub mod barrier;
pub mod bugs;
pub mod condition;
pub mod event;
pub mod lock;
pub mod queue;
pub mod rlock;
pub mod semaphore;
pub mod time;
pub mod timer;

use threadcheck::check::Model;

/// Every model in the corpus, in a stable order.
pub fn all() -> Vec<&'static Model> {
    let mut v: Vec<&'static Model> = Vec::new();
    v.extend_from_slice(lock::ALL);
    v.extend_from_slice(rlock::ALL);
    v.extend_from_slice(queue::ALL);
    v.extend_from_slice(bugs::ALL);
    v.extend_from_slice(event::ALL);
    v.extend_from_slice(semaphore::ALL);
    v.extend_from_slice(condition::ALL);
    v.extend_from_slice(timer::ALL);
    v.extend_from_slice(time::ALL);
    v.extend_from_slice(barrier::ALL);
    v
}

/// The model called `name`, if any.
pub fn find(name: &str) -> Option<&'static Model> {
    all().into_iter().find(|m| m.name == name)
}

/// Defines a corpus model: its doc comment becomes the story `explain` prints.
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
            run: $run:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis const $NAME: $crate::check::Model = $crate::check::Model {
            name: $name,
            about: $about,
            expect: $expect,
            threads: $crate::check::Threads { loom: &[$($l),*], shuttle: $s, real: { let r: Option<usize> = $r; match r { Some(n) => n, None => 0 } } },
            loom_preemptions: $p,
            real: { let r: Option<usize> = $r; r.is_some() },
            run: $run,
            file: concat!(file!(), ":", line!()),
            story: concat!($($doc, "\n"),*),
        };
    };
}
