//! Building a course from its parsed manifest: each module, lesson and assessment in turn, with
//! every problem found on the way sorted into [`Findings`].

use super::manifest::{ManifestAssessment, ManifestLesson, ManifestModule};
use super::{
    build_lesson, build_quiz, ids, lesson_id, markdown, paths, read_text, Assessment, AssessmentId, Course,
    CourseFiles, CourseId, CourseSlug, Diagnostic, LessonBlock, LessonContext, LessonId, LineIndex, Location, Manifest,
    Module, ModuleId, MoveOn, Question, QuestionId, Urls, MANIFEST_FILE, RESERVED_LESSON_IDS,
};
use crate::safe_html::{is_language_tag, SafeHtml};
use std::collections::HashMap;
use std::ops::Range;

/// What building a course finds, in two kinds that the player treats differently.
#[derive(Debug, Default)]
pub(super) struct Findings {
    /// Problems of the course's structure (the manifest's keys and ids, files that cannot be
    /// read): an error here stops the course.
    pub structure: Vec<Diagnostic>,
    /// Problems shown in place (a broken link, a broken question): learners can follow the rest.
    pub in_place: Vec<Diagnostic>,
}

/// Builds the course a manifest describes, reading its lessons and assessments through `files`.
pub(super) fn build(
    slug: &CourseSlug,
    manifest: &Manifest,
    source: &str,
    files: &dyn CourseFiles,
    urls: &Urls,
) -> (Course, Findings) {
    // Lesson files are listed first so that links between lessons can be resolved.
    let lesson_ids: HashMap<String, LessonId> = manifest
        .modules
        .iter()
        .flat_map(|m| &m.lessons)
        .filter_map(|l| {
            lesson_id(l.get_ref()).ok().map(|id| (paths::normalize(&l.get_ref().file).unwrap_or_default(), id))
        })
        .collect();
    // Links between pages end as the player's addresses do (`.html` in an LMS package).
    let links_in_lessons = Urls::relative_to_lesson(slug).with_page_suffix(&urls.page_suffix);
    let links_in_assessments = Urls::relative_to_assessment(slug).with_page_suffix(&urls.page_suffix);
    let mut builder = CourseBuilder {
        source,
        context: LessonContext {
            language: manifest.language.get_ref(),
            files,
            urls: &links_in_lessons,
            lesson_ids: &lesson_ids,
        },
        links_in_assessments: &links_in_assessments,
        findings: Findings::default(),
        seen_modules: HashMap::new(),
        seen_lessons: HashMap::new(),
        seen_questions: HashMap::new(),
    };
    let id = builder.course_id_and_keys(manifest);
    let modules = manifest.modules.iter().filter_map(|entry| builder.module(entry)).collect();
    let assessments = builder.assessments(&manifest.assessments);
    let move_on =
        manifest.move_on.unwrap_or(if assessments.is_empty() { MoveOn::Completed } else { MoveOn::CompletedAndPassed });
    let course = Course {
        slug: slug.clone(),
        id,
        title: manifest.title.clone(),
        language: manifest.language.get_ref().clone(),
        description: manifest.description.trim().to_owned(),
        objectives: manifest.objectives.iter().map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect(),
        duration_minutes: manifest.duration_minutes.as_ref().map(|m| *m.get_ref()),
        version: manifest.version.clone(),
        modules,
        assessments,
        reveal_practice_answers: manifest.reveal_practice_answers,
        media_completion_threshold: *manifest.media_completion_threshold.get_ref(),
        urls: urls.clone(),
        move_on,
        satisfaction: manifest.satisfaction,
    };
    (course, builder.findings)
}

struct CourseBuilder<'a> {
    /// The manifest's text, to locate its problems.
    source: &'a str,
    /// What building a lesson needs; its links are relative to a lesson's page.
    context: LessonContext<'a>,
    /// The bases of links in a `.md` assessment, shown one level deeper than a lesson.
    links_in_assessments: &'a Urls,
    findings: Findings,
    /// Where each id was first seen: ids must be unique, as progress and statements are keyed by them.
    seen_modules: HashMap<ModuleId, usize>,
    seen_lessons: HashMap<LessonId, usize>,
    seen_questions: HashMap<QuestionId, String>,
}

impl CourseBuilder<'_> {
    /// An error at `span` of the manifest.
    fn here(&self, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::error(MANIFEST_FILE, message).at(self.source, span)
    }

    fn block(&mut self, diagnostic: Diagnostic) {
        self.findings.structure.push(diagnostic);
    }

    /// The line of the manifest an offset is on.
    fn line_of(&self, offset: usize) -> usize {
        Location::of_offset(self.source, offset).line
    }

    /// The course's id, and the checks of the manifest's own keys.
    fn course_id_and_keys(&mut self, manifest: &Manifest) -> CourseId {
        let id = CourseId::parse(manifest.id.get_ref()).unwrap_or_else(|error| {
            self.block(self.here(manifest.id.span(), error.to_string()));
            CourseId::parse("urn:parcours:invalid").expect("a valid IRI")
        });
        if !is_language_tag(manifest.language.get_ref()) {
            let message = format!("`{}` is not a language tag", manifest.language.get_ref());
            self.block(self.here(manifest.language.span(), message).hint("write `fr`, `en` or a tag like `fr-FR`"));
        }
        match &manifest.duration_minutes {
            Some(minutes) if *minutes.get_ref() == 0 => {
                self.block(self.here(minutes.span(), "the duration must be at least 1 minute".into()))
            }
            Some(_) => {}
            None => self.block(
                Diagnostic::warning(MANIFEST_FILE, "no `duration-minutes`: the player will estimate it from the text")
                    .hint("add `duration-minutes = 30`"),
            ),
        }
        if manifest.title.trim().is_empty() {
            self.block(Diagnostic::error(MANIFEST_FILE, "the course title is empty"));
        }
        let threshold = *manifest.media_completion_threshold.get_ref();
        if !(threshold > 0.0 && threshold <= 1.0) {
            let message = format!("the media completion threshold {threshold} is not above 0 and at most 1");
            self.block(
                self.here(manifest.media_completion_threshold.span(), message)
                    .hint("write a share, as in `0.9` for 90 %"),
            );
        }
        if manifest.modules.is_empty() {
            self.block(
                Diagnostic::error(MANIFEST_FILE, "the course has no module")
                    .hint("add [[modules]] with title = \"…\" and lessons = [\"intro.md\"]"),
            );
        }
        id
    }

    fn module(&mut self, entry: &ManifestModule) -> Option<Module> {
        let title_span = entry.title.span();
        let module_id = match &entry.id {
            Some(raw) => ModuleId::parse(raw.get_ref()).map_err(|e| self.here(raw.span(), e.to_string())),
            None => ModuleId::parse(&ids::slugify(entry.title.get_ref())).map_err(|_| {
                self.here(title_span.clone(), "this module title gives no id".into())
                    .hint("add `id = \"my-module\"` to the module")
            }),
        };
        let module_id = module_id.map_err(|d| self.block(d)).ok()?;
        if let Some(first) = self.seen_modules.insert(module_id.clone(), title_span.start) {
            let message = format!("module id `{module_id}` is used twice (first at line {})", self.line_of(first));
            self.block(self.here(title_span.clone(), message).hint("give one of the modules its own `id = \"…\"`"));
        }
        if entry.lessons.is_empty() {
            let message = format!("module `{module_id}` has no lesson");
            self.block(self.here(title_span, message).hint("list its lessons: lessons = [\"intro.md\"]"));
        }
        let lessons = entry.lessons.iter().filter_map(|lesson| self.lesson(lesson.get_ref(), lesson.span())).collect();
        Some(Module { id: module_id, title: entry.title.get_ref().clone(), lessons })
    }

    /// The lesson an entry of a module names (`span`: the entry in the manifest).
    fn lesson(&mut self, entry: &ManifestLesson, span: Range<usize>) -> Option<super::Lesson> {
        let Some(file) = paths::normalize(&entry.file).filter(|f| f.ends_with(".md")) else {
            let message = format!("`{}` is not a Markdown file inside the course folder", entry.file);
            self.block(
                self.here(span, message).hint("write a relative path ending in `.md`, like \"lessons/intro.md\""),
            );
            return None;
        };
        let id = match lesson_id(entry) {
            Ok(id) => id,
            Err(error) => {
                let message = format!("bad lesson id: {error}");
                // An accented file name (`présentation.md`) keeps its name with an id of its own.
                let stem = file.rsplit('/').next().unwrap_or(&file).trim_end_matches(".md");
                let suggested = match super::ids::slugify(stem) {
                    slug if slug.is_empty() => "my-lesson".to_owned(),
                    slug => slug,
                };
                let hint = format!("rename the file, or give it an id: {{ file = \"{file}\", id = \"{suggested}\" }}");
                self.block(self.here(span, message).hint(hint));
                return None;
            }
        };
        if RESERVED_LESSON_IDS.contains(&id.as_str()) {
            let message = format!("`{id}` is reserved for the player's own pages");
            self.block(self.here(span, message).hint("set another id: { file = \"…\", id = \"my-lesson\" }"));
            return None;
        }
        if let Some(first) = self.seen_lessons.insert(id.clone(), span.start) {
            let message = format!("lesson id `{id}` is used twice (first at line {})", self.line_of(first));
            self.block(self.here(span, message).hint("each lesson needs its own file or its own `id`"));
            return None;
        }
        let text = self.read(&file, "lesson", span)?;
        let lesson = build_lesson(id, entry, &file, &text, &self.context, &mut self.findings.in_place);
        self.check_question_ids(lesson.questions(), &file, &text);
        Some(lesson)
    }

    /// A course file's text; a file that cannot be read stops the course, located at the
    /// manifest's entry (`span`) that names it.
    fn read(&mut self, file: &str, kind: &str, span: Range<usize>) -> Option<String> {
        match read_text(self.context.files, file) {
            Ok(text) => Some(text),
            Err(d) if d.location.is_none() => {
                let hint = d.hint.clone().unwrap_or_else(|| "create the file or fix the path".into());
                self.block(self.here(span, format!("{kind} file `{file}`: {}", d.message)).hint(hint));
                None
            }
            Err(d) => {
                self.block(*d);
                None
            }
        }
    }

    /// Question ids must be unique in a course: progress and xAPI statements are keyed by them.
    fn check_question_ids<'q>(&mut self, questions: impl Iterator<Item = &'q Question>, file: &str, text: &str) {
        for question in questions {
            let here = format!("{file}:{}", Location::of_offset(text, question.span.start).line);
            if let Some(first) = self.seen_questions.insert(question.id.clone(), here) {
                self.findings.in_place.push(
                    Diagnostic::error(file, format!("question id `{}` is used twice (first at {first})", question.id))
                        .at(text, question.span.clone())
                        .hint("give each question its own title, `::Title::`"),
                );
            }
        }
    }

    fn assessments(&mut self, entries: &[ManifestAssessment]) -> Vec<Assessment> {
        let mut assessments: Vec<Assessment> = Vec::new();
        for entry in entries {
            let Some((assessment, text)) = self.assessment(entry) else { continue };
            if assessments.iter().any(|a| a.id == assessment.id) {
                let span = entry.id.as_ref().map_or(entry.file.span(), |id| id.span());
                let message = format!("assessment id `{}` is used twice", assessment.id);
                self.block(self.here(span, message).hint("give each assessment its own `id`"));
                continue;
            }
            self.check_question_ids(assessment.questions(), &assessment.file, &text);
            assessments.push(assessment);
        }
        assessments
    }

    /// An assessment from a `.gift` file or a `.md` lesson whose gift blocks are the questions;
    /// the file's text comes back too, to locate later checks without reading it again.
    fn assessment(&mut self, entry: &ManifestAssessment) -> Option<(Assessment, String)> {
        let written = entry.file.get_ref();
        let Some(file) = paths::normalize(written).filter(|f| f.ends_with(".gift") || f.ends_with(".md")) else {
            let message = format!("`{written}` is not a .gift or .md file inside the course folder");
            self.block(self.here(entry.file.span(), message).hint("write a relative path like \"evaluation.gift\""));
            return None;
        };
        let stem = file.rsplit('/').next().unwrap_or_default();
        let stem = stem.rsplit_once('.').map_or(stem, |(name, _)| name);
        let id = match &entry.id {
            Some(id) => {
                AssessmentId::parse(id.get_ref()).map_err(|e| self.here(id.span(), format!("bad assessment id: {e}")))
            }
            None => AssessmentId::parse(stem).map_err(|e| {
                self.here(entry.file.span(), format!("bad assessment id: {e}")).hint("set `id = \"final\"`")
            }),
        };
        let id = id.map_err(|d| self.block(d)).ok()?;
        let pass_mark = *entry.pass_mark.get_ref();
        if !(0.0..=1.0).contains(&pass_mark) {
            let message = format!("the pass mark {pass_mark} is not between 0 and 1");
            self.block(
                self.here(entry.pass_mark.span(), message)
                    .hint("write the share of marks needed, like `pass-mark = 0.7` for 70 %"),
            );
        }
        if let Some(attempts) = entry.attempts.as_ref().filter(|a| *a.get_ref() == 0) {
            self.block(
                self.here(attempts.span(), "an assessment needs at least 1 attempt".into())
                    .hint("remove `attempts` for unlimited attempts"),
            );
        }
        // A week at most: beyond it, no learner would expect their attempt to be closed for them.
        if let Some(timeout) = entry.attempt_timeout.as_ref().filter(|t| !(1..=10_080).contains(t.get_ref())) {
            self.block(
                self.here(
                    timeout.span(),
                    format!("the attempt timeout {} is not between 1 and 10080 minutes", timeout.get_ref()),
                )
                .hint("write whole minutes, up to a week, like `attempt-timeout = 30`, or remove it"),
            );
        }
        let text = self.read(&file, "assessment", entry.file.span())?;
        let in_place = &mut self.findings.in_place;
        let (intro_html, items) = if file.ends_with(".gift") {
            let quiz = build_quiz(&markdown::QuizSource::whole(&text), &file, &LineIndex::new(&text), in_place);
            (SafeHtml::default(), quiz.items)
        } else {
            let lesson_entry = ManifestLesson { file: file.clone(), id: None, title: Some(entry.title.clone()) };
            let lesson_id = LessonId::parse(id.as_str()).ok()?;
            let context = LessonContext { urls: self.links_in_assessments, ..self.context };
            let lesson = build_lesson(lesson_id, &lesson_entry, &file, &text, &context, in_place);
            let items = lesson
                .body
                .iter()
                .flat_map(|block| match block {
                    LessonBlock::Quiz { quiz } => quiz.items.clone(),
                    LessonBlock::Html { .. } | LessonBlock::Media { .. } => Vec::new(),
                })
                .collect();
            (lesson.html(), items)
        };
        let assessment = Assessment {
            id,
            title: entry.title.clone(),
            file,
            pass_mark,
            attempts: entry.attempts.as_ref().map(|a| *a.get_ref()),
            shuffle: entry.shuffle,
            reveal_answers: entry.reveal_answers,
            attempt_timeout_minutes: entry.attempt_timeout.as_ref().map(|t| *t.get_ref()),
            intro_html,
            items,
        };
        if assessment.graded_questions().next().is_none() {
            self.findings.in_place.push(
                Diagnostic::error(&assessment.file, "the assessment has no graded question")
                    .hint("add questions with answers to grade (not only essays or descriptions)"),
            );
        }
        Some((assessment, text))
    }
}
