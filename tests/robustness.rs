//! Robustness properties: whatever the bytes, loading and checking never
//! panic, every diagnostic points inside the file, and the output is the same
//! every time. A short bounded run here; `PROPTEST_CASES=100000 cargo test
//! --release --test robustness` runs longer before a release.

mod common;

use pipelint::report::{self, FileReport, Human, Outcome};
use pipelint::{CheckOptions, Pack};
use proptest::prelude::*;

/// Loads and checks bytes as a file would be; renders every format.
fn run_all(bytes: Vec<u8>) -> (FileReport, String) {
    let pack = Pack::embedded();
    let opts = CheckOptions::new(common::today());
    let report = match pipelint::model::source_from_bytes("fuzz.arch.toml", bytes) {
        Ok(src) => pipelint::check_source("fuzz.arch.toml", src, pack, &opts),
        Err(failure) => FileReport {
            path: "fuzz.arch.toml".into(),
            outcome: Outcome::Failed {
                source: failure.source,
                errors: vec![failure.error],
            },
        },
    };
    let reports = std::slice::from_ref(&report);
    let text = format!(
        "{}{}{}",
        Human {
            color: false,
            quiet: false
        }
        .render(reports),
        report::concise(reports),
        report::json(reports)
    );
    (report, text)
}

/// Every span a report holds lies inside its text, on character boundaries.
fn spans_inside(report: &FileReport) -> Result<(), String> {
    let check = |text: &str, s: pipelint::source::Span, what: &str| {
        if s.start > s.end
            || s.end > text.len()
            || !text.is_char_boundary(s.start)
            || !text.is_char_boundary(s.end)
        {
            Err(format!(
                "{what} span {s:?} outside a text of {} bytes",
                text.len()
            ))
        } else {
            Ok(())
        }
    };
    match &report.outcome {
        Outcome::Checked { arch, findings } => {
            for f in findings {
                check(arch.source.text(), f.span, f.rule.name)?;
                for (s, _) in &f.related {
                    check(arch.source.text(), *s, f.rule.name)?;
                }
            }
        }
        Outcome::Failed { source, errors } => {
            for e in errors {
                if let (Some(src), Some(s)) = (source, e.span) {
                    check(src.text(), s, &e.message)?;
                }
            }
        }
    }
    Ok(())
}

fn assert_sound(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let (report, first) = run_all(bytes.clone());
    spans_inside(&report).map_err(TestCaseError::fail)?;
    let (_, second) = run_all(bytes);
    prop_assert_eq!(first, second, "output differs between two runs");
    Ok(())
}

/// Pieces of architecture files, recombined at random.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[pipeline]\n".to_string()),
        Just("flows = [\"Kinesis -> Firehose -> S3\"]\n".to_string()),
        Just("flows = [\"a -> b\", \"b → c\"]\n".to_string()),
        Just("[services.a]\nkind = \"kinesis\"\n".to_string()),
        Just("[services.b]\nkind = \"firehose\"\nbuffer_seconds = 60\n".to_string()),
        Just("[services.c]\nkind = \"s3\"\nstorage_class = \"glacier-deep-archive\"\n".to_string()),
        Just("shards = 4\n".to_string()),
        Just("[services.a.throughput]\nmb_per_s = 5\n".to_string()),
        Just("[[flow]]\nfrom = \"a\"\nto = \"c\"\n".to_string()),
        Just("allow = [\"orphan-service\"]\n".to_string()),
        Just("allow = [{ rule = \"unsupported-flow\", reason = \"x\" }]\n".to_string()),
        Just("max_latency = \"1s\"\n".to_string()),
        Just("kind = \"machine-learning\"\n".to_string()),
        Just("retention_hours = nan\n".to_string()),
        Just("shards = -9223372036854775808\n".to_string()),
        Just("shards = 1e308\n".to_string()),
        Just("x = [[[[[[1]]]]]]\n".to_string()),
        "[a-z_.\\[\\]=\" \\->→{}#\n0-9]{0,40}",
        any::<String>().prop_map(|s| s.chars().take(30).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        assert_sound(bytes)?;
    }

    #[test]
    fn recombined_fragments_never_panic(parts in proptest::collection::vec(fragment(), 0..14)) {
        assert_sound(parts.concat().into_bytes())?;
    }

    #[test]
    fn mutated_examples_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..8, fragment()), 1..6),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let examples = common::files("examples", ".arch.toml");
        let text = std::fs::read_to_string(pick.get(&examples)).expect("readable example");
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (at, op, frag) in edits {
            if lines.is_empty() {
                lines.push(frag);
                continue;
            }
            let i = at.index(lines.len());
            match op {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                2 => { let j = (i * 7 + 3) % lines.len(); lines.swap(i, j); }
                3 => lines[i] = lines[i].replace(|c: char| c.is_ascii_digit(), "9"),
                4 => lines[i] = lines[i].replace('"', ""),
                5 => lines[i].push_str(&"9".repeat(40)),
                6 => lines[i] = format!("{}{}", lines[i], "x".repeat(5000)),
                _ => lines.insert(i, frag),
            }
        }
        let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
        if bom {
            text.insert(0, '\u{feff}');
        }
        assert_sound(text.into_bytes())?;
    }
}

#[test]
fn deep_nesting_and_long_chains_are_handled() {
    let deep = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let (report, _) = run_all(deep.into_bytes());
    assert!(
        matches!(report.outcome, Outcome::Failed { .. }),
        "deep nesting is refused"
    );

    let chain = format!(
        "flows = [\"{}\"]\n",
        (0..1_000)
            .map(|i| format!("s{i}"))
            .collect::<Vec<_>>()
            .join(" -> ")
    );
    let (report, text) = run_all(chain.into_bytes());
    assert!(matches!(report.outcome, Outcome::Checked { .. }));
    assert!(text.contains("`s0` is neither a declared service nor a catalog kind"));
}
