//! `pipelint render`: check a file and draw it with its findings, as DOT,
//! Mermaid, SVG (built-in layout or Graphviz) or PNG (Graphviz).

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{CmdResult, Engine, RenderArgs, RenderFormat, emit, exit, load_pack, today};
use crate::check::CheckOptions;
use crate::money::Money;
use crate::render::{self, Annotations, Diagram, Fit, SvgOptions, graphviz};
use crate::report::{Human, Outcome};

const FORMATS: &str = "dot, svg, png or mermaid";

/// The format named by an output file's extension.
fn format_of(path: &Path) -> Option<RenderFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "dot" | "gv" => Some(RenderFormat::Dot),
        "svg" => Some(RenderFormat::Svg),
        "png" => Some(RenderFormat::Png),
        "mmd" | "mermaid" => Some(RenderFormat::Mermaid),
        _ => None,
    }
}

fn format_name(f: RenderFormat) -> &'static str {
    match f {
        RenderFormat::Dot => "DOT",
        RenderFormat::Svg => "SVG",
        RenderFormat::Png => "PNG",
        RenderFormat::Mermaid => "Mermaid",
    }
}

fn choose_format(args: &RenderArgs) -> Result<RenderFormat, String> {
    match (args.format, &args.output) {
        // A name that says another format would get bytes it does not hold.
        (Some(f), Some(out)) => match format_of(out) {
            Some(named) if named != f => Err(format!(
                "`{}` names a {} file, but --format asks for {}; name the file for what it holds or drop --format",
                out.display(),
                format_name(named),
                format_name(f)
            )),
            _ => Ok(f),
        },
        (Some(f), None) => Ok(f),
        (None, None) => Ok(RenderFormat::Svg),
        (None, Some(out)) => format_of(out).ok_or_else(|| {
            format!(
                "cannot tell the format from the name `{}`; name the file .dot, .svg, .png or .mmd, or pass --format ({FORMATS})",
                out.display()
            )
        }),
    }
}

const INSTALL: &str = "install it (apt-get install graphviz / brew install graphviz)";

fn with_graphviz(dot: &str, output: graphviz::Output) -> Result<Vec<u8>, String> {
    graphviz::run(dot, output).map_err(|e| match (e, output) {
        (graphviz::Error::NotFound, graphviz::Output::Svg | graphviz::Output::Json) => {
            format!("graphviz `dot` is not on PATH; {INSTALL} or use --engine builtin")
        }
        (graphviz::Error::NotFound, graphviz::Output::Png) => format!(
            "PNG needs graphviz `dot`, which is not on PATH; {INSTALL}, or draw SVG with the built-in engine (--format svg)"
        ),
        (e, _) => e.to_string(),
    })
}

/// Why a file could not be written, without the temporary file's name.
fn write_failure(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let dir_missing = path
        .parent()
        .is_some_and(|d| !d.as_os_str().is_empty() && !d.is_dir());
    let why = match e.kind() {
        ErrorKind::NotFound if dir_missing => "its directory does not exist".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            let text = text.split(" at path ").next().unwrap_or(&text);
            let text = text.split(" (os error").next().unwrap_or(text);
            let mut c = text.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => "unknown error".to_string(),
            }
        }
    };
    format!("cannot write `{}`: {why}", path.display())
}

/// The built-in layout's SVG, or why it declines the diagram.
fn builtin_svg(d: &Diagram, fit: Fit) -> Result<Vec<u8>, String> {
    let opts = SvgOptions {
        fit,
        ..SvgOptions::default()
    };
    render::svg_with(d, &opts).map(String::into_bytes).map_err(|e| {
        format!(
            "this pipeline is too tangled for the built-in layout: its long flows need at least {} bends, \
             and the built-in layout draws up to {}; write DOT (--format dot) or Mermaid \
             (--format mermaid), or lay it out with Graphviz (--engine dot)",
            crate::numfmt::number(e.needed as f64),
            crate::numfmt::number(render::layout::MAX_VIRTUAL_NODES as f64)
        )
    })
}

/// Draws the diagram in the chosen format.
fn draw(d: &Diagram, format: RenderFormat, engine: Engine, fit: Fit) -> Result<Vec<u8>, String> {
    let graphviz_present = || graphviz::find_dot().is_some();
    let dot = || render::dot_with(d, render::direction_for(d, fit));
    Ok(match format {
        RenderFormat::Dot => dot().into_bytes(),
        RenderFormat::Mermaid => {
            render::mermaid_with(d, render::direction_for(d, fit)).into_bytes()
        }
        RenderFormat::Svg => match engine {
            Engine::Builtin => builtin_svg(d, fit)?,
            Engine::Auto if !graphviz_present() => builtin_svg(d, fit)?,
            Engine::Auto | Engine::Dot => with_graphviz(&dot(), graphviz::Output::Svg)?,
        },
        RenderFormat::Png => match engine {
            Engine::Builtin => {
                return Err(
                    "the built-in engine draws SVG, not PNG: use --format svg and convert it (e.g. rsvg-convert arch.svg -o arch.png), or install graphviz for --engine dot".into(),
                );
            }
            Engine::Auto | Engine::Dot => with_graphviz(&dot(), graphviz::Output::Png)?,
        },
    })
}

pub(super) fn run(
    args: RenderArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> CmdResult {
    let format = choose_format(&args)?;
    if let Some(o) = &args.output {
        crate::fsutil::not_an_input(o, &[&args.path])?;
    }
    if format == RenderFormat::Png && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err("PNG is binary; write it to a file with -o FILE or redirect the output".into());
    }
    let pack = load_pack(&args.pack)?;
    let opts = CheckOptions::new(today(&args.pack)?);
    let display = {
        let s = args.path.display().to_string();
        s.strip_prefix("./").map(str::to_string).unwrap_or(s)
    };
    let report = crate::check_file(&args.path, &display, &pack, &opts);
    let (arch, findings) = match &report.outcome {
        Outcome::Checked { arch, findings } => (arch, findings),
        Outcome::Failed { .. } => {
            let text = Human { color, quiet: true }.render(std::slice::from_ref(&report));
            let _ = err.write_all(text.as_bytes());
            return Err(format!(
                "`{display}` could not be loaded; nothing was drawn"
            ));
        }
    };
    let annotations = if args.cost {
        cost_annotations(arch, &pack)
    } else {
        Annotations::default()
    };
    let diagram = Diagram::build(arch, &pack, findings, opts.today, &annotations);
    let bytes = draw(&diagram, format, args.engine, args.fit)?;
    match &args.output {
        Some(path) => {
            crate::fsutil::write_atomic(path, &bytes).map_err(|e| write_failure(path, &e))?
        }
        None => {
            let _ = out.write_all(&bytes);
            emit(out, "");
        }
    }
    Ok(exit::OK)
}

/// Each priced service's monthly cost under its name, and the total under the
/// title; an estimated price is marked `*`, as `pipelint cost` marks it.
fn cost_annotations(arch: &crate::Architecture, pack: &crate::Pack) -> Annotations {
    let report = crate::cost::cost(arch, pack);
    let mut notes = Annotations::default();
    // The report lists the services in the architecture's order.
    for (ix, entry) in report.services.iter().enumerate() {
        if let Some(cents) = entry.monthly() {
            let star = if entry
                .items
                .iter()
                .any(|i| i.estimate && i.unit_price.is_some())
            {
                "*"
            } else {
                ""
            };
            notes.services.insert(
                ix,
                vec![match cents {
                    Money::TooLarge => "cost too large to price".to_string(),
                    _ => format!("{cents}{star} a month"),
                }],
            );
        }
    }
    match report.total() {
        Some(Money::TooLarge) => notes
            .summary
            .push("the monthly cost is too large to price".to_string()),
        Some(total) if report.region_priced => {
            let mut line = format!("{total} a month in {}", report.region);
            if report.has_estimates() {
                line.push_str(" (* includes estimated prices)");
            }
            notes.summary.push(line);
        }
        _ if !report.region_priced => notes
            .summary
            .push(format!("no prices for {}", report.region)),
        _ => notes.summary.push("no service could be priced".to_string()),
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension() {
        assert_eq!(format_of(Path::new("a.svg")), Some(RenderFormat::Svg));
        assert_eq!(format_of(Path::new("a.GV")), Some(RenderFormat::Dot));
        assert_eq!(format_of(Path::new("a.mmd")), Some(RenderFormat::Mermaid));
        assert_eq!(format_of(Path::new("a.png")), Some(RenderFormat::Png));
        assert_eq!(format_of(Path::new("a.txt")), None);
        assert_eq!(format_of(Path::new("a")), None);
    }
}
