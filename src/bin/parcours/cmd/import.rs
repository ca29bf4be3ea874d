//! `parcours import bank.xml -o course/quiz.gift`: a question bank exported from Moodle as Moodle
//! XML, written as GIFT that Parcours plays (`parcours::course::moodle_xml`). What GIFT cannot
//! carry is listed, question by question; `--strict` refuses the import instead.

use parcours::course::moodle_xml::{import_moodle_xml, MAX_BANK_BYTES};
use std::path::PathBuf;

/// The command's options, as the command line gives them (`parcours import --help`).
#[derive(clap::Args)]
pub struct Args {
    /// The Moodle XML file (in Moodle: Question bank › Export › Moodle XML format).
    pub bank: PathBuf,
    /// The GIFT file to write, in the course's folder (`mon-cours/evaluation.gift`).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Write nothing if anything of the bank cannot be carried into GIFT.
    #[arg(long)]
    pub strict: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(Args { bank, output, strict, force }: &Args) -> Result<(), String> {
    let shown = bank.display();
    let size = std::fs::metadata(bank).map_err(|e| format!("cannot read `{shown}`: {e}"))?.len();
    if size > MAX_BANK_BYTES {
        return Err(format!(
            "`{shown}` is {} MB; the largest bank read is {} MB: export the bank in parts (one category at a time)",
            size / 1_000_000,
            MAX_BANK_BYTES / 1_000_000
        ));
    }
    let bytes = std::fs::read(bank).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let xml = String::from_utf8(bytes)
        .map_err(|_| format!("`{shown}` is not UTF-8 text, which Moodle writes: is it a Moodle XML export?"))?;
    let imported = import_moodle_xml(&xml).map_err(|e| format!("`{shown}`: {e}"))?;
    for loss in &imported.losses {
        eprintln!("warning: {loss}");
    }
    if *strict && !imported.losses.is_empty() {
        return Err(format!(
            "nothing written (--strict): {} loss(es) listed above; without --strict the rest is imported",
            imported.losses.len()
        ));
    }
    if imported.written == 0 {
        return Err(format!("`{shown}` holds no question that GIFT can carry: nothing written"));
    }
    if output.exists() && !force {
        return Err(format!("`{}` exists: choose another name, or add --force to replace it", output.display()));
    }
    let name = bank.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let header = format!("// Imported from {} (Moodle XML) by `parcours import`.\n\n", name.replace(['\n', '\r'], " "));
    std::fs::write(output, header + &imported.gift).map_err(|e| format!("cannot write `{}`: {e}", output.display()))?;
    let skipped = imported.losses.iter().filter(|l| l.skipped).count();
    eprintln!(
        "wrote {} question(s) to `{}`{}; then run `parcours check` on the course",
        imported.written,
        output.display(),
        if skipped > 0 { format!(", {skipped} skipped (listed above)") } else { String::new() }
    );
    Ok(())
}
