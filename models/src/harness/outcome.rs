//! What a check found, and how it is judged against the corpus: the model's expectation, or a
//! checker's documented wrong verdict ([`Known`](super::Known)).

use super::{Checker, Expect, Model};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use threadcheck::model::{Failure, FailureKind};

/// What a checker found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "lowercase")]
pub enum Verdict {
    /// Every execution explored passed.
    Pass,
    /// An execution deadlocked; the checker's message.
    Deadlock(String),
    /// An execution panicked; the panic message.
    Panic(String),
    /// The set of results observed across executions (for `Expect::Outcomes`).
    Outcomes(BTreeSet<String>),
    /// Not run: this build lacks the checker (the text says how to enable it), or the model
    /// is not meaningful under it.
    Unavailable(String),
    /// The run itself broke (child process crashed, hang on real threads, ...).
    Error(String),
}

impl Verdict {
    /// Short form for tables: `pass`, `deadlock`, `panic`, `outcomes{..}`, `n/a`, `error`.
    pub fn short(&self) -> String {
        match self {
            Verdict::Pass => "pass".into(),
            Verdict::Deadlock(m) if m.starts_with(LOCK_ORDER) => "deadlock (lock order)".into(),
            Verdict::Deadlock(_) => "deadlock".into(),
            Verdict::Panic(m) => format!("panic({:?})", first_line(m, 40)),
            Verdict::Outcomes(o) => format!(
                "outcomes{{{}}}",
                o.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Verdict::Unavailable(_) => "n/a".into(),
            Verdict::Error(_) => "error".into(),
        }
    }

    /// The verdict of a checker's failure. A lock-order report is a deadlock, found before
    /// it happens (its message says so: `potential deadlock (lock order): ...`).
    pub fn of_failure(f: &Failure) -> Verdict {
        match f.kind {
            FailureKind::Deadlock | FailureKind::LockOrder => Verdict::Deadlock(f.message.clone()),
            _ => Verdict::Panic(f.message.clone()),
        }
    }

    /// An execution failed (deadlock or panic): a counterexample, not a search result.
    pub fn is_failure(&self) -> bool {
        matches!(self, Verdict::Deadlock(_) | Verdict::Panic(_))
    }
}

/// How a lock-order report's message starts.
const LOCK_ORDER: &str = "potential deadlock (lock order)";

fn first_line(s: &str, max: usize) -> String {
    let l = s.lines().next().unwrap_or("");
    if l.chars().count() > max {
        format!("{}…", l.chars().take(max).collect::<String>())
    } else {
        l.to_owned()
    }
}

/// A checker's documented wrong verdict, as carried by an [`Outcome`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownNote {
    /// The verdict the checker is known to give, e.g. `pass`.
    pub gives: String,
    /// Why, with the upstream issue.
    pub why: String,
}

/// The result of running one model under one checker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Outcome {
    /// Model name.
    pub model: String,
    /// Checker settings.
    pub checker: Checker,
    /// Thread count the model ran with.
    pub threads: usize,
    /// The expected verdict, as text.
    pub expected: String,
    /// What the checker found.
    pub verdict: Verdict,
    /// Whether `verdict` satisfies the model's `Expect` (the truth).
    pub matched: bool,
    /// Executions (iterations) explored.
    pub executions: u64,
    /// Wall time, seconds.
    pub seconds: f64,
    /// Every execution was explored (loom unbounded, or DFS that ended before its cap).
    #[serde(default)]
    pub complete: bool,
    /// The wrong verdict the corpus documents for this checker on this model, if any.
    #[serde(default)]
    pub known: Option<KnownNote>,
    /// The checker gave exactly that documented wrong verdict: a known miss, not a failure.
    #[serde(default)]
    pub known_miss: bool,
    /// Early advances of the model clock per execution, when set (replays must repeat it).
    #[serde(default)]
    pub early_timeouts: Option<usize>,
    /// For a shuttle failure: the schedule string that replays it.
    pub schedule: Option<String>,
    /// A readable counterexample, when the run failed and one could be built.
    pub report: Option<String>,
    /// The build that produced the outcome: `production`, `loom` or `shuttle`.
    #[serde(default)]
    pub backend: String,
}

impl Outcome {
    /// A fresh outcome of `model` under `checker`, judged.
    pub fn new(
        model: &Model,
        checker: &Checker,
        threads: usize,
        verdict: Verdict,
        complete: bool,
    ) -> Outcome {
        let known = model.known_for(checker);
        Outcome {
            model: model.name.into(),
            checker: checker.clone(),
            threads,
            expected: model.expect.to_string(),
            matched: matches(&model.expect, &verdict, checker, complete),
            known_miss: known.is_some_and(|k| matches(&k.gives, &verdict, checker, complete)),
            known: known.map(|k| KnownNote {
                gives: k.gives.to_string(),
                why: k.why.into(),
            }),
            verdict,
            executions: 0,
            seconds: 0.0,
            complete,
            early_timeouts: None,
            schedule: None,
            report: None,
            backend: threadcheck::backend().into(),
        }
    }

    /// `model [checker n=threads]`, as headings and logs name a result.
    pub fn label(&self) -> String {
        format!(
            "{} [{} n={}]",
            self.model,
            self.checker.name(),
            self.threads
        )
    }

    /// The checker ran in this build (the verdict is not `n/a`).
    pub fn ran(&self) -> bool {
        !matches!(self.verdict, Verdict::Unavailable(_))
    }

    /// The verdict is what the corpus says this checker gives: the truth, or (for a checker
    /// with a documented bug on this model) exactly that wrong verdict. A checker that starts
    /// agreeing with the truth where a miss is documented is not ok: someone must update the
    /// model.
    pub fn ok(&self) -> bool {
        self.known_miss || (self.matched && self.known.is_none())
    }

    /// Records the model-clock setting the run used, and repeats it on the report's replay
    /// line.
    pub fn set_early_timeouts(&mut self, early: Option<usize>) {
        self.early_timeouts = early;
        if let Some(r) = &self.report {
            let line = replay_line(self);
            let kept: Vec<&str> = r.lines().filter(|l| !l.starts_with("replay: ")).collect();
            self.report = Some(kept.join("\n") + "\n" + &line);
        }
    }
}

/// Whether `verdict` satisfies `expect` under `checker`. An exhaustive search that ended must
/// see exactly the expected outcomes; any other search a non-empty subset.
pub fn matches(expect: &Expect, verdict: &Verdict, checker: &Checker, complete: bool) -> bool {
    match (expect, verdict) {
        (_, Verdict::Unavailable(_)) | (_, Verdict::Error(_)) => false,
        (Expect::Pass, Verdict::Pass) => true,
        (Expect::Deadlock, Verdict::Deadlock(_)) => true,
        (Expect::Panic(s), Verdict::Panic(m)) => m.contains(s),
        (Expect::Outcomes(want), Verdict::Outcomes(got)) => {
            let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
            if checker.exhaustive() && complete {
                *got == want
            } else {
                !got.is_empty() && got.is_subset(&want)
            }
        }
        _ => false,
    }
}

/// The `replay:` line of a failure's report.
pub fn replay_line(o: &Outcome) -> String {
    match replay_command(o) {
        Some(c) => format!("replay: {c}\n"),
        None if matches!(o.checker, Checker::Real { .. }) => {
            "replay: real threads cannot replay a schedule; check the model under shuttle or loom\n"
                .into()
        }
        None => String::new(),
    }
}

/// The command that replays `o`'s failing execution, if its checker can replay.
///
/// shuttle replays its schedule string; loom's search is deterministic (depth-first, same
/// order every run), so re-running it stops at the same first failing execution.
pub fn replay_command(o: &Outcome) -> Option<String> {
    let clock = o
        .early_timeouts
        .map(|e| format!(" --early-timeouts {e}"))
        .unwrap_or_default();
    match &o.checker {
        Checker::Loom { preemptions } => Some(format!(
            "RUSTFLAGS=\"--cfg loom\" cargo run -p threadcheck-corpus --release -- replay {} loom --threads {}{}{clock}",
            o.model,
            o.threads,
            preemptions.map(|p| format!(" --preemptions {p}")).unwrap_or_default()
        )),
        Checker::Random { .. } | Checker::Pct { .. } | Checker::Dfs { .. } => o.schedule.as_ref().map(|s| {
            format!(
                "cargo run -p threadcheck-corpus --release --features shuttle -- replay {} {} --threads {}{clock}",
                o.model,
                s.split_whitespace().collect::<String>(),
                o.threads
            )
        }),
        Checker::Real { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WANT: Expect = Expect::Outcomes(&["a", "b"]);

    fn got(s: &[&str]) -> Verdict {
        Verdict::Outcomes(s.iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn a_finished_dfs_must_see_every_outcome_even_under_a_cap() {
        let capped = Checker::Dfs {
            max_iterations: Some(100_000),
        };
        assert!(
            !matches(&WANT, &got(&["a"]), &capped, true),
            "complete search, a subset"
        );
        assert!(matches(&WANT, &got(&["a", "b"]), &capped, true));
        // A search stopped by its cap may have missed some.
        assert!(matches(&WANT, &got(&["a"]), &capped, false));
    }

    #[test]
    fn a_bounded_loom_search_may_see_a_subset_an_unbounded_one_may_not() {
        let loom = Checker::Loom { preemptions: None };
        assert!(!matches(&WANT, &got(&["b"]), &loom, true));
        assert!(matches(&WANT, &got(&["b"]), &loom, false));
        let pct = Checker::Pct {
            iterations: 10,
            depth: 3,
            seed: None,
        };
        assert!(
            matches(&WANT, &got(&["b"]), &pct, true),
            "sampling never promises every outcome"
        );
        assert!(
            !matches(&WANT, &got(&["c"]), &pct, false),
            "an unexpected outcome always fails"
        );
    }
}
