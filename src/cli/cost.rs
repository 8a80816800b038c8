//! `pipelint cost`: load a file, price it, print the table or JSON; or
//! compare two files.

use std::io::Write;
use std::path::Path;

use super::{CmdResult, CostArgs, CostFormat, emit, exit, load_pack};
use crate::cost::{CostReport, cost_in};
use crate::pack::Pack;
use crate::report::{self, FileReport, Human, Outcome};

fn display(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Loads and prices one file; a file that does not load is rendered as
/// `check` renders it and ends the command with exit 2.
fn price(
    path: &Path,
    pack: &Pack,
    region: Option<&str>,
    out: &mut dyn Write,
) -> Result<CostReport, u8> {
    let shown = display(path);
    let loaded = match crate::model::read_source(path, &shown) {
        Ok(source) => crate::load(source.clone(), pack).map_err(|errors| Outcome::Failed {
            source: Some(source),
            errors,
        }),
        Err(failure) => Err(Outcome::Failed {
            source: failure.source,
            errors: vec![failure.error],
        }),
    };
    match loaded {
        Ok(arch) => {
            let region = region.unwrap_or(arch.pricing_region()).to_string();
            Ok(cost_in(&arch, pack, &region))
        }
        Err(outcome) => {
            let text = Human {
                color: false,
                quiet: true,
            }
            .render(&[FileReport {
                path: shown,
                outcome,
            }]);
            emit(out, &text);
            Err(exit::ERROR)
        }
    }
}

pub(super) fn run(args: CostArgs, out: &mut dyn Write) -> CmdResult {
    let pack = load_pack(&args.pack)?;
    let region = args.region.as_deref();
    if let Some(pair) = &args.compare {
        let [old, new] = pair.as_slice() else {
            return Err("--compare takes two files: OLD NEW".into());
        };
        let a = match price(old, &pack, region, out) {
            Ok(r) => r,
            Err(code) => return Ok(code),
        };
        let b = match price(new, &pack, region, out) {
            Ok(r) => r,
            Err(code) => return Ok(code),
        };
        let (op, np) = (display(old), display(new));
        let text = match args.format {
            CostFormat::Table => report::cost::compare_table(&op, &a, &np, &b),
            CostFormat::Json => report::cost::compare_json(&op, &a, &np, &b),
        };
        emit(out, &text);
        return Ok(exit::OK);
    }
    let Some(path) = &args.path else {
        return Err("give a file to price, or --compare OLD NEW".into());
    };
    let r = match price(path, &pack, region, out) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let shown = display(path);
    let text = match args.format {
        CostFormat::Table => report::cost::cost_table(&shown, &r),
        CostFormat::Json => report::cost::cost_json(&shown, &r),
    };
    emit(out, &text);
    Ok(exit::OK)
}
