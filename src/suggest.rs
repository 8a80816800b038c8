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
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lc = c.to_lowercase();
            let sim = strsim::jaro_winkler(&w, &lc);
            // A prefix the user typed out ("kinesis-data" for "kinesis-data-streams")
            let prefix = lc.starts_with(&w) && w.len() >= 3;
            let close =
                sim >= 0.84 || strsim::damerau_levenshtein(&w, &lc) <= w.len().min(lc.len()) / 4;
            (close || prefix).then_some((if prefix { sim.max(0.9) } else { sim }, c))
        })
        .collect();
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
