//! `parcours new <dir>`: a course that passes `check`, to start from.

use crate::course_folder::course_slug;
use std::path::{Path, PathBuf};

/// The command's options, as the command line gives them (`parcours new --help`).
#[derive(clap::Args)]
pub struct Args {
    /// The folder to create; its name becomes the course's address.
    pub dir: PathBuf,
    /// The course's title.
    #[arg(long)]
    pub title: Option<String>,
    /// The course's language: `fr` or `en`.
    #[arg(long, default_value = "fr")]
    pub language: String,
    /// Write the author's guide instead, "Writing a course for Parcours": the course format's documentation, as a course to preview.
    #[arg(long, conflicts_with = "title")]
    pub guide: bool,
}

const COURSE_TOML: &str = r#"# The course's manifest: see the "Writing a course for Parcours" course for every key.
# `id` names the course in learning records: an address you control, never changed once published.
id = "https://example.org/courses/{slug}"
title = "{title}"
language = "{language}"
description = """
{description}"""
duration-minutes = 15
version = "0.1.0"

[[modules]]
id = "module-1"
title = "{module}"
lessons = ["introduction.md", "practice.md"]

[[assessments]]
id = "evaluation"
title = "{assessment}"
file = "evaluation.gift"
pass-mark = 0.7
attempts = 2
"#;

const INTRODUCTION_FR: &str = "# Introduction

Bienvenue dans ce parcours. Une leçon est un fichier Markdown : des titres, des paragraphes,
des listes, des **mises en valeur**, des [liens](https://commonmark.org/help/) et des images.

> [!NOTE]
> Un encadré attire l'attention sur un point important.

Dans ce parcours, vous allez :

1. lire cette introduction ;
2. vous exercer dans la leçon suivante ;
3. passer l'évaluation finale.
";

const PRACTICE_FR: &str = "# S'exercer

Les questions d'entraînement s'écrivent en GIFT, le format de Moodle, dans un bloc `gift`.

```gift
::format:: Dans quel format les leçons sont-elles écrites ? {
  =Markdown # Oui : du texte simple, lisible tel quel.
  ~PDF # Non : un PDF ne se modifie pas facilement.
  ~Word # Non : un fichier Word ne se relit pas ligne à ligne.
}

::vrai-faux:: Une question d'entraînement compte dans la note finale. {F # Elle sert à s'exercer ; seule l'évaluation est notée.}
```
";

const EVALUATION_FR: &str = "// L'évaluation finale : une question par paragraphe.

::q1:: Quel format décrit les questions ? {
  =GIFT
  ~HTML
  ~CSV
}

::q2:: Les leçons d'un parcours sont des fichiers Markdown. {T}

::q3:: Combien de leçons compte ce parcours ? {#2}
";

const INTRODUCTION_EN: &str = "# Introduction

Welcome to this course. A lesson is a Markdown file: headings, paragraphs, lists,
**emphasis**, [links](https://commonmark.org/help/) and images.

> [!NOTE]
> A callout draws attention to an important point.

In this course you will:

1. read this introduction;
2. practise in the next lesson;
3. take the final assessment.
";

const PRACTICE_EN: &str = "# Practice

Practice questions are written in GIFT, Moodle's format, in a `gift` block.

```gift
::format:: In which format are lessons written? {
  =Markdown # Yes: plain text, readable as it is.
  ~PDF # No: a PDF is hard to edit.
  ~Word # No: a Word file cannot be reviewed line by line.
}

::true-false:: A practice question counts in the final score. {F # It is for practice; only the assessment is scored.}
```
";

const EVALUATION_EN: &str = "// The final assessment: one question per paragraph.

::q1:: Which format describes questions? {
  =GIFT
  ~HTML
  ~CSV
}

::q2:: The lessons of a course are Markdown files. {T}

::q3:: How many lessons does this course have? {#2}
";

/// Writes a new course in `dir` (which must not exist, or be empty).
/// A folder that does not exist yet, or is empty: `new` never writes over anything.
fn fresh_folder(dir: &Path) -> Result<(), String> {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(format!("`{}` already exists and is not empty: choose a new folder", dir.display()));
    }
    Ok(())
}

/// `parcours new --guide <dir>`: the author's guide course, as this binary carries it.
fn guide_course(dir: &Path) -> Result<(), String> {
    fresh_folder(dir)?;
    course_slug(dir)?;
    for (relative, contents) in crate::player::GUIDE_FILES {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    eprintln!("wrote the author's guide in {0}: read it with `parcours preview {0} --open`", dir.display());
    Ok(())
}

/// Writes a new course, or the author's guide (`--guide`).
pub fn run(Args { dir, title, language, guide }: &Args) -> Result<(), String> {
    if *guide {
        guide_course(dir)
    } else {
        new_course(dir, title.as_deref(), language)
    }
}

fn new_course(dir: &Path, title: Option<&str>, language: &str) -> Result<(), String> {
    fresh_folder(dir)?;
    let slug = course_slug(dir)?;
    let french = match language {
        "fr" => true,
        "en" => false,
        other => return Err(format!("language `{other}`: write `fr` or `en`")),
    };
    let default_title = if french { "Mon parcours" } else { "My course" };
    let title = title.unwrap_or(default_title).replace('\\', "\\\\").replace('"', "\\\"");
    let (description, module, assessment) = if french {
        ("Ce que l'apprenant saura faire à la fin, en une ou deux phrases.", "Premiers pas", "Évaluation finale")
    } else {
        ("What learners will be able to do at the end, in a sentence or two.", "First steps", "Final assessment")
    };
    let manifest = COURSE_TOML
        .replace("{slug}", slug.as_str())
        .replace("{title}", &title)
        .replace("{language}", language)
        .replace("{description}", description)
        .replace("{module}", module)
        .replace("{assessment}", assessment);
    let files = [
        ("course.toml", manifest.as_str()),
        ("introduction.md", if french { INTRODUCTION_FR } else { INTRODUCTION_EN }),
        ("practice.md", if french { PRACTICE_FR } else { PRACTICE_EN }),
        ("evaluation.gift", if french { EVALUATION_FR } else { EVALUATION_EN }),
    ];
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    for (name, contents) in files {
        let path = dir.join(name);
        std::fs::write(&path, contents).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    eprintln!("created {}: check it with `parcours check {0}`, preview it with `parcours preview {0}`", dir.display());
    Ok(())
}
