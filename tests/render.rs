//! `pipelint render`: snapshots of every example as DOT and Mermaid, DOT
//! accepted by the real Graphviz, built-in SVG that is well-formed and shows
//! every service, byte-identical output, and the command line around it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::TODAY;

/// The examples and the render fixtures (hostile names and labels).
fn inputs() -> Vec<PathBuf> {
    let mut all = common::files("examples", ".arch.toml");
    all.extend(common::files("tests/fixtures/render", ".arch.toml"));
    assert!(all.len() >= 13, "the examples and the render fixtures");
    all
}

/// "findings__stream-to-s3" for examples/findings/stream-to-s3.arch.toml.
fn stem(path: &Path) -> String {
    let rel = common::rel(path);
    rel.trim_start_matches("examples/")
        .trim_start_matches("tests/fixtures/render/")
        .trim_end_matches(".arch.toml")
        .replace('/', "__")
}

/// Renders with the built-in engine (so output never depends on the machine).
fn render(path: &Path, format: &str) -> String {
    let rel = common::rel(path);
    let (code, out, err) = common::run(&[
        "render", &rel, "--format", format, "--engine", "builtin", "--today", TODAY,
    ]);
    assert_eq!(code, 0, "{rel} as {format}: {err}");
    assert!(err.is_empty(), "{rel} as {format}: {err}");
    out
}

/// The service ids of a file, loaded through the library.
fn service_ids(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("readable");
    let arch = pipelint::load(
        pipelint::SourceFile::new(common::rel(path), text.as_str()),
        pipelint::Pack::embedded(),
    )
    .expect("the file loads");
    arch.services.into_iter().map(|s| s.id).collect()
}

fn dot_on_path() -> bool {
    pipelint::render::graphviz::find_dot().is_some()
}

fn program_on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// Every piece of text in an SVG document, in order.
fn svg_text(svg: &str) -> String {
    // Graphviz's SVG starts with a DOCTYPE.
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, opts).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn snapshots_of_every_example_as_dot_and_mermaid() {
    let settings = common::settings();
    for path in inputs() {
        let stem = stem(&path);
        for format in ["dot", "mermaid"] {
            let out = render(&path, format);
            settings.bind(|| {
                insta::assert_snapshot!(format!("render__{stem}__{format}"), out);
            });
        }
    }
}

#[test]
fn snapshots_of_built_in_svg() {
    let settings = common::settings();
    for path in [
        "examples/clickstream.arch.toml",
        "examples/findings/stream-to-s3.arch.toml",
        "tests/fixtures/render/hostile.arch.toml",
    ] {
        let path = common::root().join(path);
        let out = render(&path, "svg");
        settings.bind(|| {
            insta::assert_snapshot!(format!("render__{}__svg", stem(&path)), out);
        });
    }
}

#[test]
fn graphviz_accepts_every_dot_and_draws_every_service() {
    if !common::require("graphviz dot", dot_on_path()) {
        return;
    }
    for path in inputs() {
        let rel = common::rel(&path);
        let dot = render(&path, "dot");
        let bytes = pipelint::render::graphviz::run(&dot, pipelint::render::graphviz::Output::Svg)
            .unwrap_or_else(|e| panic!("{rel}: dot rejected the DOT: {e}\n{dot}"));
        let svg = String::from_utf8(bytes).expect("utf-8 SVG from dot");
        let text = svg_text(&svg);
        for id in service_ids(&path) {
            assert!(
                text.contains(&id),
                "{rel}: `{id}` is not drawn by dot:\n{text}"
            );
        }
    }
}

#[test]
fn graphviz_has_no_complaint_about_our_dot() {
    if !common::require("graphviz dot", dot_on_path()) {
        return;
    }
    for path in inputs() {
        let rel = common::rel(&path);
        let dot = render(&path, "dot");
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dot runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(dot.as_bytes())
            .expect("dot reads its input");
        let out = child.wait_with_output().expect("dot finishes");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{rel}: {stderr}");
        // Warnings about the machine's fonts are not about the DOT.
        let ours: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.contains("font") && !l.contains("non-ASCII character"))
            .collect();
        assert!(ours.is_empty(), "{rel}: {stderr}");
    }
}

/// Text of the hostile fixture as each picture must show it.
const HOSTILE_TEXT: [&str; 5] = [
    r#"hostile "quotes" \ <b>html</b> {braces} | pipes #35; & more second line"#,
    r#"line "label" \ <x> {y}"#,
    r#"| z #35; `tick` end\"#,
    r#"unknown "thing"\"#,
    "<angle> & {brace} | pipe",
];

#[test]
fn hostile_text_comes_out_as_written() {
    let path = common::root().join("tests/fixtures/render/hostile.arch.toml");
    let builtin = svg_text(&render(&path, "svg"));
    for t in HOSTILE_TEXT {
        assert!(builtin.contains(t), "built-in SVG lacks {t:?}:\n{builtin}");
    }
    let mermaid = render(&path, "mermaid");
    assert!(
        mermaid.contains(
            "line #quot;label#quot; #92; #lt;x#gt; {y}<br/>#124; z #35;35; #96;tick#96; end#92;"
        ),
        "{mermaid}"
    );
    if !common::require("graphviz dot", dot_on_path()) {
        return;
    }
    let dot = render(&path, "dot");
    let bytes = pipelint::render::graphviz::run(&dot, pipelint::render::graphviz::Output::Svg)
        .expect("dot draws it");
    let drawn = svg_text(&String::from_utf8(bytes).expect("utf-8"));
    for t in HOSTILE_TEXT {
        assert!(drawn.contains(t), "dot's SVG lacks {t:?}:\n{drawn}");
    }
}

#[test]
fn graphviz_rust_reads_back_every_dot() {
    for path in inputs() {
        let rel = common::rel(&path);
        let dot = render(&path, "dot");
        if let Err(e) = graphviz_rust::parse(&dot) {
            panic!("{rel}: {e}\n{dot}");
        }
    }
}

#[test]
fn built_in_svg_is_well_formed_and_shows_every_service() {
    for path in inputs() {
        let rel = common::rel(&path);
        let svg = render(&path, "svg");
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{rel}: not well-formed XML: {e}"));
        let root = doc.root_element();
        assert!(
            root.has_tag_name(("http://www.w3.org/2000/svg", "svg")),
            "{rel}"
        );
        let text = svg_text(&svg);
        let ids = service_ids(&path);
        for (i, id) in ids.iter().enumerate() {
            let node = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(&format!("s{i}")))
                .unwrap_or_else(|| panic!("{rel}: no node for `{id}`"));
            let title = node
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or("");
            assert!(title.starts_with(&format!("{id}: ")), "{rel}: {title}");
            assert!(text.contains(id.as_str()), "{rel}: `{id}` is not drawn");
        }
        let edges = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("edge"))
            .count();
        let text = std::fs::read_to_string(&path).expect("readable");
        let arch = pipelint::load(
            pipelint::SourceFile::new(rel.clone(), text.as_str()),
            pipelint::Pack::embedded(),
        )
        .expect("loads");
        assert!(edges >= arch.flows.len(), "{rel}: {edges} edges");
    }
}

#[test]
fn findings_are_drawn_on_their_subjects() {
    let path = common::root().join("examples/findings/stream-to-s3.arch.toml");
    let svg = render(&path, "svg");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    // The unsupported flow is red and dashed; the suggested path is drawn.
    let paths: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge"))
        .flat_map(|e| e.children().filter(|n| n.has_tag_name("path")))
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.attribute("stroke") == Some("#d32f2f")
                && p.attribute("stroke-dasharray").is_some())
    );
    let suggested = paths
        .iter()
        .filter(|p| p.attribute("marker-end") == Some("url(#arrow-suggested)"))
        .count();
    assert_eq!(suggested, 2, "kinesis → firehose → s3");
    let text = svg_text(&svg);
    assert!(
        text.contains("firehose") && text.contains("suggested"),
        "{text}"
    );
    assert!(text.contains("no integration"), "{text}");

    // A deprecated service is struck through and names its replacement.
    let path = common::root().join("examples/findings/legacy-services.arch.toml");
    let svg = render(&path, "svg");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let struck: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("text-decoration") == Some("line-through"))
        .filter_map(|n| n.text())
        .collect();
    assert!(struck.contains(&"Amazon Machine Learning"), "{struck:?}");
    assert!(svg_text(&svg).contains("→ Amazon SageMaker AI"));
}

#[test]
fn one_flow_shows_the_same_finding_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("names.arch.toml");
    std::fs::write(&path, "flows = [\"x -> y\"]\n").expect("write");
    let p = path.to_string_lossy().into_owned();
    let (code, out, _) = common::run(&["render", &p, "--format", "mermaid"]);
    assert_eq!(code, 0);
    // Both ends are unknown names: two findings, one mark on the edge.
    assert!(out.contains("u0 -->|\"✖ unknown name\"| u1\n"), "{out}");
}

#[test]
fn annotations_add_lines_to_services_and_the_heading() {
    let path = common::root().join("examples/clickstream.arch.toml");
    let text = std::fs::read_to_string(&path).expect("readable");
    let pack = pipelint::Pack::embedded();
    let arch = pipelint::load(
        pipelint::SourceFile::new("clickstream", text.as_str()),
        pack,
    )
    .expect("loads");
    let findings = pipelint::check(&arch, pack, &pipelint::CheckOptions::new(common::today()));
    let mut notes = pipelint::render::Annotations::default();
    notes.services.insert(1, vec!["$58.40/month".into()]);
    notes.summary.push("total $1,234.50/month".into());
    let d = pipelint::render::Diagram::build(&arch, pack, &findings, common::today(), &notes);
    for out in [
        pipelint::render::svg(&d).expect("small enough to draw"),
        pipelint::render::dot(&d),
        pipelint::render::mermaid(&d),
    ] {
        assert!(out.contains("$58.40/month"), "{out}");
    }
    assert!(
        pipelint::render::svg(&d)
            .expect("small enough to draw")
            .contains("total $1,234.50/month")
    );
    assert!(pipelint::render::dot(&d).contains("total $1,234.50/month"));
}

#[test]
fn output_is_byte_identical_across_runs_and_processes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for path in inputs() {
        let rel = common::rel(&path);
        for format in ["dot", "mermaid", "svg"] {
            let first = render(&path, format);
            assert_eq!(first, render(&path, format), "{rel} as {format}");
            // Another process, with its own hash seeds.
            let (code, out, err) = common::run_bin(
                &["render", &rel, "--format", format, "--engine", "builtin"],
                &common::root(),
            );
            assert_eq!(code, 0, "{err}");
            assert_eq!(first, out, "{rel} as {format} in another process");
        }
        // Written to a file, the same bytes.
        let target = dir.path().join("out.svg");
        let t = target.to_string_lossy().into_owned();
        let (code, _, err) = common::run(&[
            "render", &rel, "-o", &t, "--engine", "builtin", "--today", TODAY,
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            std::fs::read_to_string(&target).expect("written"),
            render(&path, "svg")
        );
    }
}

#[test]
fn built_in_svg_converts_to_png_for_a_look() {
    if !common::require(
        "rsvg-convert (librsvg2-bin)",
        program_on_path("rsvg-convert"),
    ) {
        return;
    }
    let out_dir = common::root().join("target/render-png");
    std::fs::create_dir_all(&out_dir).expect("target/render-png");
    for example in ["clickstream", "findings/stream-to-s3"] {
        let path = common::root().join(format!("examples/{example}.arch.toml"));
        let name = stem(&path);
        let svg = out_dir.join(format!("{name}.svg"));
        let png = out_dir.join(format!("{name}.png"));
        std::fs::write(&svg, render(&path, "svg")).expect("write the SVG");
        let status = Command::new("rsvg-convert")
            .arg(&svg)
            .arg("-o")
            .arg(&png)
            .status()
            .expect("rsvg-convert runs");
        assert!(status.success(), "rsvg-convert failed on {}", svg.display());
        let bytes = std::fs::read(&png).expect("the PNG");
        assert!(bytes.starts_with(b"\x89PNG"), "{}", png.display());
        eprintln!("rendered {}", png.display());
    }
}

#[test]
fn readme_images_are_what_the_built_in_engine_draws() {
    for (example, image) in [
        (
            "examples/clickstream.arch.toml",
            "docs/images/clickstream.svg",
        ),
        (
            "examples/findings/stream-to-s3.arch.toml",
            "docs/images/stream-to-s3.svg",
        ),
    ] {
        let committed = std::fs::read_to_string(common::root().join(image))
            .unwrap_or_else(|e| panic!("{image}: {e}"));
        assert!(
            committed == render(&common::root().join(example), "svg"),
            "{image} is stale: run `pipelint render {example} -o {image} --engine builtin --today {TODAY}`"
        );
    }
}

// --- the command line ---------------------------------------------------

/// Runs the binary with a PATH that has no Graphviz in it.
fn run_without_graphviz(args: &[&str]) -> (i32, Vec<u8>, String) {
    let empty = tempfile::tempdir().expect("a temporary directory");
    let out = Command::new(env!("CARGO_BIN_EXE_pipelint"))
        .args(args)
        .current_dir(common::root())
        .env("PATH", empty.path())
        .env("PIPELINT_TODAY", TODAY)
        .output()
        .expect("the pipelint binary runs");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn without_graphviz_svg_comes_from_the_built_in_engine() {
    let example = "examples/findings/stream-to-s3.arch.toml";
    let (code, out, err) = run_without_graphviz(&["render", example]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        render(&common::root().join(example), "svg")
    );
}

#[test]
fn a_missing_dot_says_how_to_install_graphviz() {
    let settings = common::settings();
    let example = "examples/clickstream.arch.toml";
    let dir = tempfile::tempdir().expect("a temporary directory");
    let png = dir.path().join("x.png");
    let png = png.to_string_lossy().into_owned();
    for (name, args) in [
        ("svg", vec!["render", example, "--engine", "dot"]),
        ("png", vec!["render", example, "-o", &png]),
    ] {
        let (code, out, err) = run_without_graphviz(&args);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty());
        assert!(!err.contains("os error"), "{err}");
        assert!(!dir.path().join("x.png").exists());
        settings.bind(|| insta::assert_snapshot!(format!("render_cli__no_dot_{name}"), err));
    }
}

#[test]
fn the_dot_engine_draws_svg_and_png_with_graphviz() {
    if !common::require("graphviz dot", dot_on_path()) {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = "examples/findings/stream-to-s3.arch.toml";
    let (code, out, err) = common::run(&["render", example, "--engine", "dot", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Generated by graphviz"), "{out}");
    assert!(svg_text(&out).contains("no integration"));
    let png = dir.path().join("arch.png");
    let p = png.to_string_lossy().into_owned();
    let (code, _, err) = common::run(&["render", example, "-o", &p, "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&png).expect("a PNG").starts_with(b"\x89PNG"));
}

#[test]
fn the_format_follows_the_output_name() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = "examples/clickstream.arch.toml";
    for (name, start) in [
        ("a.dot", "digraph pipeline {"),
        ("a.gv", "digraph pipeline {"),
        ("a.mmd", "---\ntitle: \"clickstream"),
        ("a.svg", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"),
    ] {
        let target = dir.path().join(name);
        let t = target.to_string_lossy().into_owned();
        let (code, out, err) = common::run(&[
            "render", example, "-o", &t, "--engine", "builtin", "--today", TODAY,
        ]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.is_empty(), "{name}: nothing on stdout");
        let written = std::fs::read_to_string(&target).expect("written");
        assert!(written.starts_with(start), "{name}: {written}");
    }
    // --format wins over the name.
    let target = dir.path().join("diagram.txt");
    let t = target.to_string_lossy().into_owned();
    let (code, _, err) = common::run(&["render", example, "-o", &t, "--format", "mermaid"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&target)
            .expect("written")
            .contains("flowchart ")
    );
}

#[test]
fn command_line_mistakes_exit_2_with_a_clear_message() {
    let settings = common::settings();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = "examples/clickstream.arch.toml";
    let unknown = dir.path().join("a.jpeg");
    let png = dir.path().join("a.png");
    let missing_dir = dir.path().join("missing/a.svg");
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "unknown_extension",
            vec![
                "render".into(),
                example.into(),
                "-o".into(),
                unknown.to_string_lossy().into(),
            ],
        ),
        (
            "format_contradicts_the_name",
            vec![
                "render".into(),
                example.into(),
                "-o".into(),
                png.to_string_lossy().into(),
                "--format".into(),
                "svg".into(),
            ],
        ),
        (
            "png_from_builtin",
            vec![
                "render".into(),
                example.into(),
                "--format".into(),
                "png".into(),
                "--engine".into(),
                "builtin".into(),
            ],
        ),
        (
            "unwritable",
            vec![
                "render".into(),
                example.into(),
                "--engine".into(),
                "builtin".into(),
                "-o".into(),
                missing_dir.to_string_lossy().into(),
            ],
        ),
    ];
    for (name, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = common::run(&args);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(out.is_empty(), "{name}: {out}");
        let err = err.replace(&dir.path().to_string_lossy().into_owned(), "TMP");
        settings.bind(|| insta::assert_snapshot!(format!("render_cli__{name}"), err));
    }
    assert!(!unknown.exists() && !missing_dir.exists() && !png.exists());
}

#[test]
fn a_file_that_does_not_load_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bad = dir.path().join("bad.arch.toml");
    std::fs::write(&bad, "[pipeline]\nflows = [\"Kinesis -> S3\"]\nshard = 4\n").expect("write");
    let target = dir.path().join("out.svg");
    std::fs::write(&target, "old picture").expect("write");
    let (code, out, err) = common::run(&[
        "render",
        &bad.to_string_lossy(),
        "-o",
        &target.to_string_lossy(),
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        std::fs::read_to_string(&target).expect("kept"),
        "old picture"
    );
    let err = err.replace(&dir.path().to_string_lossy().into_owned(), "TMP");
    common::settings().bind(|| insta::assert_snapshot!("render_cli__does_not_load", err));
}

#[test]
fn render_help() {
    let (code, out, _) = common::run(&["render", "--help"]);
    assert_eq!(code, 0);
    common::settings().bind(|| insta::assert_snapshot!("render_cli__help", out));
}

#[test]
fn cost_puts_each_service_s_monthly_cost_and_the_total_on_the_picture() {
    let file = "examples/clickstream.arch.toml";
    for format in ["mermaid", "dot"] {
        let (code, out, err) = common::run(&[
            "render",
            file,
            "--cost",
            "--format",
            format,
            "--today",
            common::TODAY,
        ]);
        assert_eq!(code, 0, "{err}");
        // The figures `pipelint cost` gives: 4 shards and their PUT units, and the total.
        assert!(out.contains("$98.99 a month"), "{format}: {out}");
        assert!(
            out.contains("$883.45* a month"),
            "{format}: an estimated price is marked: {out}"
        );
        assert!(
            out.contains("$1,040.44 a month in us-east-1 (* includes estimated prices)"),
            "{format}: {out}"
        );
        // Services the pack cannot price get no figure.
        assert!(!out.contains("Amazon QuickSight<br/>$"), "{format}: {out}");
    }
    let (_, plain, _) = common::run(&[
        "render",
        file,
        "--format",
        "mermaid",
        "--today",
        common::TODAY,
    ]);
    assert!(
        !plain.contains("a month"),
        "no cost without --cost: {plain}"
    );
}
