//! `pipelint explain`, `rules` and `services`: the documentation and the
//! catalog, read from the registry and the pack.

use std::io::Write;

use super::{CmdResult, PackArgs, emit, exit, load_pack, today};
use crate::pack::normalize;
use crate::report::ListFormat;
use crate::rules::{self, RULES};
use crate::suggest::did_you_mean;

pub(super) fn explain(rule: &str, out: &mut dyn Write) -> CmdResult {
    let Some(r) = rules::find(rule) else {
        let hint = did_you_mean(rule, rules::names().iter().map(|(_, n)| *n))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "`{rule}` is not a rule{hint}; `pipelint rules` lists them"
        ));
    };
    let m = r.meta();
    emit(
        out,
        &format!(
            "# {} ({})\n\nDefault severity: {}. {}.\n\n{}\n",
            m.name,
            m.code,
            m.severity.as_str(),
            capitalize(m.summary),
            m.doc
        ),
    );
    Ok(exit::OK)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The rules table as Markdown, as the README shows it.
pub fn rules_markdown() -> String {
    let mut s = String::from("| code | name | severity | summary |\n|---|---|---|---|\n");
    for r in RULES {
        let m = r.meta();
        s.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.summary
        ));
    }
    s
}

pub(super) fn rules(format: ListFormat, out: &mut dyn Write) -> CmdResult {
    let text = match format {
        ListFormat::Markdown => rules_markdown(),
        ListFormat::Json => {
            let items: Vec<_> = RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"code": m.code, "name": m.name, "severity": m.severity.as_str(), "summary": m.summary})
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            )
        }
        ListFormat::Table => {
            let width = RULES.iter().map(|r| r.meta().name.len()).max().unwrap_or(4);
            let mut s = format!(
                "{:<6} {:<width$} {:<8} {}\n",
                "CODE", "NAME", "SEVERITY", "SUMMARY"
            );
            for r in RULES {
                let m = r.meta();
                s.push_str(&format!(
                    "{:<6} {:<width$} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.summary
                ));
            }
            s
        }
    };
    emit(out, &text);
    Ok(exit::OK)
}

pub(super) fn services(
    one: Option<&str>,
    format: ListFormat,
    args: &PackArgs,
    out: &mut dyn Write,
) -> CmdResult {
    let pack = load_pack(args)?;
    let today = today(args)?;
    match one {
        Some(name) => {
            let Some((kind, _)) = pack.resolve(name) else {
                let norm = normalize(name);
                let hint = did_you_mean(&norm, pack.names().map(|(n, _)| n))
                    .and_then(|n| pack.resolve(n))
                    .map(|(k, _)| format!(" (did you mean `{}`?)", pack.service(k).id))
                    .unwrap_or_default();
                return Err(format!("`{name}` is not in the catalog{hint}"));
            };
            emit(
                out,
                &crate::report::catalog::service_detail(&pack, kind, today, format),
            );
        }
        None => emit(
            out,
            &crate::report::catalog::service_list(&pack, today, format),
        ),
    }
    Ok(exit::OK)
}
