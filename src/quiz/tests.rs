use super::*;
use crate::course::gift::parse_gift;

fn question(text: &str) -> Question {
    let parse = parse_gift(text);
    assert!(parse.issues.is_empty(), "{:?}", parse.issues);
    parse.questions.into_iter().next().unwrap()
}

fn credit(question: &Question, response: Response) -> f64 {
    grade(question, &response).unwrap().credit.unwrap()
}

#[test]
fn true_false_with_both_feedbacks() {
    let q = question("Le soleil se lève à l'est. {T#Non, à l'est.#Exact.}");
    let right = grade(&q, &Response::TrueFalse(true)).unwrap();
    assert_eq!(
        (right.credit, right.correctness, right.feedback),
        (Some(1.0), Correctness::Correct, vec![Text::from("Exact.")])
    );
    let wrong = grade(&q, &Response::TrueFalse(false)).unwrap();
    assert_eq!(
        (wrong.credit, wrong.correctness, wrong.feedback),
        (Some(0.0), Correctness::Incorrect, vec![Text::from("Non, à l'est.")])
    );
}

#[test]
fn single_choice_gives_the_weight_of_the_chosen_answer() {
    let q = question("Q {=a#oui ~%50%b#presque ~c#non}");
    assert_eq!(credit(&q, Response::Choices(vec![0])), 1.0);
    let partly = grade(&q, &Response::Choices(vec![1])).unwrap();
    assert_eq!((partly.credit, partly.correctness), (Some(0.5), Correctness::PartiallyCorrect));
    assert_eq!(partly.feedback, ["presque"]);
    assert_eq!(credit(&q, Response::Choices(vec![2])), 0.0);
    assert_eq!(grade(&q, &Response::Choices(vec![0, 1])), Err(ResponseError::WrongKind));
    assert_eq!(grade(&q, &Response::Choices(vec![])), Err(ResponseError::Empty));
}

#[test]
fn multiple_choice_sums_weights_and_floors_at_zero() {
    let q = question("Q {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}");
    assert_eq!(credit(&q, Response::Choices(vec![1, 2])), 1.0);
    assert_eq!(credit(&q, Response::Choices(vec![1])), 0.5);
    assert_eq!(credit(&q, Response::Choices(vec![1, 2, 3])), 0.0);
    assert_eq!(credit(&q, Response::Choices(vec![0, 3])), 0.0);
    assert_eq!(credit(&q, Response::Choices(vec![1, 1])), 0.5, "a repeated index counts once");
}

#[test]
fn short_answers_are_trimmed_and_case_insensitive_with_partial_credit() {
    let q = question("Deux plus deux ? {=quatre =4 =%50%Quatre ans#Presque}");
    assert_eq!(credit(&q, Response::Text("  QUATRE ".into())), 1.0);
    assert_eq!(credit(&q, Response::Text("4".into())), 1.0);
    let partial = grade(&q, &Response::Text("quatre   ans".into())).unwrap();
    assert_eq!((partial.credit, partial.feedback), (Some(0.5), vec![Text::from("Presque")]));
    assert_eq!(credit(&q, Response::Text("cinq".into())), 0.0);
    assert_eq!(grade(&q, &Response::Text("   ".into())), Err(ResponseError::Empty));
    assert_eq!(right_answers(&q), ["quatre", "4"]);
    let long = "x".repeat(100_000);
    assert_eq!(credit(&q, Response::Text(long)), 0.0);
}

#[test]
fn numeric_tolerance_range_and_partial_answers_accept_decimal_commas() {
    let q = question("Pi ? {#3.1415:0.0005}");
    assert_eq!(credit(&q, Response::Number("3,1416".into())), 1.0);
    assert_eq!(credit(&q, Response::Number("3.14".into())), 0.0);
    let q = question("Entre 1 et 5 ? {#1..5}");
    assert_eq!(credit(&q, Response::Number("5".into())), 1.0);
    assert_eq!(credit(&q, Response::Number("5,01".into())), 0.0);
    let q = question("Grant ? {# =1822:0 #Oui =%50%1822:2 #Proche}");
    assert_eq!(credit(&q, Response::Number("1822".into())), 1.0);
    let close = grade(&q, &Response::Number("1 821".into())).unwrap();
    assert_eq!((close.credit, close.feedback), (Some(0.5), vec![Text::from("Proche")]));
    assert_eq!(grade(&q, &Response::Number("mille".into())), Err(ResponseError::NotANumber("mille".into())));
    assert_eq!(grade(&q, &Response::Number("".into())), Err(ResponseError::Empty));
}

#[test]
fn matching_is_scored_per_pair() {
    let q = question("Capitales { =Canada -> Ottawa =Italie -> Rome =Japon -> Tokyo = -> Berlin }");
    let Answers::Matching { pairs } = &q.answers else { panic!() };
    let offered: Vec<&str> = matching_answers(pairs).iter().map(|a| a.body.as_str()).collect();
    assert_eq!(offered, ["Ottawa", "Rome", "Tokyo", "Berlin"]);
    assert_eq!(matching_prompts(pairs).len(), 3);
    assert_eq!(credit(&q, Response::Matching(vec![Some(0), Some(1), Some(2)])), 1.0);
    assert!((credit(&q, Response::Matching(vec![Some(0), Some(3), None])) - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(grade(&q, &Response::Matching(vec![None, None, None])), Err(ResponseError::Empty));
    assert_eq!(grade(&q, &Response::Matching(vec![Some(0)])), Err(ResponseError::WrongKind));
}

#[test]
fn essays_are_ungraded_and_kinds_must_match() {
    let q = question("Parlez-nous de vous. {}");
    assert_eq!(grade(&q, &Response::Text("Bonjour".into())).unwrap().correctness, Correctness::Ungraded);
    assert_eq!(grade(&q, &Response::TrueFalse(true)), Err(ResponseError::WrongKind));
}

#[test]
fn attempts_are_scored_over_graded_questions() {
    let parse = parse_gift("A {T}\n\nB {=x ~y}\n\nEssai {}\n\nC {#2}");
    let responses =
        vec![Some(Response::TrueFalse(true)), Some(Response::Choices(vec![1])), Some(Response::Text("t".into())), None];
    let score = score_attempt(&parse.questions, &responses, 0.7);
    assert_eq!((score.raw, score.max), (1.0, 3.0));
    assert!(!score.passed);
    let all_right = vec![
        Some(Response::TrueFalse(true)),
        Some(Response::Choices(vec![0])),
        None,
        Some(Response::Number("2".into())),
    ];
    let score = score_attempt(&parse.questions, &all_right, 0.7);
    assert_eq!((score.raw, score.scaled, score.passed), (3.0, 1.0, true));
}

#[test]
fn learner_numbers() {
    assert_eq!(parse_learner_number("2,5"), Ok(2.5));
    assert_eq!(parse_learner_number(" -1\u{a0}000,5 "), Ok(-1000.5));
    assert_eq!(parse_learner_number("1e3"), Ok(1000.0));
    assert!(parse_learner_number("NaN").is_err());
    assert!(parse_learner_number("inf").is_err());
}

#[test]
fn shuffles_are_stable_per_seed_and_differ_between_attempts() {
    let first = shuffled_order(6, "final:q1:1");
    assert_eq!(first, shuffled_order(6, "final:q1:1"));
    let mut sorted = first.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [0, 1, 2, 3, 4, 5]);
    let attempts: Vec<Vec<usize>> = (1..=5).map(|n| shuffled_order(6, &format!("final:q1:{n}"))).collect();
    assert!(attempts.iter().any(|order| order != &first));
    assert_eq!(shuffled_order(0, "x"), Vec::<usize>::new());
    assert_eq!(shuffled_order(1, "x"), [0]);
}

/// Moodle's `qtype_shortanswer_question::compare_string_with_wildcard`, as its PHPUnit tests and
/// documentation describe it: `*` is any run of characters, `\*` an asterisk.
#[test]
fn short_answer_wildcards_match_as_in_moodle() {
    for (given, pattern, expected) in [
        ("frog", "frog", true),
        ("frog", "fro*", true),
        ("frog", "f*og", true),
        ("frog", "f*g", true),
        ("frog", "*g", true),
        ("frog", "f*", true),
        ("frog", "*", true),
        ("frog", "f**g", true),
        ("frog", "f*r*o*g", true),
        ("frog", "f\\*g", false),
        ("f*g", "f\\*g", true),
        ("frog", "t*", false),
        ("frog", "*t", false),
        ("", "*", true),
        ("colour", "colo*r", true),
        ("color", "colo*r", true),
        ("colouring", "colo*r", false),
        ("aa", "a*a", true),
        ("a", "a*a", false),
    ] {
        assert_eq!(matches_wildcard(given, pattern), expected, "{given:?} against {pattern:?}");
    }
}

#[test]
fn the_first_matching_answer_in_written_order_grades_as_in_moodle() {
    // Short answer: a catch-all written last gives its feedback only when nothing else matched.
    let question = self::question("Couleur ? {=colo*r =%0%*#Pensez à l'orthographe anglaise.}");
    let right = grade(&question, &Response::Text("Colour".into())).unwrap();
    assert_eq!((right.credit, right.feedback.len()), (Some(1.0), 0));
    let other = grade(&question, &Response::Text("bleu".into())).unwrap();
    assert_eq!((other.credit, other.feedback), (Some(0.0), vec![Text::from("Pensez à l'orthographe anglaise.")]));
    // Numeric: overlapping answers, the first written wins, whatever its weight.
    let question = self::question("Année ? {#=%50%1822:5 =1822:0}");
    assert_eq!(grade(&question, &Response::Number("1822".into())).unwrap().credit, Some(0.5));
}

#[test]
fn a_numeric_catch_all_gives_its_feedback_to_any_other_number() {
    let q = question("Combien ? {#6:2~#Non, relisez l'énoncé.}");
    assert_eq!(grade(&q, &Response::Number("7".into())).unwrap().feedback, Vec::<Text>::new());
    let other = grade(&q, &Response::Number("42".into())).unwrap();
    assert_eq!((other.credit, other.feedback), (Some(0.0), vec![Text::from("Non, relisez l'énoncé.")]));
    assert_eq!(right_answers(&q), ["6 ± 2"]);
}
