//! `parcours reference`: the command line's reference (every command, option, environment
//! variable and exit code) in Markdown, written from the program's own definitions, so that
//! `docs/cli.md` can be compared with it (tests/cli.rs) and never drift.

use super::{Cli, ENVIRONMENT, EXIT_CODES};
use clap::CommandFactory;
use std::fmt::Write as _;

pub fn run() -> Result<(), String> {
    print!("{}", markdown());
    Ok(())
}

/// The reference, as `docs/cli.md` holds it.
pub fn markdown() -> String {
    let mut cli = Cli::command().bin_name("parcours");
    cli.build();
    let mut out = String::new();
    out.push_str("# The `parcours` command line\n\n");
    out.push_str("<!-- Written by `parcours reference > docs/cli.md`; tests/cli.rs fails when this file and the program differ. -->\n\n");
    let _ = writeln!(out, "{}\n", text(cli.get_about()));
    for command in cli.get_subcommands().filter(|c| !c.is_hide_set() && c.get_name() != "help") {
        let _ = writeln!(out, "## `parcours {}`\n", command.get_name());
        let about = command.get_long_about().or(command.get_about());
        let _ = writeln!(out, "{}\n", sentence(text(about)));
        let usage = command.clone().render_usage().to_string();
        let _ = writeln!(out, "```text\n{}\n```\n", usage.trim_start_matches("Usage: ").trim());
        let arguments: Vec<_> =
            command.get_arguments().filter(|a| !matches!(a.get_id().as_str(), "help" | "version")).collect();
        if arguments.is_empty() {
            continue;
        }
        out.push_str("| Argument | What it does |\n|---|---|\n");
        for argument in arguments {
            let name = match (argument.get_long(), argument.get_short()) {
                (Some(long), Some(short)) => format!("`-{short}`, `--{long}`"),
                (Some(long), None) => format!("`--{long}`"),
                (None, _) => format!("`<{}>`", argument.get_id().as_str().to_uppercase()),
            };
            let value = match argument.get_value_names() {
                Some(names) if argument.get_long().is_some() && argument.get_action().takes_values() => {
                    format!(" `{}`", names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(" "))
                }
                _ => String::new(),
            };
            let mut says = sentence(text(argument.get_help()));
            let default = argument.get_default_values().first().filter(|_| argument.get_action().takes_values());
            if let Some(default) = default {
                let _ = write!(says, " Default: `{}`.", default.to_string_lossy());
            }
            if let Some(variable) = argument.get_env() {
                let _ = write!(says, " Environment: `{}`.", variable.to_string_lossy());
            }
            if argument.is_required_set() {
                says.push_str(" Required.");
            }
            let _ = writeln!(out, "| {name}{value} | {} |", says.replace('|', "\\|"));
        }
        out.push('\n');
    }
    out.push_str("## Environment variables\n\n| Variable | Command | What it gives |\n|---|---|---|\n");
    let mut variables: Vec<(String, String, String)> = ENVIRONMENT
        .iter()
        .map(|(name, command, gives)| (name.to_string(), command.to_string(), gives.to_string()))
        .collect();
    for command in cli.get_subcommands() {
        for argument in command.get_arguments() {
            if let Some(variable) = argument.get_env() {
                let long = argument.get_long().unwrap_or_default();
                let gives = format!("`--{long}` when it is not given");
                variables.push((variable.to_string_lossy().into_owned(), command.get_name().to_owned(), gives));
            }
        }
    }
    variables.sort();
    for (name, command, gives) in variables {
        let _ = writeln!(out, "| `{name}` | `{command}` | {gives} |");
    }
    out.push_str("\n## Exit codes\n\n| Code | Meaning |\n|---|---|\n");
    for (code, meaning) in EXIT_CODES {
        let _ = writeln!(out, "| {code} | {meaning} |");
    }
    out
}

/// `text` ending with a full stop (clap drops the doc comment's last one).
fn sentence(text: String) -> String {
    if text.is_empty() || text.ends_with(['.', '!', '?']) {
        text
    } else {
        format!("{text}.")
    }
}

/// A help text on one line (clap keeps the doc comment's line breaks).
fn text(help: Option<&clap::builder::StyledStr>) -> String {
    help.map(|h| h.to_string().split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default()
}
