//! Benchmark (`cargo bench --bench quiz`, run by `make bench`): parsing and grading 500 GIFT
//! questions of every type. Prints figures; asserts nothing about time (machines here are noisy).

use parcours::course::gift::{parse_gift, Answers};
use parcours::quiz::{grade, Response};
use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 21;

/// 500 questions cycling through every type, with titles, feedback and weights.
fn questions_text() -> String {
    let kinds = [
        "::Choix {n}:: Quelle réponse ? {=juste #Oui. ~faux #Non. ~autre #Non plus.}",
        "::Plusieurs {n}:: Lesquelles ? {~%50%a #oui ~%50%b #oui ~%-100%c #non}",
        "::VraiFaux {n}:: Vrai ou faux ? {T#Non.#Oui.}",
        "::Court {n}:: Deux plus deux ? {=quatre =4 =%50%quatre ans}",
        "::Trou {n}:: Le format {~HTML =GIFT ~PDF} vient de Moodle.",
        "::Nombre {n}:: Pi ? {#=3.1416:0.0001 #Exact =%50%3.14:0.01 #Proche}",
        "::Intervalle {n}:: Entre 1 et 5 ? {#1..5}",
        "::Paires {n}:: Associez. {=a -> 1 =b -> 2 =c -> 3 = -> 4 ####Bien.}",
        "::Essai {n}:: Votre avis ? {}",
        "::Texte {n}:: [markdown] Une **consigne** sans réponse.",
    ];
    (0..500).map(|n| kinds[n % kinds.len()].replace("{n}", &n.to_string())).collect::<Vec<_>>().join("\n\n")
}

fn response_for(answers: &Answers) -> Option<Response> {
    Some(match answers {
        Answers::TrueFalse { .. } => Response::TrueFalse(true),
        Answers::Choice { multiple: false, .. } => Response::Choices(vec![0]),
        Answers::Choice { multiple: true, .. } => Response::Choices(vec![0, 1]),
        Answers::ShortAnswer { .. } => Response::Text("  Quatre ".into()),
        Answers::Numeric { .. } => Response::Number("3,1416".into()),
        Answers::Matching { .. } => Response::Matching(vec![Some(0), Some(2), Some(1)]),
        Answers::Essay => Response::Text("Un avis.".into()),
        Answers::Description => return None,
    })
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn main() {
    let text = questions_text();
    let mut parse_times = Vec::new();
    let mut grade_times = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let parse = black_box(parse_gift(black_box(&text)));
        parse_times.push(start.elapsed());
        assert_eq!((parse.questions.len(), parse.issues.len()), (500, 0), "the benchmark's GIFT must be valid");

        let responses: Vec<_> = parse.questions.iter().map(|q| response_for(&q.answers)).collect();
        let start = Instant::now();
        for (question, response) in parse.questions.iter().zip(&responses) {
            if let Some(response) = response {
                let _ = black_box(grade(question, response));
            }
        }
        grade_times.push(start.elapsed());
    }
    println!(
        "GIFT: 500 questions ({} KiB of text), median of {RUNS} runs: parse {:.2} ms, grade all {:.3} ms",
        text.len() / 1024,
        median(parse_times).as_secs_f64() * 1000.0,
        median(grade_times).as_secs_f64() * 1000.0
    );
}
