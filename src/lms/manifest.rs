//! The manifests of the LMS packages `parcours package` writes: SCORM 1.2's `imsmanifest.xml`
//! and cmi5's `cmi5.xml`. Pure: the course's texts are escaped here, where they cross into XML
//! that an LMS parses.

use crate::course::Course;

/// The standards an LMS package is written for (`parcours package`): each is its manifest; the
/// player finds at run time which one launched it (`ui::lms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// SCORM 1.2: `imsmanifest.xml`, one SCO; the player talks to the LMS's `window.API`.
    Scorm12,
    /// cmi5: `cmi5.xml`, one AU; the LMS launches the player with an xAPI endpoint and a token.
    Cmi5,
}

impl Standard {
    /// Its name, as LMSs write it.
    pub fn name(self) -> &'static str {
        match self {
            Standard::Scorm12 => "SCORM 1.2",
            Standard::Cmi5 => "cmi5",
        }
    }

    /// What ends a package's default file name (`<course>-scorm12.zip`).
    pub fn file_suffix(self) -> &'static str {
        match self {
            Standard::Scorm12 => "scorm12",
            Standard::Cmi5 => "cmi5",
        }
    }

    /// The manifest's path in a package.
    pub fn manifest_file(self) -> &'static str {
        match self {
            Standard::Scorm12 => "imsmanifest.xml",
            Standard::Cmi5 => "cmi5.xml",
        }
    }

    /// The manifest of a package of `course` holding `files`: its path in the package, and its text.
    pub fn manifest(self, course: &Course, files: &[String]) -> (&'static str, String) {
        let text = match self {
            Standard::Scorm12 => scorm12_manifest(course, files),
            Standard::Cmi5 => cmi5_manifest(course),
        };
        (self.manifest_file(), text)
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The SCORM 1.2 manifest (IMS Content Packaging 1.1.2 with the ADL extensions): one
/// organization, one item, one SCO resource listing every file of the package.
pub fn scorm12_manifest(course: &Course, files: &[String]) -> String {
    let title = xml_escape(&course.title);
    // With one assessment its pass mark is the LMS's mastery score; with several, the course's
    // own status (passed when every assessment is passed) is the only one that holds.
    let mastery = match course.assessments.as_slice() {
        [only] => format!("\n        <adlcp:masteryscore>{}</adlcp:masteryscore>", (only.pass_mark * 100.0).round()),
        _ => String::new(),
    };
    let file_list: String = files.iter().map(|f| format!("      <file href=\"{}\"/>\n", xml_escape(f))).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="parcours-{slug}" version="{version}"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="parcours">
    <organization identifier="parcours">
      <title>{title}</title>
      <item identifier="course" identifierref="player" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="player" type="webcontent" adlcp:scormtype="sco" href="index.html">
{file_list}    </resource>
  </resources>
</manifest>
"#,
        slug = course.slug,
        version = xml_escape(if course.version.is_empty() { "1" } else { &course.version }),
    )
}

/// The cmi5 course structure (cmi5 §13-14): the course and one AU, `index.html`, with the
/// course's `moveOn` and, for a course with one assessment, its pass mark as mastery score.
pub fn cmi5_manifest(course: &Course) -> String {
    let text = |value: &str| {
        format!("<langstring lang=\"{}\">{}</langstring>", xml_escape(&course.language), xml_escape(value))
    };
    let description = if course.description.is_empty() { course.title.as_str() } else { course.description.as_str() };
    let mastery = match course.assessments.as_slice() {
        [only] => format!(" masteryScore=\"{}\"", only.pass_mark),
        _ => String::new(),
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{course_id}">
    <title>{title}</title>
    <description>{description}</description>
  </course>
  <au id="{course_id}/au" moveOn="{move_on:?}"{mastery} launchMethod="AnyWindow">
    <title>{title}</title>
    <description>{description}</description>
    <url>index.html</url>
  </au>
</courseStructure>
"#,
        course_id = xml_escape(course.id.as_str()),
        title = text(&course.title),
        description = text(description),
        move_on = course.move_on,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let xml = scorm12_manifest(&one, &["index.html".into(), "courses/x/l & m.md".into()]);
        assert!(xml.contains("<title>Sécurité &lt;numérique&gt; &amp; IA</title>"), "{xml}");
        assert!(xml.contains("<file href=\"index.html\"/>") && xml.contains("<file href=\"courses/x/l &amp; m.md\"/>"));
        assert!(xml.contains("<adlcp:masteryscore>60</adlcp:masteryscore>"), "one assessment: its pass mark");
        assert!(xml.contains("<manifest identifier=\"parcours-x\" version=\"1\""));
        for none_or_two in [course("", 0), course("", 2)] {
            assert!(!scorm12_manifest(&none_or_two, &[]).contains("masteryscore"));
        }
    }

    #[test]
    fn the_cmi5_manifest_describes_one_au_with_the_course_rules() {
        let xml = cmi5_manifest(&course("move-on = \"Passed\"", 1));
        assert!(xml.contains("<course id=\"https://example.org/courses/x?a=1&amp;b=2\">"), "{xml}");
        assert!(xml.contains("<au id=\"https://example.org/courses/x?a=1&amp;b=2/au\" moveOn=\"Passed\" masteryScore=\"0.6\" launchMethod=\"AnyWindow\">"), "{xml}");
        assert!(xml.contains("<langstring lang=\"fr\">Sécurité &lt;numérique&gt; &amp; IA</langstring>"));
        assert!(xml.contains("<url>index.html</url>"));
    }
}
