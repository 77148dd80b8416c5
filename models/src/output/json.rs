//! JSON: one object per result (`check --json`, `merge --json`), and `list --json`.

use super::Row;
use threadcheck_corpus::harness::{replay_command, Model};

/// `check --help`'s description of the JSON lines.
pub const FIELDS: &str = "\
JSON (--json): one object per line, one line per (model, checker, thread count):
  model          string   corpus name, e.g. \"lock/two_lock_deadlock\"
  checker        object   {\"checker\": \"loom\"|\"random\"|\"pct\"|\"dfs\"|\"real\", ...settings}:
                          loom {preemptions}, random {iterations, seed}, pct {iterations, depth,
                          seed}, dfs {max_iterations}, real {runs}; null = default/unbounded
  threads        number   thread count the model ran with
  expected       string   the model's expectation: pass | deadlock | panic(\"..\") | outcomes{..}
  verdict        object   {\"kind\": \"pass\"|\"deadlock\"|\"panic\"|\"outcomes\"|\"unavailable\"|\"error\",
                           \"detail\": checker message | observed outcomes | how to enable}
  matched        bool     the verdict satisfies the expectation (the truth)
  known          object?  {\"gives\", \"why\"}: the wrong verdict this checker is known to give
                          on this model (a checker bug the corpus documents), else null
  known_miss     bool     the checker gave exactly that documented wrong verdict
  ok             bool     the row is what the corpus says: matched with no known miss
                          documented, or the known miss itself, and no disagreement
  strength       string   proven | exhaustive (loom only) | exhaustive (dfs only) |
                          explored N (capped) | explored N (bound P) | sampled |
                          counterexample | known miss | DISAGREE: ... | \"\" (not run)
  complete       bool     every execution was explored (loom unbounded, DFS under its cap)
  executions     number   executions explored
  seconds        number   wall time
  early_timeouts number?  model-clock early advances, when set with --early-timeouts
  schedule       string?  shuttle schedule string replaying the failure (else null)
  report         string?  readable counterexample (deadlock cycle, steps, replay) (else null)
  replay         string?  command that replays the failure (else null)
  backend        string   build that produced the line: production | loom | shuttle
Exit code: 0 if every row that ran is ok, 1 if one is not, 2 for bad input.
`proven` needs loom (loom build) and DFS (shuttle build) side by side: `threadcheck merge`
(ci/check-all) weighs them; a single build's table shows the strength that build has.";

/// One result as a JSON line.
pub fn line(r: &Row<'_>) -> String {
    let o = r.outcome;
    let mut v = serde_json::to_value(o).expect("outcome serializes");
    v["replay"] = match o.verdict.is_failure() {
        true => serde_json::json!(replay_command(o)),
        false => serde_json::Value::Null,
    };
    v["strength"] = serde_json::json!(r.strength.to_string());
    v["ok"] = serde_json::json!(r.status() != super::Status::Fail && o.ran());
    serde_json::to_string(&v).expect("json")
}

/// `list --json`: the models as a JSON array.
pub fn models(models: &[&Model]) -> String {
    let v: Vec<serde_json::Value> = models
        .iter()
        .map(|m| {
            serde_json::json!({
                "name": m.name, "about": m.about, "expected": m.expect.to_string(),
                "threads": {"loom": m.threads.loom, "shuttle": m.threads.shuttle,
                            "real": if m.real { Some(m.threads.real) } else { None }},
                "known": m.known.iter().map(|k| serde_json::json!({
                    "checker": k.checker.name(), "gives": k.gives.to_string(), "why": k.why,
                })).collect::<Vec<_>>(),
                "file": m.file,
            })
        })
        .collect();
    serde_json::to_string_pretty(&v).expect("json")
}
