//! The counterexamples after the table: every failed row, and one per model for expected
//! failures (all of them with `--verbose`).

use super::{Row, Status};
use std::fmt::Write;
use threadcheck_corpus::harness::strength::Strength;
use threadcheck_corpus::harness::Verdict;

/// The stories of `rows`, each under a `──` heading.
pub fn counterexamples(rows: &[Row<'_>], verbose: bool) -> String {
    let mut out = String::new();
    let mut shown: Vec<&str> = Vec::new();
    for r in rows {
        let o = r.outcome;
        let status = r.status();
        if status == Status::NotRun || (status == Status::Ok && !o.verdict.is_failure()) {
            continue;
        }
        if status != Status::Fail && !verbose && shown.contains(&o.model.as_str()) {
            continue;
        }
        shown.push(&o.model);
        let mark = match status {
            Status::Fail => " ✗ FAIL",
            Status::KnownMiss => " (known miss)",
            _ => " ✓",
        };
        let _ = writeln!(
            out,
            "\n── {} expected {}, got {}{mark}",
            o.label(),
            o.expected,
            o.verdict.short(),
        );
        if let Strength::Disagree(other) = &r.strength {
            let _ = writeln!(
                out,
                "loom and dfs both explored every execution and disagree: {other}. One of them \
                 missed; replay the failure to see which, then record the miss in the model's \
                 `known` list."
            );
        }
        if let Some(k) = &o.known {
            if o.known_miss {
                let _ = writeln!(out, "known miss: {}", k.why);
            } else {
                let _ = writeln!(
                    out,
                    "{} is documented to give {} here ({}), but gave {}: if that is the truth, \
                     the checker is fixed — delete the model's `known` entry for it",
                    o.checker.name(),
                    k.gives,
                    k.why,
                    o.verdict.short()
                );
            }
        }
        match (&o.report, &o.verdict) {
            (Some(rep), _) => out.push_str(rep),
            (None, Verdict::Error(e)) => {
                let _ = writeln!(out, "error: {e}");
            }
            (None, Verdict::Pass) => {
                let _ = writeln!(
                    out,
                    "no execution failed in {} explored{}",
                    o.executions,
                    if o.complete {
                        " (all of them)"
                    } else {
                        "; a capped or random search can miss it: raise --iterations or try pct"
                    }
                );
            }
            (None, v) => {
                let _ = writeln!(out, "{}", v.short());
            }
        }
        if verbose {
            if let Verdict::Deadlock(m) | Verdict::Panic(m) = &o.verdict {
                let _ = writeln!(out, "checker said: {}", m.trim_end());
            }
        }
    }
    out
}
