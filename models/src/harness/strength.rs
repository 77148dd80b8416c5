//! How much a verdict is worth, judged across results.
//!
//! Checkers have bugs, so a pass is a proof only when two independent exhaustive searches
//! agree at the same size: loom with no preemption bound, and shuttle's DFS run to completion
//! (no cap hit). For `Outcomes` models the two exact sets must be equal.
//!
//! | strength | meaning |
//! |---|---|
//! | `proven` | loom (unbounded) and a complete DFS agree at this size |
//! | `exhaustive (loom only)`, `exhaustive (dfs only)` | one exhaustive search finished; the other did not run here, or hit its cap |
//! | `explored N (capped)`, `explored N (bound P)` | a search stopped at a cap (DFS) or a preemption bound (loom) |
//! | `sampled` | random, PCT, real threads |
//! | `counterexample` | an execution failed: the failure is the evidence |
//! | `known miss` | the checker gave the wrong verdict the corpus documents for it |
//!
//! Both exhaustive searches finished and disagree: both rows fail (`DISAGREE`), naming what
//! the other checker found. loom and DFS run in different builds, so `proven` appears where
//! their results meet: `threadcheck merge` (`ci/check-all`).

use super::{Checker, Outcome, Verdict};
use std::fmt;

/// The strength of one result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Strength {
    /// Not run in this build.
    NotRun,
    /// The run broke: no verdict to weigh.
    Broken,
    /// loom unbounded and a complete DFS agree.
    Proven,
    /// This exhaustive search finished; the other one did not (here).
    Exhaustive(&'static str),
    /// DFS stopped at its cap after this many executions.
    Capped(u64),
    /// loom stopped at a preemption bound (the bound, if known) after this many executions.
    Bounded(u64, Option<usize>),
    /// Random, PCT or real threads.
    Sampled,
    /// An execution failed.
    Counterexample,
    /// The checker's documented wrong verdict.
    KnownMiss,
    /// Both exhaustive searches finished and disagree: what the other one found.
    Disagree(String),
}

impl Strength {
    /// Whether this strength fails the row on its own (a disagreement).
    pub fn fails(&self) -> bool {
        matches!(self, Strength::Disagree(_))
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strength::NotRun | Strength::Broken => Ok(()),
            Strength::Proven => f.write_str("proven"),
            Strength::Exhaustive(who) => write!(f, "exhaustive ({who} only)"),
            Strength::Capped(n) => write!(f, "explored {n} (capped)"),
            Strength::Bounded(n, Some(b)) => write!(f, "explored {n} (bound {b})"),
            Strength::Bounded(n, None) => write!(f, "explored {n} (bounded)"),
            Strength::Sampled => f.write_str("sampled"),
            Strength::Counterexample => f.write_str("counterexample"),
            Strength::KnownMiss => f.write_str("known miss"),
            Strength::Disagree(other) => write!(f, "DISAGREE: {other}"),
        }
    }
}

/// What an exhaustive checker concluded about one model at one size, if it concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Conclusion {
    /// Every execution explored and none failed: the verdict (pass, or the outcome set).
    AllPassed(Verdict),
    /// Some execution failed.
    Failed,
}

fn conclusion(o: &Outcome) -> Option<Conclusion> {
    if !o.ran() || o.known_miss {
        return None;
    }
    match &o.verdict {
        Verdict::Deadlock(_) | Verdict::Panic(_) => Some(Conclusion::Failed),
        v @ (Verdict::Pass | Verdict::Outcomes(_)) if o.complete => {
            Some(Conclusion::AllPassed(v.clone()))
        }
        _ => None,
    }
}

fn said(o: &Outcome) -> String {
    match &o.verdict {
        Verdict::Pass => format!("{} passed every execution", o.checker.name()),
        v if v.is_failure() => format!("{} found {}", o.checker.name(), v.short()),
        v => format!("{} saw {}", o.checker.name(), v.short()),
    }
}

/// The strength of each of `outcomes`, in order, weighing each loom row against the DFS row
/// of the same model, size and clock setting (and the other way round).
pub fn assess(outcomes: &[Outcome]) -> Vec<Strength> {
    let partner = |o: &Outcome, kind: &str| {
        outcomes.iter().find(|p| {
            p.checker.name() == kind
                && p.model == o.model
                && p.threads == o.threads
                && p.early_timeouts == o.early_timeouts
                && p.ran()
        })
    };
    outcomes
        .iter()
        .map(|o| {
            if !o.ran() {
                return Strength::NotRun;
            }
            if o.known_miss {
                return Strength::KnownMiss;
            }
            let other_kind = match o.checker {
                Checker::Loom { .. } => "dfs",
                Checker::Dfs { .. } => "loom",
                _ if o.verdict.is_failure() => return Strength::Counterexample,
                _ if matches!(o.verdict, Verdict::Error(_)) => return Strength::Broken,
                _ => return Strength::Sampled,
            };
            let other = partner(o, other_kind);
            match (conclusion(o), other.and_then(conclusion)) {
                (Some(Conclusion::AllPassed(a)), Some(Conclusion::AllPassed(b))) if a == b => {
                    Strength::Proven
                }
                (Some(mine), Some(theirs))
                    if mine != theirs
                        && (matches!(mine, Conclusion::AllPassed(_))
                            || matches!(theirs, Conclusion::AllPassed(_))) =>
                {
                    Strength::Disagree(said(other.expect("a conclusion has a row")))
                }
                _ if o.verdict.is_failure() => Strength::Counterexample,
                _ if matches!(o.verdict, Verdict::Error(_)) => Strength::Broken,
                _ if o.complete => Strength::Exhaustive(o.checker.name()),
                _ => match o.checker {
                    Checker::Dfs { .. } => Strength::Capped(o.executions),
                    Checker::Loom { preemptions } => Strength::Bounded(
                        o.executions,
                        preemptions.or(crate::find(&o.model).and_then(|m| m.loom_preemptions)),
                    ),
                    _ => Strength::Sampled,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn row(checker: Checker, verdict: Verdict, complete: bool) -> Outcome {
        let m = crate::find("lock/mutual_exclusion").expect("model");
        let mut o = Outcome::new(m, &checker, 2, verdict, complete);
        o.executions = 100;
        o
    }
    const LOOM: Checker = Checker::Loom { preemptions: None };
    const DFS: Checker = Checker::Dfs {
        max_iterations: Some(100),
    };

    #[test]
    fn a_pass_is_proven_only_when_loom_and_a_complete_dfs_agree() {
        let s = assess(&[
            row(LOOM, Verdict::Pass, true),
            row(DFS, Verdict::Pass, true),
        ]);
        assert_eq!(s, [Strength::Proven, Strength::Proven]);
        let s = assess(&[
            row(LOOM, Verdict::Pass, true),
            row(DFS, Verdict::Pass, false),
        ]);
        assert_eq!(s, [Strength::Exhaustive("loom"), Strength::Capped(100)]);
        let s = assess(&[row(DFS, Verdict::Pass, true)]);
        assert_eq!(s, [Strength::Exhaustive("dfs")]);
        let s = assess(&[row(LOOM, Verdict::Pass, false)]);
        assert_eq!(s, [Strength::Bounded(100, None)]);
    }

    #[test]
    fn outcome_sets_must_be_equal_to_be_proven() {
        let set = |v: &[&str]| Verdict::Outcomes(v.iter().map(|s| s.to_string()).collect());
        let s = assess(&[
            row(LOOM, set(&["a", "b"]), true),
            row(DFS, set(&["a"]), true),
        ]);
        assert!(s.iter().all(Strength::fails), "{s:?}");
        assert_eq!(s[0].to_string(), "DISAGREE: dfs saw outcomes{a}");
        let s = assess(&[
            row(LOOM, Verdict::Outcomes(BTreeSet::new()), true),
            row(DFS, Verdict::Outcomes(BTreeSet::new()), true),
        ]);
        assert_eq!(s, [Strength::Proven, Strength::Proven]);
    }

    #[test]
    fn a_complete_pass_against_a_failure_is_a_disagreement_naming_the_other() {
        let s = assess(&[
            row(LOOM, Verdict::Pass, true),
            row(DFS, Verdict::Panic("boom".into()), false),
        ]);
        assert_eq!(s[0], Strength::Disagree("dfs found panic(\"boom\")".into()));
        assert_eq!(
            s[1],
            Strength::Disagree("loom passed every execution".into())
        );
        // A capped DFS that passed does not contradict a failure.
        let s = assess(&[
            row(LOOM, Verdict::Deadlock("d".into()), false),
            row(DFS, Verdict::Pass, false),
        ]);
        assert_eq!(s, [Strength::Counterexample, Strength::Capped(100)]);
    }

    #[test]
    fn other_checkers_sample_and_other_builds_are_not_run() {
        let s = assess(&[
            row(
                Checker::Random {
                    iterations: 5,
                    seed: None,
                },
                Verdict::Pass,
                false,
            ),
            row(LOOM, Verdict::Unavailable("rebuild".into()), false),
        ]);
        assert_eq!(s, [Strength::Sampled, Strength::NotRun]);
    }
}
