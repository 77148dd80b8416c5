//! Choosing models by name, substring or glob (`globset` syntax: `lock/*`, `*deadlock*`,
//! `[lr]lock/*`, `{lock,rlock}/*`), with a "did you mean" for a near miss (`strsim`).

use super::bad;
use globset::{Glob, GlobMatcher};
use threadcheck_corpus::harness::Model;

/// A model pattern: a glob if it has glob syntax, else a substring of the name.
pub enum Pattern {
    Glob(GlobMatcher),
    Substring(String),
}

impl Pattern {
    /// Parses `p`; a malformed glob is an error that says how to write one.
    pub fn parse(p: &str) -> Result<Pattern, String> {
        if p.trim().is_empty() {
            return Err(
                "empty model pattern: give a name or glob such as 'lock/*', or omit it".into(),
            );
        }
        if !p.contains(['*', '?', '[', ']', '{', '}']) {
            return Ok(Pattern::Substring(p.to_owned()));
        }
        // globset reads a lone `]` as a literal; here it is always a typo for a glob.
        if p.find(']').is_some_and(|i| !p[..i].contains('[')) {
            return Err(format!(
                "malformed pattern {p:?}: ']' without '['; use a model name or a glob like 'lock/*'"
            ));
        }
        match Glob::new(p) {
            Ok(g) => Ok(Pattern::Glob(g.compile_matcher())),
            Err(e) => {
                let how = match e.kind() {
                    globset::ErrorKind::UnclosedClass if p.contains("[]") => {
                        "empty brackets '[]'; write e.g. 'lock/[a-m]*'".to_owned()
                    }
                    globset::ErrorKind::UnclosedClass => {
                        "'[' is never closed; close it ('lock/[st]*') or quote the name exactly"
                            .to_owned()
                    }
                    k => format!("{k}; see `threadcheck list --help` for the glob syntax"),
                };
                Err(format!("malformed pattern {p:?}: {how}"))
            }
        }
    }

    /// Whether the model called `name` is selected.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Glob(g) => g.is_match(name),
            Pattern::Substring(s) => name.contains(s.as_str()),
        }
    }
}

/// The models `pattern` selects (all without one); none is bad input.
pub fn select(pattern: Option<&str>) -> Vec<&'static Model> {
    let all = threadcheck_corpus::all();
    let Some(p) = pattern else { return all };
    let pat = Pattern::parse(p).unwrap_or_else(|e| bad(e));
    let picked: Vec<&'static Model> = all.into_iter().filter(|m| pat.matches(m.name)).collect();
    if picked.is_empty() {
        bad(format!(
            "no model matches {p:?}{}; `threadcheck list` prints every name",
            suggestion(p)
        ));
    }
    picked
}

/// The model called exactly `name`; an unknown name is bad input.
pub fn find_model(name: &str) -> &'static Model {
    threadcheck_corpus::find(name).unwrap_or_else(|| {
        bad(format!(
            "unknown model {name:?}{}; `threadcheck list` prints every name",
            suggestion(name)
        ))
    })
}

/// " (did you mean \"x\"?)" for the closest model name, if it is close (edit distance to the
/// full name or to the part after the `/`).
fn suggestion(name: &str) -> String {
    threadcheck_corpus::all()
        .iter()
        .map(|m| {
            let short = m.name.rsplit('/').next().unwrap_or(m.name);
            let d = strsim::levenshtein(name, m.name).min(strsim::levenshtein(name, short));
            (d, m.name)
        })
        .min()
        .filter(|(d, _)| *d <= name.len().max(4) / 2)
        .map(|(_, n)| format!(" (did you mean {n:?}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(p: &str, n: &str) -> bool {
        Pattern::parse(p).expect("valid").matches(n)
    }

    #[test]
    fn globs_match_whole_names() {
        assert!(g("lock/*", "lock/two_lock_deadlock"));
        assert!(g("*deadlock*", "lock/self_deadlock"));
        assert!(!g("lock/*", "rlock/count_blocks_others"));
        assert!(g("[lr]lock/*", "rlock/x"));
        assert!(g("lock/[!a-m]*", "lock/two"));
        assert!(g("lock/?elf_deadlock", "lock/self_deadlock"));
        assert!(g("{lock,rlock}/*", "rlock/x"));
        assert!(g("deadlock", "lock/self_deadlock"), "no glob: a substring");
    }

    #[test]
    fn malformed_patterns_are_named() {
        for p in ["lock/[ab", "lock/]", "lock/[]", "", "lock/{a,b"] {
            assert!(Pattern::parse(p).is_err(), "{p:?}");
        }
        assert!(Pattern::parse("lock/[ab]*").is_ok());
    }

    #[test]
    fn near_misses_get_a_suggestion() {
        assert!(suggestion("lock/two_lock_deadlok").contains("lock/two_lock_deadlock"));
        assert!(suggestion("two_lock_deadlok").contains("lock/two_lock_deadlock"));
        assert_eq!(suggestion("zzzzzzzzzzzzzzzz"), "");
    }
}
