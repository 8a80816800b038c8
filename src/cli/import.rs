//! `pipelint import`: read a template, write an architecture file.

use std::io::Write;

use super::{CmdResult, ImportFrom, PackArgs, emit, exit, load_pack};
use crate::report::{Human, render_error};

pub(super) fn run(from: ImportFrom, out: &mut dyn Write, err: &mut dyn Write) -> CmdResult {
    let (args, format) = match from {
        ImportFrom::Cloudformation(a) => (a, crate::import::Format::CloudFormation),
        ImportFrom::Terraform(a) => (a, crate::import::Format::Terraform),
    };
    let pack = load_pack(&PackArgs {
        rules: args.rules.clone(),
        today: None,
    })?;
    if let Some(o) = &args.output {
        // The template, or the .tf files of a directory.
        let mut inputs = vec![args.path.clone()];
        if let Ok(rd) = std::fs::read_dir(&args.path) {
            inputs.extend(rd.filter_map(Result::ok).map(|e| e.path()));
        }
        let inputs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
        crate::fsutil::not_an_input(o, &inputs)?;
    }
    let display = args.path.display().to_string();
    let display = display.strip_prefix("./").unwrap_or(&display).to_string();
    let imported = match crate::import::import(&args.path, &display, format, &pack) {
        Ok(i) => i,
        Err(failure) => {
            let handler = Human::default().handler();
            let text = render_error(&handler, &display, failure.source.as_ref(), &failure.error);
            let _ = err.write_all(text.as_bytes());
            return Ok(exit::ERROR);
        }
    };
    let text = crate::import::to_toml(&imported, format.as_str());
    match &args.output {
        None => emit(out, &text),
        Some(path) => {
            crate::fsutil::write_atomic(path, text.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            let a = &imported.arch;
            let _ = writeln!(
                err,
                "pipelint: wrote {}: {} services, {} flows, {} unresolved",
                path.display(),
                a.services.len(),
                a.flows.len(),
                a.unresolved.len()
            );
        }
    }
    Ok(exit::OK)
}
