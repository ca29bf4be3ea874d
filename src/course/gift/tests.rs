//! The constructs of Moodle's `question/format/gift/examples.txt` and of its documentation,
//! plus every error the parser reports.

use super::*;

fn one(text: &str) -> Question {
    let parse = parse_gift(text);
    assert_eq!(parse.issues, vec![], "issues in {text}");
    assert_eq!(parse.questions.len(), 1, "{text}");
    parse.questions.into_iter().next().unwrap()
}

fn only_error(text: &str) -> GiftIssue {
    let parse = parse_gift(text);
    assert_eq!(parse.issues.len(), 1, "{:?}", parse.issues);
    parse.issues.into_iter().next().unwrap()
}

fn answer(text: &str, weight: f64, feedback: Option<&str>) -> WeightedAnswer {
    WeightedAnswer { text: text.into(), weight, feedback: feedback.map(Into::into) }
}

const EXAMPLES: &str = "// true/false
::Q1:: 1+1=2 {T}

// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }

// fill-in-the-blank
::Q3:: Two plus {=two =2} equals four.

// matching
::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food =cow -> grass }

// math range question
::Q5:: What is a number from 1 to 5? {#3:2}

// math range specified with interval end points
::Q6:: What is a number from 1 to 5? {#1..5}

// multiple numeric answers with partial credit and feedback
::Q7:: When was Ulysses S. Grant born? {#
         =1822:0      # Correct! Full credit.
         =%50%1822:2  # He was born in 1822. Half credit for being close.
}

// essay
::Q8:: How are you? {}
";

#[test]
fn moodle_examples_parse_into_every_type() {
    let parse = parse_gift(EXAMPLES);
    assert_eq!(parse.issues, vec![]);
    let types: Vec<&str> = parse.questions.iter().map(|q| q.answers.type_name()).collect();
    assert_eq!(types, ["true-false", "choice", "short-answer", "matching", "numeric", "numeric", "numeric", "essay"]);
    let ids: Vec<&str> = parse.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]);

    let q = &parse.questions;
    assert_eq!(q[0].stem, "1+1=2");
    assert_eq!(
        q[0].answers,
        Answers::TrueFalse { correct: true, feedback_when_wrong: None, feedback_when_right: None }
    );
    assert_eq!(q[1].title.as_deref(), Some("Q2"));
    assert_eq!(
        q[1].answers,
        Answers::Choice {
            multiple: false,
            choices: vec![
                answer("yellow", 1.0, Some("right; good!")),
                answer("red", 0.0, Some("wrong, it's yellow")),
                answer("blue", 0.0, Some("wrong, it's yellow")),
            ]
        }
    );
    assert_eq!(q[2].stem, "Two plus");
    assert_eq!(q[2].after_gap.as_ref().map(ToString::to_string).as_deref(), Some("equals four."));
    assert_eq!(q[2].answers, Answers::ShortAnswer { answers: vec![answer("two", 1.0, None), answer("2", 1.0, None)] });
    let Answers::Matching { pairs } = &q[3].answers else { panic!() };
    assert_eq!(pairs[1], MatchPair { prompt: "dog".into(), answer: "dog food".into() });
    assert_eq!(
        q[4].answers,
        Answers::Numeric {
            answers: vec![NumericAnswer {
                value: NumericValue::Exact { value: 3.0, tolerance: 2.0 },
                weight: 1.0,
                feedback: None
            }]
        }
    );
    assert_eq!(
        q[5].answers,
        Answers::Numeric {
            answers: vec![NumericAnswer {
                value: NumericValue::Range { min: 1.0, max: 5.0 },
                weight: 1.0,
                feedback: None
            }]
        }
    );
    assert_eq!(
        q[6].answers,
        Answers::Numeric {
            answers: vec![
                NumericAnswer {
                    value: NumericValue::Exact { value: 1822.0, tolerance: 0.0 },
                    weight: 1.0,
                    feedback: Some("Correct! Full credit.".into())
                },
                NumericAnswer {
                    value: NumericValue::Exact { value: 1822.0, tolerance: 2.0 },
                    weight: 0.5,
                    feedback: Some("He was born in 1822. Half credit for being close.".into())
                },
            ]
        }
    );
    assert_eq!(q[7].answers, Answers::Essay);
}

#[test]
fn documentation_constructs() {
    let q = one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}");
    assert!(q.title.is_none() && q.id.as_str().starts_with("q-"));
    assert!(matches!(q.answers, Answers::Choice { multiple: false, .. }));

    let q = one("Grant is {~buried =entombed ~living} in Grant's tomb.");
    assert_eq!(
        (q.stem.to_string().as_str(), q.after_gap.as_ref().map(ToString::to_string).as_deref()),
        ("Grant is", Some("in Grant's tomb."))
    );

    let q = one("What two people are entombed in Grant's tomb? {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}");
    let Answers::Choice { multiple: true, choices } = q.answers else { panic!("{:?}", q.answers) };
    assert_eq!(choices.iter().map(|c| c.weight).collect::<Vec<_>>(), [-1.0, 0.5, 0.5, -1.0]);

    let q = one("The sun rises in the east.{TRUE#No, it does.#Yes.}");
    assert_eq!(
        q.answers,
        Answers::TrueFalse {
            correct: true,
            feedback_when_wrong: Some("No, it does.".into()),
            feedback_when_right: Some("Yes.".into())
        }
    );
    assert!(matches!(one("Paris is in Italy. {F}").answers, Answers::TrueFalse { correct: false, .. }));
    assert!(matches!(one("Paris is in Italy. {FALSE}").answers, Answers::TrueFalse { correct: false, .. }));

    let q = one("Match the countries with their capitals. { =Canada -> Ottawa =Italy  -> Rome =Japan  -> Tokyo =India  -> New Delhi ####It's good to know the capitals }");
    assert_eq!(q.general_feedback.as_ref().map(ToString::to_string).as_deref(), Some("It's good to know the capitals"));
    let Answers::Matching { pairs } = q.answers else { panic!() };
    assert_eq!(pairs.len(), 4);

    let q = one("You can use your pencil and paper for this next question. Welcome!");
    assert_eq!(q.answers, Answers::Description);
}

#[test]
fn titles_formats_categories_comments_and_escapes() {
    let parse = parse_gift(
        "$CATEGORY: $course$/IA/Bases\n\n// a comment\n::Titre \\: sous-titre::[markdown] Que vaut **2 \\= 1 + 1** \\{vrai\\} ? {T}\n\n$CATEGORY: Autre\n[plain]A \\# b\\nc {=x}",
    );
    assert_eq!(parse.issues, vec![]);
    let q = &parse.questions[0];
    assert_eq!(q.title.as_deref(), Some("Titre : sous-titre"));
    assert_eq!(q.id.as_str(), "titre-sous-titre");
    assert_eq!(q.format, TextFormat::Markdown);
    assert_eq!(q.stem, "[markdown]Que vaut **2 = 1 + 1** {vrai} ?");
    assert_eq!(q.category.as_deref(), Some("$course$/IA/Bases"));
    let q = &parse.questions[1];
    assert_eq!(q.format, TextFormat::Plain);
    assert_eq!(q.stem, "[plain]A # b\nc");
    assert_eq!(q.category.as_deref(), Some("Autre"));
}

#[test]
fn ids_from_text_survive_edits_of_other_questions() {
    let before = parse_gift("Question A {T}\n\nQuestion B {F}");
    let after = parse_gift("Question A, revised {T}\n\nQuestion   B {F}");
    assert_ne!(before.questions[0].id, after.questions[0].id);
    assert_eq!(before.questions[1].id, after.questions[1].id);
}

#[test]
fn multi_line_questions_and_spans() {
    let text = "// c\n::Q:: Pick\n{\n  =a\n  ~b\n}\n\nNext {T}\n";
    let parse = parse_gift(text);
    assert_eq!(parse.questions.len(), 2);
    assert_eq!(&text[parse.questions[0].span.clone()], "::Q:: Pick\n{\n  =a\n  ~b\n}");
    assert_eq!(&text[parse.questions[1].span.clone()], "Next {T}");
}

#[test]
fn errors_are_located_with_hints() {
    let text = "Good {T}\n\nBroken { =a ~b\n";
    let issue = only_error(text);
    assert_eq!(issue.message, "unbalanced braces: this `{` is never closed");
    assert_eq!(&text[issue.span.clone()], "{");
    assert_eq!(issue.span.start, 17);
    assert!(issue.hint.unwrap().contains("`\\{`"));

    let text = "Weights {~%150%a ~%50%b}";
    let issue = only_error(text);
    assert_eq!(issue.message, "`%150%` is not a weight");
    assert_eq!(&text[issue.span], "%150%");

    let text = "How many? {#trois}";
    let issue = only_error(text);
    assert_eq!(issue.message, "`trois` is not a number");
    assert_eq!(&text[issue.span], "trois");

    assert_eq!(only_error("A gap {} here.").message, "an empty answer block in the middle of a sentence");
    assert_eq!(only_error("No right {~a ~b}").message, "a choice question with no right answer");
    assert_eq!(only_error("Stray } brace").message, "`}` without an opening `{`");
    assert_eq!(only_error("Two {T} blocks {F}").message, "a question has only one answer block");
    assert_eq!(only_error("::Unclosed title {T}").message, "the question title is not closed");
    assert_eq!(only_error("{T}").message, "the question has no text");
    assert_eq!(only_error("Odd {maybe}").message, "`maybe` is not an answer block");
    assert_eq!(only_error("Range {#5..1}").message, "the range 5..1 is empty");
    assert_eq!(only_error("Pairs {=a -> b =c}").message, "a matching pair needs `->`");
}

#[test]
fn warnings_for_weak_questions() {
    let parse = parse_gift("Pairs {=a -> 1 =b -> 2}\n\nWeights {~%30%a ~%30%b ~c}");
    assert_eq!(parse.questions.len(), 2);
    let messages: Vec<&str> = parse.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(
        messages,
        ["a matching question with fewer than 3 pairs", "the weights add up to 60 %: no answer set gets full credit"]
    );
    assert!(parse.issues.iter().all(|i| i.severity == Severity::Warning));
}

#[test]
fn one_broken_question_does_not_hide_the_others() {
    let parse = parse_gift("First {T}\n\nBroken {#x}\n\nThird {F}");
    assert_eq!(parse.questions.len(), 2);
    assert_eq!(parse.issues.len(), 1);
}

#[test]
fn never_panics_on_any_prefix_of_tricky_text() {
    let text =
        "::Tïtre \\é:: Qüestion \\ {\n=réponse ~%5O%é #retour ####général} après\n\n{#1,5..é}\n\né{=a->b =ç->d}\\";
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        let parse = parse_gift(&text[..end]);
        for issue in parse.issues {
            assert!(text.is_char_boundary(issue.span.start) && issue.span.end <= end.max(issue.span.start + 1) + 1);
        }
    }
}

#[test]
fn texts_become_safe_html_in_every_format() {
    assert_eq!(
        Text::new(TextFormat::Markdown, "Un **mot** <b>x</b>").to_html("fr").as_str(),
        "Un <strong>mot</strong> &lt;b&gt;x&lt;/b&gt;"
    );
    assert_eq!(Text::new(TextFormat::Html, "<b>x</b>\ny").to_html("fr").as_str(), "<b>x</b>\ny");
    assert_eq!(Text::new(TextFormat::Plain, "<b>x</b>\ny").to_html("fr").as_str(), "&lt;b&gt;x&lt;/b&gt;<br>y");
    assert_eq!(Text::new(TextFormat::Moodle, "a & \"b\"").to_html("fr").as_str(), "a &amp; &quot;b&quot;");
    assert!(Text::new(TextFormat::Markdown, "[x](javascript:alert(1))").to_html("fr").as_str().find("href").is_none());
}

#[test]
fn a_markdown_text_keeps_no_heading_attribute() {
    let html = Text::new(TextFormat::Markdown, "## Titre {#t onclick=alert(1) style=color:red}\n\nQuestion ?")
        .to_html("fr")
        .into_inner_html();
    assert!(html.contains("<h2 id=\"t\">Titre</h2>"), "{html}");
    assert!(!html.contains("onclick") && !html.contains("style"), "{html}");
}

/// Moodle's importer (`format.php`, NUMERICAL): what follows the first `~` is the feedback of an
/// extra answer `*` at 0 % that any number matches, inline or on its own line.
#[test]
fn a_numeric_catch_all_is_a_zero_answer_that_any_number_matches() {
    for text in ["Combien ? {#6:2~#Non, relisez l'énoncé.}", "Combien ? {#\n=6:2\n~#Non, relisez l'énoncé.\n}"] {
        let parse = parse_gift(text);
        assert!(parse.issues.is_empty(), "{text}: {:?}", parse.issues);
        let Answers::Numeric { answers } = &parse.questions[0].answers else { panic!("{text}: not numeric") };
        assert_eq!(answers.len(), 2, "{text}");
        assert_eq!(
            (answers[0].value, answers[0].weight, answers[0].feedback.as_ref().map(ToString::to_string).as_deref()),
            (NumericValue::Exact { value: 6.0, tolerance: 2.0 }, 1.0, None)
        );
        assert_eq!((answers[1].value, answers[1].weight), (NumericValue::Any, 0.0));
        assert_eq!(answers[1].feedback.as_ref().map(ToString::to_string).as_deref(), Some("Non, relisez l'énoncé."));
    }
    let exported = "Grant ? {#\n=1822:0#Exact.\n=%50%1822:2#Presque.\n~#Ce n'est pas cela.\n}";
    let Answers::Numeric { answers } = &parse_gift(exported).questions[0].answers else { panic!("not numeric") };
    let feedbacks: Vec<_> = answers.iter().map(|a| a.feedback.as_ref().map(ToString::to_string)).collect();
    assert_eq!(feedbacks, [Some("Exact.".into()), Some("Presque.".into()), Some("Ce n'est pas cela.".into())]);
    assert_eq!(
        only_error("Combien ? {#6 ~5}").message,
        "a numeric question's `~` gives the feedback for any other number"
    );
}

/// Moodle's importer replaces only its own escapes (`\:` `\#` `\=` `\{` `\}` `\~` `\n`) and
/// keeps any other backslash as written: the question imports, with a warning here.
#[test]
fn an_unknown_escape_is_kept_as_written_with_a_warning() {
    let text = "Calculez 2 \\+ 2 \\q {=4}";
    let parse = parse_gift(text);
    assert_eq!(parse.questions[0].stem, "Calculez 2 \\+ 2 \\q");
    let messages: Vec<_> =
        parse.issues.iter().map(|i| (i.severity, i.message.as_str(), &text[i.span.clone()])).collect();
    assert_eq!(
        messages,
        [
            (Severity::Warning, "unknown escape `\\+`: kept as written, backslash included (as Moodle does)", "\\+"),
            (Severity::Warning, "unknown escape `\\q`: kept as written, backslash included (as Moodle does)", "\\q"),
        ]
    );
    // `\*` is an asterisk in a short answer (Moodle's wildcard escape): no warning.
    let parse = parse_gift("Symbole ? {=a\\*b}");
    assert!(parse.issues.is_empty(), "{:?}", parse.issues);
    let Answers::ShortAnswer { answers } = &parse.questions[0].answers else { panic!("short answer") };
    assert_eq!(answers[0].text, "a\\*b");
}

/// Moodle's exporter writes the ID number and tags in comments above the question, and its
/// importer reads them back (`[id:…]`, `[tag:…]`, `\]` for `]`).
#[test]
fn tags_and_id_numbers_in_comments_are_kept_and_the_id_number_is_the_stable_id() {
    let text = "// question: 1234  name: Capitale\n// [id:GEO-01]\n// [tag:géographie] [tag:europe] [tag:a\\]b]\n\
                ::Capitale:: Capitale de la France ? {=Paris}\n\n// [tag:seule]\n\nSans métadonnées ? {T}\n";
    let parse = parse_gift(text);
    assert!(parse.issues.is_empty(), "{:?}", parse.issues);
    let (first, second) = (&parse.questions[0], &parse.questions[1]);
    assert_eq!(first.idnumber.as_deref(), Some("GEO-01"));
    assert_eq!(first.id.as_str(), "geo-01", "the ID number, not the title, gives the id");
    assert_eq!(first.tags, ["géographie", "europe", "a]b"]);
    assert!(second.tags.is_empty() && second.idnumber.is_none(), "a comment apart (blank line) is no question's");
}

/// Moodle's importer keeps the first ID number it reads when a question has two (its own test
/// cases), and so does Parcours: the id learners' progress is kept under is the same in both.
#[test]
fn with_two_id_numbers_the_first_is_kept_as_moodle_keeps_it() {
    let parse = parse_gift("// [id:PREMIER]\n// [id:SECOND] [tag:t]\n::Q:: Vrai ? {T}\n");
    assert_eq!(parse.questions[0].idnumber.as_deref(), Some("PREMIER"));
    assert_eq!(parse.questions[0].id.as_str(), "premier");
}

/// Moodle's web editor exports `[html]` on the question and on every part; its importer reads a
/// format tag at the start of each part (answers, feedback, matching prompts, general feedback).
#[test]
fn html_and_per_part_formats_read_as_moodle_reads_them() {
    let exported = "::Azote::[html]<p>Symbole de l'<b>azote</b> ?</p>{\n\t=[plain]N#[html]<p>Oui, <i>N</i>.</p>\n\t=%0%*#[html]<p>Non<script>x()</script></p>\n\t####[markdown]**N**, comme *nitrogène*.\n}";
    let parse = parse_gift(exported);
    assert!(parse.issues.is_empty(), "{:?}", parse.issues);
    let question = &parse.questions[0];
    assert_eq!(question.format, TextFormat::Html);
    assert_eq!(question.stem.to_html("fr").as_str(), "Symbole de l&#39;<b>azote</b> ?");
    let Answers::ShortAnswer { answers } = &question.answers else { panic!("short answer") };
    assert_eq!(answers[0].text, "N", "`=[plain]N` is typed `N`, not `[plain]N`");
    let feedback = answers[0].feedback.as_ref().unwrap();
    assert_eq!(feedback.to_html("fr").as_str(), "Oui, <i>N</i>.");
    let catch_all = answers[1].feedback.as_ref().unwrap();
    assert_eq!(catch_all.to_html("fr").as_str(), "Non", "what is not allowed is dropped");
    let general = question.general_feedback.as_ref().unwrap();
    assert_eq!(general.to_html("fr").as_str(), "<strong>N</strong>, comme <em>nitrogène</em>.");

    // A plain question with an [html] answer, and a matching question with per-part formats.
    let parse = parse_gift("Gras ? {=[html]<b>Oui</b> ~[plain]<b>Non</b>}\n\nAssociez. {=[html]<i>H</i> -> hydrogène =[plain]<O> -> oxygène =C -> carbone}");
    let Answers::Choice { choices, .. } = &parse.questions[0].answers else { panic!("choice") };
    assert_eq!(choices[0].text.to_html("fr").as_str(), "<b>Oui</b>");
    assert_eq!(choices[1].text.to_html("fr").as_str(), "&lt;b&gt;Non&lt;/b&gt;");
    assert_eq!(choices[0].text.to_plain(), "Oui");
    let Answers::Matching { pairs } = &parse.questions[1].answers else { panic!("matching") };
    assert_eq!(pairs[0].prompt.to_html("fr").as_str(), "<i>H</i>");
    assert_eq!(pairs[1].prompt.to_html("fr").as_str(), "&lt;O&gt;");
}

/// A text's format is read once, from its own tag or its question's, and written back as GIFT
/// writes it: the JSON of `check --json` and of the compiled course says each text's format.
#[test]
fn a_text_keeps_its_format_from_the_parser_to_the_json_and_back() {
    let parse = parse_gift("::Q::[html]<p>Gras ?</p> {=[plain]<b>Oui</b>#<i>Bien</i> ~[markdown]**Non**}");
    let question = &parse.questions[0];
    assert_eq!(question.stem, Text::new(TextFormat::Html, "<p>Gras ?</p>"));
    let Answers::Choice { choices, .. } = &question.answers else { panic!("choice") };
    assert_eq!(choices[0].text, Text::new(TextFormat::Plain, "<b>Oui</b>"));
    assert_eq!(choices[0].feedback, Some(Text::new(TextFormat::Html, "<i>Bien</i>")), "untagged: the question's");
    assert_eq!(choices[1].text, Text::new(TextFormat::Markdown, "**Non**"));
    let json = serde_json::to_string(question).unwrap();
    assert!(json.contains(r#""stem":"[html]<p>Gras ?</p>""#), "{json}");
    assert!(json.contains(r#""text":"[plain]<b>Oui</b>""#), "{json}");
    let read: Question = crate::course::compiled::reader::read(&json).unwrap();
    assert_eq!(read.texts(), question.texts());
    // Moodle's default format has no tag, and an empty text none either.
    assert_eq!(serde_json::to_string(&Text::new(TextFormat::Moodle, "a")).unwrap(), r#""a""#);
    assert_eq!(serde_json::to_string(&Text::new(TextFormat::Html, "")).unwrap(), r#""""#);
}
