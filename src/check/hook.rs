//! The panic hook: captures the first failure of a check, and gives a plain `loom::model` or
//! `shuttle::check_*` run the same counterexample a check prints.
//!
//! Installed once per process and chained to the hook it replaces. It touches only this
//! crate's thread-locals: a panic hook that calls into a checker whose state is mid-update
//! (loom panics inside its own scheduler) would panic again and abort.
//!
//! *When* it is installed matters, because replacing a hook is two steps (`take_hook`, then
//! `set_hook`), and two threads doing it at once lose one of the hooks. loom's coroutine crate
//! and shuttle each install theirs once per process, the first time a model thread runs; so
//! in the model builds ours is installed by the first model thread that registers with the
//! event trace — after the checker's own, which can then no longer race with it (tests run in
//! parallel threads, and a lost hook silently loses the verdict of a check).

use std::sync::Once;

/// Installs the hook (once per process). Not from a panicking thread: `set_hook` would panic.
pub(crate) fn install() {
    static HOOK: Once = Once::new();
    if std::thread::panicking() {
        return;
    }
    HOOK.call_once(|| {
        let prev = std::panic::take_hook();
        let verbose = std::env::var_os("THREADCHECK_VERBOSE").is_some();
        std::panic::set_hook(Box::new(move |info| {
            if crate::rt::is_checker_control(info.payload()) {
                return prev(info);
            }
            let msg = super::panic_message(info.payload());
            crate::rt::teardown::note_panic(&msg);
            // loom's scheduler, finding a deadlocked execution whose threads were suspended.
            let after_left = crate::rt::teardown::take_left_execution();
            match super::capture(&msg) {
                // A check's failures are reported with its result, not here.
                Some(_) => {
                    if verbose {
                        prev(info)
                    }
                }
                None if after_left => eprintln!(
                    "threadcheck: loom then stops the model with \"thread not terminated\": the \
                     deadlocked threads were suspended instead of unwound, so that no destructor \
                     calls into the dead execution and aborts the process"
                ),
                // The checker's own message, then the counterexample of the execution it
                // ended, if a model thread of this crate was recording one. (Inline: naming
                // the hook's argument type, `PanicHookInfo`, needs Rust 1.81.)
                None => {
                    prev(info);
                    if let Some(text) = plain_report(&msg) {
                        eprint!("{text}");
                    }
                }
            }
        }));
    });
}

#[cfg(threadcheck_model)]
fn plain_report(msg: &str) -> Option<String> {
    let log = crate::trace::plain_failure()?;
    let trace = crate::report::from_log(&log);
    let kind = super::classify(msg);
    let backend = crate::backend();
    let (entry, replay) = if backend == "loom" {
        (
            "a plain loom::model",
            "loom explores in a fixed order: re-running this test stops at this execution again",
        )
    } else {
        (
            "a plain shuttle::check_*",
            "shuttle prints the failing schedule: shuttle::replay(body, \"<schedule>\") replays it",
        )
    };
    let mut out = format!("threadcheck: {} in {entry} execution\n", kind.name());
    out.push_str(&crate::model::counterexample(kind, msg, None, Some(&trace)));
    out.push_str(&format!(
        "replay: {replay}\n        \
         (run the body with threadcheck::model(...) to get this report in the test's failure \
         and a one-line replay of this execution)\n"
    ));
    Some(out)
}

#[cfg(not(threadcheck_model))]
fn plain_report(_msg: &str) -> Option<String> {
    None
}
