//! The real corpus (`../shared/corpus`, public templates of real pipelines):
//! every template imports, every data-flow resource becomes a service, the
//! imported architecture file loads and gives the same findings as the
//! template, and the findings on each are pinned in a snapshot.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pipelint::finding::Subject;
use pipelint::import::{self, Became, Format, Mapping};
use pipelint::{CheckOptions, Pack, SourceFile};

fn corpus() -> Option<PathBuf> {
    common::shared()
        .map(|s| s.join("corpus"))
        .filter(|p| p.is_dir())
}

fn templates(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

fn opts() -> CheckOptions {
    CheckOptions::new(common::today())
}

/// (rule, what it is about) of every finding, by ids rather than indices.
fn keyed(
    arch: &pipelint::Architecture,
    findings: &[pipelint::Finding],
) -> BTreeSet<(String, String)> {
    findings
        .iter()
        .filter(|f| f.rule.name != "unresolved-reference")
        .map(|f| {
            let subject = match f.subject {
                Subject::File => String::new(),
                Subject::Service(s) => arch.services[s].id.clone(),
                Subject::Flow(i) => {
                    let fl = &arch.flows[i];
                    let id = |e: &pipelint::model::Endpoint| {
                        e.service
                            .map_or(e.name.to_string(), |s| arch.services[s].id.clone())
                    };
                    format!("{} -> {}", id(&fl.from), id(&fl.to))
                }
            };
            (f.rule.name.to_string(), subject)
        })
        .collect()
}

fn mapping(format: Format) -> &'static Mapping {
    match format {
        Format::CloudFormation => Mapping::cloudformation(),
        Format::Terraform => Mapping::terraform(),
    }
}

#[test]
fn every_corpus_template_imports_checks_round_trips_and_is_pinned() {
    let Some(dir) = corpus() else {
        common::require("../shared/corpus", false);
        return;
    };
    let pack = Pack::embedded();
    let settings = common::settings();
    let mut count = 0;
    for (sub, format) in [
        ("cloudformation", Format::CloudFormation),
        ("terraform", Format::Terraform),
    ] {
        for path in templates(&dir.join(sub)) {
            count += 1;
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let display = format!("corpus/{sub}/{name}");
            let imported = import::import(&path, &display, format, pack)
                .unwrap_or_else(|f| panic!("{display} does not import: {:?}", f.error));

            // Every data-flow resource became a service (or stands for one).
            for r in &imported.draft.resources {
                let optional = mapping(format).resource(&r.ty).is_some_and(|m| m.optional);
                let ok = match &r.became {
                    Became::Service(_) | Became::Folded(_) | Became::ConditionFalse => true,
                    Became::LeftOut => optional,
                    Became::Wiring | Became::Unresolved => true,
                };
                assert!(
                    !r.data_flow || ok,
                    "{display}: `{}` ({}) is a data-flow resource but became {:?}",
                    r.id,
                    r.ty,
                    r.became
                );
            }

            let findings = pipelint::check(&imported.arch, pack, &opts());
            let toml = import::to_toml(&imported, format.as_str());

            // The architecture file loads and gives the same findings.
            let reloaded =
                pipelint::load(SourceFile::new("imported.arch.toml", toml.as_str()), pack)
                    .unwrap_or_else(|e| {
                        panic!("{display}: the imported file does not load: {e:?}\n{toml}")
                    });
            let again = pipelint::check(&reloaded, pack, &opts());
            assert_eq!(
                keyed(&imported.arch, &findings),
                keyed(&reloaded, &again),
                "{display}: checking the template and the imported file disagree"
            );

            let report = pipelint::report::FileReport {
                path: display.clone(),
                outcome: pipelint::report::Outcome::Checked {
                    arch: Box::new(imported.arch),
                    findings,
                },
            };
            let concise = pipelint::report::concise(&[report]);
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            settings.bind(|| {
                insta::assert_snapshot!(
                    format!("import__{sub}__{stem}"),
                    format!("{concise}\n{toml}")
                );
            });
        }
    }
    assert!(
        count >= 30,
        "the corpus holds at least 30 templates, found {count}"
    );
}

/// The Terraform example whose modules the corpus keeps as separate files:
/// put back in their directories, the local modules are followed.
#[test]
fn local_terraform_modules_are_followed() {
    let Some(dir) = corpus() else {
        common::require("../shared/corpus", false);
        return;
    };
    let tf = dir.join("terraform");
    let d = tempfile::tempdir().expect("a temporary directory");
    let root = d.path();
    for (from, to) in [
        (
            "aws-samples__serverless-patterns__kda-flink-s3-sink.root.tf",
            "main.tf",
        ),
        (
            "aws-samples__serverless-patterns__kda-flink-s3-sink.modules-kinesisstream.tf",
            "modules/kinesisstream/main.tf",
        ),
        (
            "aws-samples__serverless-patterns__kda-flink-s3-sink.modules-kinesisanalytics.tf",
            "modules/kinesisanalytics/main.tf",
        ),
    ] {
        let target = root.join(to);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(tf.join(from), &target).expect("copy");
    }
    let imported = import::import(root, "kda-flink", Format::Terraform, Pack::embedded())
        .unwrap_or_else(|f| panic!("does not import: {:?}", f.error));
    let ids: Vec<&str> = imported
        .arch
        .services
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "kinesisanalytics_kinesis_analytics_application",
            "kinesis_stream_kinesis_stream"
        ]
    );
    let stream = &imported.arch.services[1];
    assert_eq!(stream.kind.written, "kinesis-data-streams");
    assert_eq!(stream.text("mode"), Some("on-demand"));
    // The module that has no files here is named, not guessed.
    let notes: Vec<&str> = imported
        .arch
        .unresolved
        .iter()
        .map(|u| u.message.as_str())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("module `s3_application_landing_zone` is not read")),
        "{notes:?}"
    );
    // Spans point into the module's own text, behind its file header.
    let src = &imported.arch.source;
    assert_eq!(src.slice(stream.kind.span), "\"aws_kinesis_stream\"");
}
