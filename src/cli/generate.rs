//! `pipelint schema`, `completions` and `man`: files generated from the rule
//! pack and from the command-line definitions.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use super::{Cli, CmdResult, PackArgs, emit, exit, load_pack};

pub(super) fn schema(rules: Option<&Path>, out: &mut dyn Write) -> CmdResult {
    let pack = load_pack(&PackArgs {
        rules: rules.map(Path::to_path_buf),
        today: None,
    })?;
    emit(out, &crate::schema::architecture_schema_text(&pack));
    Ok(exit::OK)
}

pub(super) fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> CmdResult {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "pipelint", &mut buf);
    emit(out, &String::from_utf8_lossy(&buf));
    Ok(exit::OK)
}

pub(super) fn man(command: Option<&str>, out: &mut dyn Write) -> CmdResult {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match command {
        None => cmd,
        Some(name) => {
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = cmd.find_subcommand(name).cloned() else {
                return Err(format!(
                    "`{name}` is not a pipelint command; one of: {}",
                    names.join(", ")
                ));
            };
            // Built, a subcommand is displayed as `pipelint-check`: the page
            // is pipelint-check(1), as man(1) expects.
            sub
        }
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("pipelint {}", env!("CARGO_PKG_VERSION")))
        .manual("pipelint manual")
        .render(&mut buf)
        .map_err(|e| format!("cannot render the manual page: {e}"))?;
    emit(out, &String::from_utf8_lossy(&buf));
    Ok(exit::OK)
}
