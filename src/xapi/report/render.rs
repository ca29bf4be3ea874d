//! The report written out: a terminal table, CSV, and a self-contained HTML page whose charts are
//! SVG drawn here (no script), each followed by the table of its figures.

use super::{CourseFigures, Figures, Report};
use crate::safe_html::SafeHtml;
use std::fmt::Write;

fn score(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |v| format!("{:.0} %", v * 100.0))
}

fn mean(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |v| format!("{v:.1}"))
}

fn distribution(figures: &Figures) -> String {
    figures
        .satisfaction_distribution
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}:{n}", i + 1))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The report as text for a terminal.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    if report.courses.is_empty() {
        out.push_str("No course statements found.\n");
    }
    for course in &report.courses {
        let _ = writeln!(out, "{} <{}>", course.title, course.id);
        let _ = writeln!(
            out,
            "  {:<8} {:>8} {:>9} {:>6} {:>10} {:>7} {:>12}  ratings 1-5",
            "month", "learners", "completed", "passed", "best score", "hours", "satisfaction"
        );
        let rows = course.months.iter().map(|m| (m.month.as_str(), &m.figures)).chain([("total", &course.total)]);
        for (month, f) in rows {
            let satisfaction = format!("{} ({})", mean(f.satisfaction_mean), f.satisfaction_answers);
            let _ = writeln!(
                out,
                "  {month:<8} {:>8} {:>9} {:>6} {:>10} {:>7.1} {satisfaction:>12}  {}",
                f.learners,
                f.completed,
                f.passed,
                score(f.mean_best_score),
                f.hours,
                distribution(f)
            );
        }
        if !course.questions.is_empty() {
            let _ = writeln!(out, "  Assessment questions, hardest first:");
            for q in &course.questions {
                let _ = writeln!(out, "    {:>4.0} %  {:>5} answers  {}", q.success_rate * 100.0, q.answers, q.name);
            }
        }
        out.push('\n');
    }
    let _ =
        writeln!(out, "{} statements read, {} left out as voided.", report.statements_read, report.statements_voided);
    out
}

/// A text cell: never a formula (`safe_text::spreadsheet_cell`), quoted when it must be.
fn csv_field(value: &str) -> String {
    let value = crate::safe_text::spreadsheet_cell(value);
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

/// One row per course and month, and a `total` row per course.
pub fn csv(report: &Report) -> String {
    let mut out = String::from(
        "course_id,course_title,month,learners,completed,passed,mean_best_score,hours,satisfaction_mean,satisfaction_answers,rated_1,rated_2,rated_3,rated_4,rated_5\n",
    );
    for course in &report.courses {
        for (month, f) in course.months.iter().map(|m| (m.month.as_str(), &m.figures)).chain([("total", &course.total)])
        {
            let d = f.satisfaction_distribution;
            let _ = writeln!(
                out,
                "{},{},{month},{},{},{},{},{:.2},{},{},{},{},{},{},{}",
                csv_field(&course.id),
                csv_field(&course.title),
                f.learners,
                f.completed,
                f.passed,
                f.mean_best_score.map(|v| format!("{v:.4}")).unwrap_or_default(),
                f.hours,
                f.satisfaction_mean.map(|v| format!("{v:.2}")).unwrap_or_default(),
                f.satisfaction_answers,
                d[0],
                d[1],
                d[2],
                d[3],
                d[4]
            );
        }
    }
    out
}

/// Text from the LRS (titles, question names, comments) is untrusted: it goes through the one
/// escaping function of the sanitizing boundary.
fn escape(text: &str) -> String {
    SafeHtml::text(text).into_inner_html()
}

/// A horizontal bar chart as inline SVG: decorative for screen readers (`aria-hidden`), since the
/// table right after it gives the same figures.
fn bar_chart(bars: &[(String, f64)], unit: &str) -> String {
    let max = bars.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max).max(1e-9);
    let (row, label_width, bar_width) = (28, 110, 360);
    let height = row * bars.len().max(1) + 8;
    let mut svg = format!(
        "<svg class=\"chart\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\">",
        w = label_width + bar_width + 90
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = 4 + i * row;
        let width = ((value / max) * bar_width as f64).round().max(if *value > 0.0 { 2.0 } else { 0.0 });
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\">{label}</text><rect x=\"{label_width}\" y=\"{y}\" width=\"{width}\" height=\"20\"/>\
             <text x=\"{vx}\" y=\"{ty}\">{value}{unit}</text>",
            ty = y + 15,
            label = escape(label),
            vx = label_width as f64 + width + 6.0,
            value = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") },
        );
    }
    svg.push_str("</svg>");
    svg
}

fn course_section(course: &CourseFigures, index: usize) -> String {
    let mut html = String::new();
    let _ = write!(html, "<section aria-labelledby=\"c{index}\"><h2 id=\"c{index}\">{}</h2>", escape(&course.title));
    let _ = write!(html, "<p class=\"iri\">{}</p>", escape(&course.id));

    let t = &course.total;
    let _ = write!(
        html,
        "<ul class=\"key\"><li><strong>{}</strong> apprenants</li><li><strong>{}</strong> ont terminé</li>\
         <li><strong>{}</strong> ont réussi</li><li><strong>{:.1}</strong> heures de formation</li>\
         <li>satisfaction <strong>{}</strong> sur 5 ({} réponses)</li></ul>",
        t.learners,
        t.completed,
        t.passed,
        t.hours,
        mean(t.satisfaction_mean),
        t.satisfaction_answers
    );

    let _ = write!(html, "<h3>Par mois</h3><figure><figcaption>Apprenants par mois</figcaption>");
    html.push_str(&bar_chart(
        &course.months.iter().map(|m| (m.month.clone(), m.figures.learners as f64)).collect::<Vec<_>>(),
        "",
    ));
    html.push_str("</figure><table><caption>Chiffres par mois</caption><thead><tr><th scope=\"col\">Mois</th>\
        <th scope=\"col\">Apprenants</th><th scope=\"col\">Ont terminé</th><th scope=\"col\">Ont réussi</th>\
        <th scope=\"col\">Meilleur score moyen</th><th scope=\"col\">Heures</th><th scope=\"col\">Satisfaction</th></tr></thead><tbody>");
    for (month, f) in course.months.iter().map(|m| (m.month.as_str(), &m.figures)).chain([("Total", t)]) {
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{month}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{} ({} réponses)</td></tr>",
            f.learners,
            f.completed,
            f.passed,
            score(f.mean_best_score),
            f.hours,
            mean(f.satisfaction_mean),
            f.satisfaction_answers
        );
    }
    html.push_str("</tbody></table>");

    let bars: Vec<(String, f64)> =
        t.satisfaction_distribution.iter().enumerate().map(|(i, n)| (format!("{} sur 5", i + 1), *n as f64)).collect();
    html.push_str("<h3>Satisfaction</h3><figure><figcaption>Répartition des notes</figcaption>");
    html.push_str(&bar_chart(&bars, ""));
    html.push_str(
        "</figure><table><caption>Répartition des notes</caption><thead><tr><th scope=\"col\">Note</th>\
        <th scope=\"col\">Réponses</th></tr></thead><tbody>",
    );
    for (label, n) in &bars {
        let _ = write!(html, "<tr><th scope=\"row\">{label}</th><td>{n}</td></tr>");
    }
    html.push_str("</tbody></table>");
    if !course.comments.is_empty() {
        html.push_str("<h3>Commentaires</h3><ul class=\"comments\">");
        for comment in course.comments.iter().take(50) {
            let _ = write!(html, "<li>{}</li>", escape(comment));
        }
        html.push_str("</ul>");
    }

    if !course.questions.is_empty() {
        let bars: Vec<(String, f64)> = course
            .questions
            .iter()
            .map(|q| (truncate(&q.name, 16), (q.success_rate * 1000.0).round() / 10.0))
            .collect();
        html.push_str("<h3>Questions de l'évaluation, des plus difficiles aux plus faciles</h3>");
        html.push_str("<figure><figcaption>Part de bonnes réponses</figcaption>");
        html.push_str(&bar_chart(&bars, " %"));
        html.push_str("</figure><table><caption>Part de bonnes réponses par question</caption><thead><tr>\
            <th scope=\"col\">Question</th><th scope=\"col\">Réponses</th><th scope=\"col\">Bonnes réponses</th></tr></thead><tbody>");
        for q in &course.questions {
            let _ = write!(
                html,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{:.0} %</td></tr>",
                escape(&q.name),
                q.answers,
                q.success_rate * 100.0
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</section>");
    html
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(chars - 1).collect::<String>())
    }
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;color:#1e1e1e;background:#fff;max-width:60rem;margin:0 auto;padding:1rem}\
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-top:2px solid #000091;padding-top:1rem}\
table{border-collapse:collapse;margin:1rem 0;display:block;overflow-x:auto}caption{text-align:left;font-weight:600}\
th,td{border:1px solid #929292;padding:.3rem .6rem;text-align:right}th[scope=row],thead th{text-align:left}\
.chart rect{fill:#000091}.chart text{font-size:13px;fill:#1e1e1e}.iri{color:#3a3a3a;font-size:.9rem;overflow-wrap:anywhere}\
.key{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:0;list-style:none}figure{margin:1rem 0}figcaption{font-weight:600}\
svg{max-width:100%;height:auto}";

/// A self-contained page (no script, no external file) for the people who run the campus.
pub fn html(report: &Report, generated: &str) -> String {
    let mut page = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Rapport Parcours</title><style>{STYLE}</style></head><body><main><h1>Rapport des parcours</h1>\
         <p>Établi le {} à partir de {} déclarations xAPI ({} écartées car annulées).</p>",
        escape(generated),
        report.statements_read,
        report.statements_voided
    );
    if report.courses.is_empty() {
        page.push_str("<p>Aucune déclaration de parcours trouvée.</p>");
    }
    for (index, course) in report.courses.iter().enumerate() {
        page.push_str(&course_section(course, index));
    }
    page.push_str("</main></body></html>\n");
    page
}
