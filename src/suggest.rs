//! "Did you mean" for names the user mistyped.

/// The candidate closest to `word`, when it is close enough to be the likely
/// intent. Ties go to the candidate that sorts first, so help is deterministic.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates, 1).into_iter().next()
}

/// Up to `n` candidates close to `word`, best first.
pub fn closest<'a, I>(word: &str, candidates: I, n: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let w = word.to_lowercase();
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for c in candidates {
        let lc: std::borrow::Cow<'_, str> =
            if c.bytes().any(|b| b.is_ascii_uppercase()) || !c.is_ascii() {
                c.to_lowercase().into()
            } else {
                c.into()
            };
        // A prefix the user typed out ("kinesis-data" for "kinesis-data-streams").
        let prefix = w.len() >= 3 && lc.starts_with(&w);
        // Lengths far apart cannot be a typo of each other: skip the costly measures.
        if !prefix && lc.len().abs_diff(w.len()) > (w.len().max(lc.len()) / 2).max(2) {
            continue;
        }
        let sim = strsim::jaro_winkler(&w, &lc);
        let close = sim >= 0.84
            || (sim >= 0.6 && strsim::damerau_levenshtein(&w, &lc) <= w.len().min(lc.len()) / 4);
        if close || prefix {
            scored.push((if prefix { sim.max(0.9) } else { sim }, c));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        let keys = ["shards", "retention_hours", "throughput", "mode"];
        assert_eq!(did_you_mean("shard", keys), Some("shards"));
        assert_eq!(
            did_you_mean("retention_hour", keys),
            Some("retention_hours")
        );
        assert_eq!(did_you_mean("throughtput", keys), Some("throughput"));
        assert_eq!(did_you_mean("zebra", keys), None);
    }

    #[test]
    fn is_deterministic_on_ties() {
        assert_eq!(
            closest("shards", ["shardy", "shardx"], 2),
            vec!["shardx", "shardy"]
        );
    }
}
