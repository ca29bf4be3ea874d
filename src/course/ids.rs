//! Identifiers, parsed once at the edge (manifest, route parameters) and then trusted.
//!
//! Ids are stable: they come from what the author controls (a folder name, a file name or an
//! explicit `id`), never from positions, so that reordering lessons keeps learners' progress
//! and xAPI activity ids.

use serde::Serialize;
use std::fmt;

/// Reads an id through its `parse`: an id read from a compiled course or from storage is checked
/// like one written by an author.
macro_rules! deserialize_by_parse {
    ($name:ident) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
                $name::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use deserialize_by_parse;

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("`{0}` has a character that is not allowed (use ASCII letters without accents, digits, `-` and `_`)")]
    BadCharacter(String),
    #[error("`{0}` is not an absolute IRI (write something like `https://example.org/courses/my-course`)")]
    NotAnIri(String),
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

pub(crate) fn parse_name(raw: &str) -> Result<String, IdError> {
    if raw.is_empty() {
        Err(IdError::Empty)
    } else if !raw.chars().all(is_name_char) {
        Err(IdError::BadCharacter(raw.to_owned()))
    } else {
        Ok(raw.to_owned())
    }
}

macro_rules! name_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Accepts letters, digits, `-` and `_` (safe in URLs, file names and IRIs).
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                parse_name(raw).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        deserialize_by_parse!($name);

        /// The same as `parse`: lets the router read it from an address.
        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(raw: &str) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }
    };
}

name_id!(
    /// The name of a course's folder under `courses/`, used in the player's URLs.
    CourseSlug
);
name_id!(
    /// A lesson's stable id: its explicit `id`, or its file name without `.md`.
    LessonId
);
name_id!(
    /// An assessment's stable id: its explicit `id`, or its file name without extension.
    AssessmentId
);
name_id!(
    /// A module's stable id: its explicit `id`, or a slug of its title.
    ModuleId
);
name_id!(
    /// A video's or a sound's id within its lesson: its explicit `id`, or a slug of its file name.
    MediaId
);

/// A course's global id: an absolute IRI, which becomes its xAPI activity id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CourseId(String);

deserialize_by_parse!(CourseId);

impl CourseId {
    /// Accepts an absolute IRI: a scheme (`https:`, `urn:`, `tag:` …) then a non-empty rest, no spaces.
    pub fn parse(raw: &str) -> Result<CourseId, IdError> {
        let well_formed = raw.split_once(':').is_some_and(|(scheme, rest)| {
            let mut scheme_chars = scheme.chars();
            scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme_chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && rest != "//"
        }) && !raw.chars().any(char::is_whitespace);
        if raw.is_empty() {
            Err(IdError::Empty)
        } else if well_formed {
            Ok(CourseId(raw.to_owned()))
        } else {
            Err(IdError::NotAnIri(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CourseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A slug of free text for ids derived from titles: lowercase ASCII letters and digits joined by `-`.
/// Accented letters lose their accent (`Découvrir` → `decouvrir`), so French titles give readable ids.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'Î' | 'Ï' | 'Í' => "i",
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' | 'Ó' => "o",
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => "u",
        'ÿ' | 'Ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        _ => "",
    };
    let single = folded.is_empty().then_some(c);
    single.into_iter().chain(folded.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_accept_safe_characters_only() {
        assert_eq!(LessonId::parse("01-intro_x").unwrap().as_str(), "01-intro_x");
        assert_eq!(LessonId::parse(""), Err(IdError::Empty));
        assert_eq!(
            LessonId::parse("a b").unwrap_err().to_string(),
            "`a b` has a character that is not allowed (use ASCII letters without accents, digits, `-` and `_`)"
        );
        assert!(CourseSlug::parse("../etc").is_err());
    }

    #[test]
    fn course_ids_are_absolute_iris() {
        assert!(CourseId::parse("https://parcours.example.org/courses/demo").is_ok());
        assert!(CourseId::parse("urn:parcours:demo").is_ok());
        assert!(CourseId::parse("demo").is_err());
        assert!(CourseId::parse("https://").is_err());
        assert!(CourseId::parse("https://a b").is_err());
        assert!(CourseId::parse("1http://x").is_err());
    }

    #[test]
    fn slugs_fold_french_accents() {
        assert_eq!(slugify("Découvrir les IA génératives !"), "decouvrir-les-ia-generatives");
        assert_eq!(slugify("  Œuvre & ça  "), "oeuvre-ca");
        assert_eq!(slugify("???"), "");
    }
}
