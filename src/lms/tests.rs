//! The manifests of each standard, as an LMS reads them.

use super::*;
use crate::course::Course;
use crate::course::{check_course, CourseSlug, MemoryFiles, Urls};

fn course(extra: &str, assessments: usize) -> Course {
    let mut manifest = format!(
        "id = \"https://example.org/courses/x?a=1&b=2\"\ntitle = \"Sécurité <numérique> & IA\"\nlanguage = \"fr\"\n{extra}\n[[modules]]\ntitle = \"M\"\nlessons = [\"l.md\"]\n"
    );
    let mut files = MemoryFiles::default().with("l.md", "# Leçon\n\nTexte.\n");
    for n in 0..assessments {
        manifest.push_str(&format!("[[assessments]]\ntitle = \"A{n}\"\nfile = \"a{n}.gift\"\npass-mark = 0.6\n"));
        files = files.with(&format!("a{n}.gift"), "Vrai ? {T}\n");
    }
    let files = files.with("course.toml", &manifest);
    let slug = CourseSlug::parse("x").unwrap();
    check_course(&slug, &files, &Urls::player(&slug)).course.expect("the course builds")
}

#[test]
fn the_scorm_manifest_lists_every_file_and_escapes_the_course_texts() {
    let one = course("", 1);
    let xml = scorm12::manifest(&one, &["index.html".into(), "courses/x/l & m.md".into()]);
    assert!(xml.contains("<title>Sécurité &lt;numérique&gt; &amp; IA</title>"), "{xml}");
    assert!(xml.contains("<file href=\"index.html\"/>") && xml.contains("<file href=\"courses/x/l &amp; m.md\"/>"));
    assert!(xml.contains("<adlcp:masteryscore>60</adlcp:masteryscore>"), "one assessment: its pass mark");
    assert!(xml.contains("<manifest identifier=\"parcours-x\" version=\"1\""));
    for none_or_two in [course("", 0), course("", 2)] {
        assert!(!scorm12::manifest(&none_or_two, &[]).contains("masteryscore"));
    }
}

#[test]
fn the_cmi5_manifest_describes_one_au_with_the_course_rules() {
    let xml = cmi5::manifest(&course("move-on = \"Passed\"", 1));
    assert!(xml.contains("<course id=\"https://example.org/courses/x?a=1&amp;b=2\">"), "{xml}");
    assert!(xml.contains("<au id=\"https://example.org/courses/x?a=1&amp;b=2/au\" moveOn=\"Passed\" masteryScore=\"0.6\" launchMethod=\"AnyWindow\">"), "{xml}");
    assert!(xml.contains("<langstring lang=\"fr\">Sécurité &lt;numérique&gt; &amp; IA</langstring>"));
    assert!(xml.contains("<url>index.html</url>"));
}
