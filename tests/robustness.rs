//! Robustness properties: whatever the bytes (architecture files, templates,
//! configuration files), loading, checking, reporting in every format and
//! drawing never panic, every diagnostic points inside the file, the command
//! line exits 0, 1 or 2, and the output is the same every time. A short
//! bounded run here (256 cases a property); before a release,
//! `PROPTEST_CASES=200000 cargo test --release --test robustness` (see
//! docs/PERFORMANCE.md).

mod common;

use std::path::{Path, PathBuf};

use pipelint::finding::Severity;
use pipelint::render::{Annotations, Diagram};
use pipelint::report::{self, FileReport, Gate, Human, Outcome};
use pipelint::rules::RULES;
use pipelint::{CheckOptions, Pack};
use proptest::prelude::*;

/// Cases a property runs: `PROPTEST_CASES`, else a count that keeps CI short.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Shrinking a failure of a long run can take longer than the run.
        max_shrink_iters: 2048,
        ..ProptestConfig::default()
    }
}

/// Every report format, one after the other.
fn all_formats(reports: &[FileReport]) -> String {
    let gates: Vec<Gate> = reports
        .iter()
        .map(|_| Gate {
            fail_on: Severity::Error,
            rules: RULES.iter().map(|r| r.meta()).collect(),
        })
        .collect();
    format!(
        "{}{}{}{}{}{}",
        Human {
            color: false,
            quiet: false
        }
        .render(reports),
        report::concise(reports),
        report::json(reports),
        report::sarif(reports),
        report::github(reports),
        report::junit(reports, &gates)
    )
}

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
    let text = all_formats(std::slice::from_ref(&report));
    (report, text)
}

/// Every span a report holds lies inside its text, on character boundaries.
fn spans_inside(report: &FileReport) -> Result<(), String> {
    let check = |text: &str, s: pipelint::source::Span, what: &str| {
        if s.start() > s.end()
            || s.end() > text.len()
            || !text.is_char_boundary(s.start())
            || !text.is_char_boundary(s.end())
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
    if let Outcome::Checked { arch, findings } = &report.outcome {
        let drawn = draw(arch, findings);
        let (report2, _) = run_all(bytes.clone());
        if let Outcome::Checked { arch, findings } = &report2.outcome {
            prop_assert_eq!(&drawn, &draw(arch, findings), "drawings differ");
        }
    }
    let (_, second) = run_all(bytes);
    prop_assert_eq!(first, second, "output differs between two runs");
    Ok(())
}

/// DOT, Mermaid and the built-in SVG (or its refusal) of a checked file.
fn draw(arch: &pipelint::Architecture, findings: &[pipelint::Finding]) -> String {
    let pack = Pack::embedded();
    let d = Diagram::build(
        arch,
        pack,
        findings,
        common::today(),
        &Annotations::default(),
    );
    format!(
        "{}{}{:?}",
        pipelint::render::dot(&d),
        pipelint::render::mermaid(&d),
        pipelint::render::svg(&d).map(|s| s.len())
    )
}

/// Writes `bytes` to `name` in a fresh directory and runs the command line
/// on it twice: the exit code is 0, 1 or 2, and both runs print the same.
fn assert_cli_sound(name: &str, bytes: &[u8], args: &[&str]) -> Result<(), TestCaseError> {
    let d = tempfile::tempdir().expect("a temporary directory");
    let path = d.path().join(name);
    std::fs::write(&path, bytes).expect("a temporary file");
    let p = path.to_string_lossy().into_owned();
    let mut full: Vec<&str> = args.to_vec();
    full.push(&p);
    let first = common::run(&full);
    prop_assert!(first.0 <= 2, "exit code {}: {:?}", first.0, first);
    let second = common::run(&full);
    prop_assert_eq!(first, second, "output differs between two runs");
    Ok(())
}

/// Checks bytes as a template of `format`; spans inside, same output twice.
fn assert_template_sound(
    name: &str,
    bytes: &[u8],
    format: pipelint::import::Format,
) -> Result<(), TestCaseError> {
    let d = tempfile::tempdir().expect("a temporary directory");
    let path = d.path().join(name);
    std::fs::write(&path, bytes).expect("a temporary file");
    let run = || {
        let r = pipelint::check_template(
            &path,
            name,
            format,
            Pack::embedded(),
            &CheckOptions::new(common::today()),
        );
        let text = all_formats(std::slice::from_ref(&r));
        (r, text)
    };
    let (report, first) = run();
    spans_inside(&report).map_err(TestCaseError::fail)?;
    if let Some(imported) = arch_imported(&path, name, format) {
        // The architecture file written from it is read without a panic, and
        // any diagnostic about it points inside it.
        let text = pipelint::import::to_toml(&imported, "pipelint");
        let (written, _) = run_all(text.into_bytes());
        spans_inside(&written).map_err(TestCaseError::fail)?;
    }
    let (_, second) = run();
    prop_assert_eq!(first, second, "output differs between two runs");
    Ok(())
}

fn arch_imported(
    path: &Path,
    name: &str,
    format: pipelint::import::Format,
) -> Option<pipelint::import::Imported> {
    pipelint::import::import(path, name, format, Pack::embedded()).ok()
}

/// Applies line edits to a text: deletions, repeats, swaps, huge numbers,
/// stripped quotes, long lines, inserted fragments; then CRLF and a BOM.
fn mutate(
    text: &str,
    edits: Vec<(prop::sample::Index, u8, String)>,
    crlf: bool,
    bom: bool,
) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (at, op, frag) in edits {
        if lines.is_empty() {
            lines.push(frag);
            continue;
        }
        let i = at.index(lines.len());
        match op {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = (i * 7 + 3) % lines.len();
                lines.swap(i, j);
            }
            3 => lines[i] = lines[i].replace(|c: char| c.is_ascii_digit(), "9"),
            4 => lines[i] = lines[i].replace('"', ""),
            5 => lines[i].push_str(&"9".repeat(40)),
            6 => lines[i] = format!("{}{}", lines[i], "x".repeat(5000)),
            7 => lines[i] = lines[i].replace(|c: char| c.is_ascii_digit(), "-1e309"),
            8 => lines[i] = format!("{}{}", " ".repeat(i % 7), lines[i].trim_start()),
            _ => lines.insert(i, frag),
        }
    }
    let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
    if bom {
        text.insert(0, '\u{feff}');
    }
    text
}

/// Corpus templates (`../shared/corpus`) of a kind, when the corpus is there.
fn corpus(dir: &str, ext: &[&str]) -> Vec<PathBuf> {
    let Some(shared) = common::shared() else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus").join(dir))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| ext.iter().any(|e| x == *e)))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
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
    #![proptest_config(config())]

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
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..11, fragment()), 1..6),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let examples = common::files("examples", ".arch.toml");
        let text = std::fs::read_to_string(pick.get(&examples)).expect("readable example");
        assert_sound(mutate(&text, edits, crlf, bom).into_bytes())?;
    }

    #[test]
    fn the_command_line_exits_0_1_or_2_on_any_file(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        parts in proptest::collection::vec(fragment(), 0..10),
        format in prop::sample::select(vec!["human", "concise", "json", "sarif", "github", "junit"]),
        raw in any::<bool>(),
    ) {
        let bytes = if raw { bytes } else { parts.concat().into_bytes() };
        assert_cli_sound(
            "fuzz.arch.toml",
            &bytes,
            &["check", "--no-config", "--today", common::TODAY, "--format", format],
        )?;
        assert_cli_sound("fuzz.arch.toml", &bytes, &["cost", "--today", common::TODAY])?;
    }

    #[test]
    fn templates_of_any_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        ext in prop::sample::select(vec!["yaml", "json", "tf"]),
    ) {
        let format = if ext == "tf" {
            pipelint::import::Format::Terraform
        } else {
            pipelint::import::Format::CloudFormation
        };
        assert_template_sound(&format!("fuzz.{ext}"), &bytes, format)?;
        let kind = if ext == "tf" { "terraform" } else { "cloudformation" };
        assert_cli_sound(&format!("fuzz.{ext}"), &bytes, &["import", kind])?;
    }

    #[test]
    fn mutated_templates_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..11, template_fragment()), 1..6),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let mut templates = corpus("cloudformation", &["yaml", "yml", "json", "template"]);
        templates.extend(corpus("terraform", &["tf"]));
        // Without the corpus (outside CI) the bundled templates still run.
        common::require("the template corpus in ../shared/corpus", !templates.is_empty());
        templates.extend(common::files("examples/templates", ""));
        let path = pick.get(&templates);
        let ext = path.extension().map_or("yaml".into(), |x| x.to_string_lossy().into_owned());
        let format = if ext == "tf" {
            pipelint::import::Format::Terraform
        } else {
            pipelint::import::Format::CloudFormation
        };
        let text = std::fs::read_to_string(path).expect("a readable template");
        let text = mutate(&text, edits, crlf, bom);
        assert_template_sound(&format!("fuzz.{ext}"), text.as_bytes(), format)?;
    }

    #[test]
    fn configuration_files_of_any_content_never_panic(
        parts in proptest::collection::vec(config_fragment(), 0..8),
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        raw in any::<bool>(),
    ) {
        let d = tempfile::tempdir().expect("a temporary directory");
        let config = if raw { bytes } else { parts.concat().into_bytes() };
        std::fs::write(d.path().join("pipelint.toml"), &config).expect("a temporary file");
        let arch = d.path().join("arch.toml");
        std::fs::copy(common::root().join("examples/clickstream.arch.toml"), &arch)
            .expect("a copy of an example");
        let p = arch.to_string_lossy().into_owned();
        let args = ["check", "--today", common::TODAY, "--format", "json", p.as_str()];
        let first = common::run(&args);
        prop_assert!(first.0 <= 2, "{:?}", first);
        prop_assert_eq!(first, common::run(&args));
    }
}

/// Pieces of templates, CloudFormation and Terraform, for inserting.
fn template_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("  X: !Ref Missing".to_string()),
        Just("  Y: !GetAtt A.B.C".to_string()),
        Just("  Z: !Sub '${AWS::Region}-${Missing}'".to_string()),
        Just("    Type: AWS::Kinesis::Stream".to_string()),
        Just("  Q: !If [Cond, !Ref A, !Ref B]".to_string()),
        Just("&anchor x".to_string()),
        Just("*anchor".to_string()),
        Just("---".to_string()),
        Just("resource \"aws_s3_bucket\" \"b\" {".to_string()),
        Just("  arn = \"${aws_kinesis_stream.s.arn}\"".to_string()),
        Just("module \"m\" { source = \"./missing\" }".to_string()),
        Just("}".to_string()),
        "[a-zA-Z_:!${}\\[\\]\" .\\-]{0,40}",
    ]
}

/// Pieces of pipelint.toml files.
fn config_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("fail-on = \"warning\"\n".to_string()),
        Just("select = [\"unsupported-flow\"]\n".to_string()),
        Just("ignore = [\"PL103\", \"nonsense\"]\n".to_string()),
        Just("exclude = [\"**/*.arch.toml\", \"[\"]\n".to_string()),
        Just("rules = [\"./missing\"]\n".to_string()),
        Just("[severity]\nunsupported-flow = \"info\"\n".to_string()),
        Just("[tool.pipelint]\n".to_string()),
        Just("fail-on = 3\n".to_string()),
        "[a-z_\\-.\\[\\]=\" \n0-9]{0,40}",
    ]
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

#[test]
fn findings_on_a_huge_line_are_reported_by_position_without_drawing_it() {
    // 2,000 unsupported flows on one line of about 30 KB: every finding
    // would otherwise print the whole line.
    let flows: Vec<&str> = vec!["\"Kinesis -> S3\""; 2_000];
    let text = format!("[pipeline]\nflows = [{}]\n", flows.join(", "));
    let (report, _) = run_all(text.clone().into_bytes());
    let human = Human {
        color: false,
        quiet: false,
    }
    .render(std::slice::from_ref(&report));
    assert!(human.len() < 100 * text.len(), "{} bytes", human.len());
    assert!(
        human.contains("at fuzz.arch.toml:2:19 (the line is too long to show)"),
        "{}",
        &human[..2000.min(human.len())]
    );
}

#[test]
fn a_template_of_one_multi_byte_character_is_not_cut_in_two() {
    // Found by the long run: a YAML file holding only U+00A0 was "not a
    // mapping" at a span that ended inside the character.
    for ext in ["yaml", "json"] {
        assert_template_sound(
            &format!("nbsp.{ext}"),
            "\u{a0}".as_bytes(),
            pipelint::import::Format::CloudFormation,
        )
        .expect("the span covers the whole character");
    }
}
