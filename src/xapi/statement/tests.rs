use super::*;
use crate::course::{AssessmentId, LessonId, MemoryFiles};
use crate::quiz::{grade, score_attempt};
use serde_json::{json, Value};

fn course() -> Course {
    let files = MemoryFiles::default()
        .with(
            "course.toml",
            "id = \"https://example.org/courses/x\"\ntitle = \"Cours X\"\nlanguage = \"fr\"\n\n[[modules]]\nid = \"m1\"\ntitle = \"Module 1\"\nlessons = [\"a.md\"]\n\n[[assessments]]\ntitle = \"Final\"\nfile = \"final.gift\"\n",
        )
        .with(
            "a.md",
            "# Leçon A\n\n```gift\n::TF:: Vrai ? {T}\n\n::Choix:: Lequel ? {=a ~b ~c}\n\n::Multi:: Lesquels ? {~%50%a ~%50%b ~%-100%c}\n\n::Court:: Deux ? {=deux =2 =%50%deu}\n\n::Nombre:: Pi ? {#3.14:0.01}\n\n::Intervalle:: Entre ? {#1..5}\n\n::Paires:: Associez. {=x -> 1 =y -> 2 =z -> 3 = -> 4}\n\n::Essai:: Avis ? {}\n```\n",
        )
        .with("final.gift", "::F1:: Oui ? {T}\n\n::F2:: Deux ? {#2}\n");
    crate::course::test_course("x", &files)
}

fn session(course: &Course) -> Session<'_> {
    Session {
        course,
        actor: Agent::account("https://parcours.example.org", "learner-1", Some("Camille".into())),
        registration: "6f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f".into(),
    }
}

fn stamp() -> Stamp {
    Stamp { id: "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3".into(), at_ms: 1_795_875_332_747.0 }
}

fn to_json(statement: &Statement) -> Value {
    let value = serde_json::to_value(statement).unwrap();
    assert_valid(&value);
    value
}

/// xAPI-Data §2.2: no empty value (object, array, string) anywhere but inside extensions.
fn assert_no_empty_values(value: &Value, path: &str) {
    match value {
        Value::Object(map) => {
            assert!(!map.is_empty(), "empty object at {path}");
            for (key, inner) in map {
                if key != "extensions" {
                    assert_no_empty_values(inner, &format!("{path}.{key}"));
                }
            }
        }
        Value::Array(items) => {
            assert!(!items.is_empty(), "empty array at {path}");
            items.iter().enumerate().for_each(|(i, inner)| assert_no_empty_values(inner, &format!("{path}[{i}]")));
        }
        Value::String(text) => assert!(!text.is_empty(), "empty string at {path}"),
        _ => {}
    }
}

/// The rules of xAPI-Data §2.4 that a lax LRS does not check, checked here for every statement.
fn assert_valid(statement: &Value) {
    assert_no_empty_values(statement, "statement");
    let uuid = statement["id"].as_str().unwrap();
    assert_eq!(uuid.len(), 36, "{uuid}");
    assert_eq!(uuid.matches('-').count(), 4);
    let timestamp = statement["timestamp"].as_str().unwrap();
    assert!(timestamp.ends_with('Z') && timestamp.len() == 24, "{timestamp}");
    let actor = &statement["actor"];
    let identifiers = ["mbox", "mbox_sha1sum", "openid", "account"].iter().filter(|k| !actor[**k].is_null()).count();
    assert_eq!(identifiers, 1, "exactly one identifier: {actor}");
    let verb = statement["verb"]["id"].as_str().unwrap();
    assert!(
        verb.starts_with("http://adlnet.gov/expapi/verbs/") || verb == "http://id.tincanapi.com/verb/rated",
        "ADL's verbs, and the registry's `rated`: {verb}"
    );
    assert!(statement["verb"]["display"]["en-US"].is_string());
    assert_eq!(statement["object"]["objectType"], "Activity");
    assert!(statement["object"]["id"].as_str().unwrap().starts_with("https://"));
    assert!(statement["context"]["registration"].is_string());
    if let Some(scaled) = statement["result"]["score"]["scaled"].as_f64() {
        assert!((-1.0..=1.0).contains(&scaled));
    }
    for list in ["parent", "grouping"] {
        if let Some(activities) = statement["context"]["contextActivities"][list].as_array() {
            assert!(!activities.is_empty(), "empty context lists are left out");
        }
    }
}

#[test]
fn initialized_names_the_course_and_the_registration() {
    let course = course();
    let statement = to_json(&session(&course).initialized(stamp()));
    assert_eq!(
        statement,
        json!({
            "id": "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3",
            "actor": {"objectType": "Agent", "name": "Camille", "account": {"homePage": "https://parcours.example.org", "name": "learner-1"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/initialized", "display": {"en-US": "initialized", "fr-FR": "a commencé"}},
            "object": {"objectType": "Activity", "id": "https://example.org/courses/x",
                       "definition": {"type": "http://adlnet.gov/expapi/activities/course", "name": {"fr": "Cours X"}}},
            "context": {"registration": "6f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f", "language": "fr", "platform": "Parcours"},
            "timestamp": "2026-11-28T14:15:32.747Z"
        })
    );
}

#[test]
fn experienced_has_the_module_as_parent_and_the_course_as_grouping() {
    let course = course();
    let lesson = course.lesson(&LessonId::parse("a").unwrap()).unwrap().1;
    let statement = to_json(&session(&course).experienced(stamp(), lesson));
    assert_eq!(statement["object"]["id"], "https://example.org/courses/x/lessons/a");
    assert_eq!(statement["object"]["definition"]["type"], "http://adlnet.gov/expapi/activities/lesson");
    assert_eq!(
        statement["context"]["contextActivities"]["parent"][0]["id"],
        "https://example.org/courses/x/modules/m1"
    );
    assert_eq!(statement["context"]["contextActivities"]["grouping"][0]["id"], "https://example.org/courses/x");
}

fn answered(course: &Course, question_id: &str, response: Response) -> Value {
    let lesson = course.lesson(&LessonId::parse("a").unwrap()).unwrap().1;
    let question = lesson.questions().find(|q| q.id.as_str() == question_id).unwrap();
    let graded = grade(question, &response).unwrap();
    let session = session(course);
    to_json(&session.answered(stamp(), question, session.lesson_activity(lesson), &response, &graded))
}

#[test]
fn answered_encodes_every_interaction_type() {
    let course = course();
    let tf = answered(&course, "tf", Response::TrueFalse(true));
    assert_eq!(tf["object"]["id"], "https://example.org/courses/x/questions/tf");
    assert_eq!(tf["object"]["definition"]["type"], "http://adlnet.gov/expapi/activities/cmi.interaction");
    assert_eq!(tf["object"]["definition"]["interactionType"], "true-false");
    assert_eq!(tf["object"]["definition"]["correctResponsesPattern"], json!(["true"]));
    assert_eq!(
        tf["result"],
        json!({"score": {"scaled": 1.0, "raw": 1.0, "min": 0.0, "max": 1.0}, "success": true, "response": "true"})
    );
    assert_eq!(tf["context"]["contextActivities"]["parent"][0]["id"], "https://example.org/courses/x/lessons/a");

    let choice = answered(&course, "choix", Response::Choices(vec![1]));
    assert_eq!(choice["object"]["definition"]["choices"][1], json!({"id": "choice-1", "description": {"fr": "b"}}));
    assert_eq!(choice["object"]["definition"]["correctResponsesPattern"], json!(["choice-0"]));
    assert_eq!(
        (choice["result"]["response"].as_str(), choice["result"]["success"].as_bool()),
        (Some("choice-1"), Some(false))
    );

    let multi = answered(&course, "multi", Response::Choices(vec![0, 1]));
    assert_eq!(multi["object"]["definition"]["correctResponsesPattern"], json!(["choice-0[,]choice-1"]));
    assert_eq!(multi["result"]["response"], "choice-0[,]choice-1");

    let short = answered(&course, "court", Response::Text(" Deu ".into()));
    assert_eq!(short["object"]["definition"]["interactionType"], "fill-in");
    assert_eq!(
        short["object"]["definition"]["correctResponsesPattern"],
        json!(["{case_matters=false}deux", "{case_matters=false}2"])
    );
    assert_eq!(
        (short["result"]["response"].as_str(), short["result"]["score"]["scaled"].as_f64()),
        (Some("Deu"), Some(0.5))
    );

    let pi = answered(&course, "nombre", Response::Number("3,141".into()));
    assert_eq!(pi["object"]["definition"]["correctResponsesPattern"], json!(["3.13[:]3.15"]));
    assert_eq!(pi["result"]["response"], "3.141");
    let range = answered(&course, "intervalle", Response::Number("2".into()));
    assert_eq!(range["object"]["definition"]["correctResponsesPattern"], json!(["1[:]5"]));

    let pairs = answered(&course, "paires", Response::Matching(vec![Some(0), Some(1), Some(3)]));
    assert_eq!(pairs["object"]["definition"]["interactionType"], "matching");
    assert_eq!(pairs["object"]["definition"]["source"].as_array().unwrap().len(), 3);
    assert_eq!(pairs["object"]["definition"]["target"].as_array().unwrap().len(), 4);
    assert_eq!(
        pairs["object"]["definition"]["correctResponsesPattern"],
        json!(["source-0[.]target-0[,]source-1[.]target-1[,]source-2[.]target-2"])
    );
    assert_eq!(pairs["result"]["response"], "source-0[.]target-0[,]source-1[.]target-1[,]source-2[.]target-3");

    let essay = answered(&course, "essai", Response::Text("Très bien.".into()));
    assert_eq!(essay["object"]["definition"]["interactionType"], "long-fill-in");
    assert!(essay["object"]["definition"]["correctResponsesPattern"].is_null());
    assert_eq!(essay["result"], json!({"response": "Très bien."}), "an essay has no score or success");
}

#[test]
fn progressed_completed_assessed_and_terminated() {
    let course = course();
    let session = session(&course);
    let progressed = to_json(&session.progressed(stamp(), 50));
    assert_eq!(progressed["result"]["extensions"][PROGRESS_EXTENSION], 50);

    let completed = to_json(&session.completed(stamp(), 3_875_149));
    assert_eq!(completed["result"], json!({"completion": true, "duration": "PT1H4M35.14S"}));

    let assessment = course.assessment(&AssessmentId::parse("final").unwrap()).unwrap();
    let questions: Vec<_> = assessment.questions().cloned().collect();
    let score = score_attempt(&questions, &[Some(Response::TrueFalse(true)), None], assessment.pass_mark);
    let failed = to_json(&session.assessed(stamp(), assessment, &score, 60_000));
    assert_eq!(failed["verb"]["id"], "http://adlnet.gov/expapi/verbs/failed");
    assert_eq!(failed["object"]["id"], "https://example.org/courses/x/assessments/final");
    assert_eq!(
        failed["result"],
        json!({"score": {"scaled": 0.5, "raw": 1.0, "min": 0.0, "max": 2.0}, "success": false, "duration": "PT1M0S"})
    );
    let score = score_attempt(
        &questions,
        &[Some(Response::TrueFalse(true)), Some(Response::Number("2".into()))],
        assessment.pass_mark,
    );
    let passed = to_json(&session.assessed(stamp(), assessment, &score, 60_000));
    assert_eq!(
        (passed["verb"]["id"].as_str(), passed["result"]["success"].as_bool()),
        (Some("http://adlnet.gov/expapi/verbs/passed"), Some(true))
    );

    let terminated = to_json(&session.terminated(stamp(), 1_234));
    assert_eq!(terminated["result"], json!({"duration": "PT1.23S"}));
}

#[test]
fn an_mbox_actor_has_only_an_mbox() {
    let course = course();
    let session = Session { actor: Agent::mbox("camille@example.org", None), ..session(&course) };
    let statement = to_json(&session.initialized(stamp()));
    assert_eq!(statement["actor"], json!({"objectType": "Agent", "mbox": "mailto:camille@example.org"}));
}

#[test]
fn a_verb_read_back_from_json_knows_its_kind() {
    for kind in VerbKind::ALL {
        let json = serde_json::to_string(&kind.verb()).unwrap();
        let verb: Verb = serde_json::from_str(&json).unwrap();
        assert_eq!(verb.kind(), Some(kind));
    }
    let other = Verb { id: "http://id.tincanapi.com/verb/liked".into(), display: Default::default() };
    assert_eq!(other.kind(), None);
    let lookalike = Verb { id: "https://example.org/completed".into(), display: Default::default() };
    assert_eq!(lookalike.kind(), None, "only ADL's IRI is ours");
}

#[test]
fn a_rating_is_a_registry_verb_with_a_one_to_five_score_and_the_comment_as_response() {
    let course = course();
    let session = session(&course);
    let statement = to_json(&session.rated(stamp(), 4, Some("  Utile  ")));
    assert_eq!(statement["verb"]["id"], "http://id.tincanapi.com/verb/rated");
    assert_eq!(statement["object"]["id"], "https://example.org/courses/x");
    assert_eq!(
        statement["result"],
        json!({"score": {"scaled": 0.75, "raw": 4.0, "min": 1.0, "max": 5.0}, "response": "Utile"})
    );
    let silent = to_json(&session.rated(stamp(), 1, None));
    assert_eq!(silent["result"], json!({"score": {"scaled": 0.0, "raw": 1.0, "min": 1.0, "max": 5.0}}));
}

#[test]
fn every_verb_and_activity_type_reads_back_from_its_iri_and_no_other() {
    for kind in VerbKind::ALL {
        assert_eq!(VerbKind::of_iri(&kind.iri()), Some(kind), "{kind:?}");
    }
    assert_eq!(VerbKind::Voided.iri(), "http://adlnet.gov/expapi/verbs/voided");
    assert_eq!(VerbKind::Rated.iri(), "http://id.tincanapi.com/verb/rated");
    for other in ["http://adlnet.gov/expapi/verbs/rated", "http://adlnet.gov/expapi/verbs/completedx", "completed", ""]
    {
        assert_eq!(VerbKind::of_iri(other), None, "{other}");
    }
    for kind in ActivityKind::ALL {
        assert_eq!(ActivityKind::of_iri(&kind.iri()), Some(kind), "{kind:?}");
    }
    assert_eq!(ActivityKind::Assessment.iri(), "http://adlnet.gov/expapi/activities/assessment");
    assert_eq!(ActivityKind::of_iri("http://adlnet.gov/expapi/activities/media"), None);
}
