//! The interface's words, in French (default) and English. Components never hard-code text:
//! they read it from the [`Messages`] of the current locale. Adding a language is one more
//! `Messages` constant and one line in [`Messages::for_language`].

/// Every text the interface shows, for one language. `Serialize` lets tests read every text by
/// its name (`tests/i18n.rs` checks that both languages have the same placeholders).
#[derive(Debug, PartialEq, Eq, serde::Serialize)]
pub struct Messages {
    /// BCP 47 tag of this language.
    pub lang: &'static str,
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub catalog_title: &'static str,
    pub catalog_intro: &'static str,
    pub catalog_empty: &'static str,
    pub catalog_unavailable: &'static str,
    pub loading: &'static str,
    /// `{n}` is replaced by the number of minutes.
    pub duration_minutes: &'static str,
    /// `{n}` is replaced by the number of lessons.
    pub lesson_count: &'static str,
    pub start: &'static str,
    pub open_course: &'static str,
    pub contents: &'static str,
    pub show_contents: &'static str,
    pub hide_contents: &'static str,
    pub course_overview: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub lesson_navigation: &'static str,
    pub end_of_course: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_to_catalog: &'static str,
    /// `{slug}` is replaced by the course's address.
    pub course_not_found: &'static str,
    pub lesson_not_found: &'static str,
    pub course_invalid_title: &'static str,
    pub course_invalid_text: &'static str,
    pub network_error: &'static str,
    pub retry: &'static str,
    pub check: &'static str,
    pub practice: &'static str,
    pub question_number: &'static str,
    pub true_label: &'static str,
    pub false_label: &'static str,
    pub your_answer: &'static str,
    pub missing_word: &'static str,
    /// Read in place of the gap of a missing-word question.
    pub gap_marker: &'static str,
    pub choose: &'static str,
    pub essay_saved: &'static str,
    pub correct: &'static str,
    pub partially_correct: &'static str,
    pub incorrect: &'static str,
    pub credit: &'static str,
    pub right_answers: &'static str,
    pub chosen_right: &'static str,
    pub chosen_wrong: &'static str,
    pub answer_first: &'static str,
    pub not_a_number: &'static str,
    pub answer_mismatch: &'static str,
    pub broken_question: &'static str,
    pub assessments: &'static str,
    pub assessment_start: &'static str,
    pub new_attempt: &'static str,
    pub question_count: &'static str,
    pub pass_mark: &'static str,
    pub attempts_used: &'static str,
    pub attempts_unlimited: &'static str,
    pub no_attempt_left: &'static str,
    /// An assessment none of whose questions could be read: it cannot start.
    pub no_question_to_ask: &'static str,
    pub question_progress: &'static str,
    pub finish: &'static str,
    pub unanswered_warning: &'static str,
    pub finish_anyway: &'static str,
    pub results: &'static str,
    pub score: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub review: &'static str,
    pub best_score: &'static str,
    pub no_answer: &'static str,
    pub storage_denied: &'static str,
    /// An LMS call was refused: `{error}` names the call and the LMS's error.
    pub lms_refused: &'static str,
    /// A cmi5 launch failed: `{error}` says why.
    pub cmi5_launch_failed: &'static str,
    pub cmi5_exit: &'static str,
    /// Why a cmi5 launch failed: `{name}`, `{problem}`, `{code}`, `{text}`, `{status}`, `{what}`.
    pub cmi5_missing_parameter: &'static str,
    pub cmi5_bad_parameter: &'static str,
    pub cmi5_refused: &'static str,
    pub cmi5_unreachable: &'static str,
    pub cmi5_untrusted_platform: &'static str,
    pub cmi5_status: &'static str,
    pub cmi5_unreadable: &'static str,
    pub cmi5_leaving: &'static str,
    pub storage_full: &'static str,
    pub storage_corrupted: &'static str,
    pub storage_future: &'static str,
    pub progress: &'static str,
    pub lessons_done: &'static str,
    pub time_spent: &'static str,
    pub resume: &'static str,
    pub reset: &'static str,
    pub reset_confirm: &'static str,
    pub reset_warning: &'static str,
    pub cancel: &'static str,
    pub export: &'static str,
    pub import: &'static str,
    pub import_done: &'static str,
    pub not_progress_file: &'static str,
    pub other_course_file: &'static str,
    pub future_file: &'static str,
    pub import_too_large: &'static str,
    pub lesson_completed: &'static str,
    pub course_completed: &'static str,
    pub score_of: &'static str,
    pub attestation: &'static str,
    pub attestation_unavailable: &'static str,
    pub your_name: &'static str,
    pub save: &'static str,
    pub print: &'static str,
    pub attests: &'static str,
    pub completed_on: &'static str,
    pub content_version: &'static str,
    pub score_line: &'static str,
    /// `{n}`: statements waiting for the LRS.
    pub records_waiting: &'static str,
    pub records_sent: &'static str,
    /// Statements dropped to keep the queue bounded (never results): `{n}`.
    pub records_dropped: &'static str,
    /// `{status}`: the HTTP status.
    pub records_paused: &'static str,
    pub records_retrying: &'static str,
    pub tracking_panel: &'static str,
    /// Told to learners, in plain words, only when it matters (see `xapi::outbox::LearnerNotice`).
    pub offline_notice: &'static str,
    pub undelivered_notice: &'static str,
    pub tracking_endpoint: &'static str,
    pub tracking_not_configured: &'static str,
    pub tracking_config_missing: &'static str,
    pub tracking_config_invalid: &'static str,
    pub tracking_waiting: &'static str,
    pub tracking_rejected: &'static str,
    pub tracking_delivered: &'static str,
    pub tracking_none: &'static str,
    pub tracking_last_error: &'static str,
    pub email_needed: &'static str,
    pub email_label: &'static str,
    pub email_invalid: &'static str,
    pub email_saved: &'static str,
    pub theme_dark: &'static str,
    /// The name of the other language, in that language.
    pub other_language: &'static str,
    pub other_language_tag: &'static str,
    pub other_language_hint: &'static str,
    pub author_banner: &'static str,
    /// `{id}`: the question's id; `{answers}`: its right answers.
    pub author_question: &'static str,
    pub author_no_answer: &'static str,
    pub preview_errors_title: &'static str,
    pub preview_errors_text: &'static str,
}

pub const FR: Messages = Messages {
    lang: "fr",
    app_name: "Parcours",
    skip_to_content: "Aller au contenu",
    catalog_title: "Catalogue des parcours",
    catalog_intro: "Choisissez un parcours de formation. Votre progression est enregistrée dans ce navigateur.",
    catalog_empty: "Aucun parcours n’est publié pour le moment.",
    catalog_unavailable: "Le catalogue n’a pas pu être chargé.",
    loading: "Chargement…",
    duration_minutes: "{n} min",
    lesson_count: "{n} leçons",
    start: "Commencer",
    open_course: "Ouvrir le parcours",
    contents: "Sommaire",
    show_contents: "Afficher le sommaire",
    hide_contents: "Masquer le sommaire",
    course_overview: "Présentation du parcours",
    previous: "Précédent",
    next: "Suivant",
    lesson_navigation: "Leçons précédente et suivante",
    end_of_course: "Vous êtes arrivé à la fin du parcours.",
    not_found_title: "Page introuvable",
    not_found_text: "Cette adresse ne correspond à aucune page de Parcours.",
    back_to_catalog: "Retour au catalogue",
    course_not_found: "Aucun parcours ne porte l’adresse « {slug} ».",
    lesson_not_found: "Cette leçon n’existe pas (ou plus) dans ce parcours.",
    course_invalid_title: "Ce parcours ne peut pas être affiché",
    course_invalid_text:
        "Ses fichiers contiennent des erreurs. Transmettez ce message à l’équipe qui publie le parcours :",
    network_error: "Le parcours n’a pas pu être chargé. Vérifiez votre connexion, puis réessayez.",
    retry: "Réessayer",
    check: "Vérifier",
    practice: "Exercice",
    question_number: "Question {n}",
    true_label: "Vrai",
    false_label: "Faux",
    your_answer: "Votre réponse",
    missing_word: "Le mot manquant",
    gap_marker: "[mot manquant]",
    choose: "Choisir…",
    essay_saved: "Réponse enregistrée. Elle n’est pas notée.",
    correct: "Bonne réponse",
    partially_correct: "Réponse en partie juste",
    incorrect: "Réponse incorrecte",
    credit: "Note : {credit} sur 1",
    right_answers: "Réponses acceptées :",
    chosen_right: "(votre choix, juste)",
    chosen_wrong: "(votre choix, faux)",
    answer_first: "Répondez avant de vérifier.",
    not_a_number: "« {value} » n’est pas un nombre. Écrivez par exemple 3,14.",
    answer_mismatch: "Cette réponse ne correspond pas à la question.",
    broken_question: "Cette question ne peut pas être affichée :",
    assessments: "Évaluations",
    assessment_start: "Commencer l’évaluation",
    new_attempt: "Nouvelle tentative",
    question_count: "{n} questions",
    pass_mark: "Note pour réussir : {percent} %",
    attempts_used: "Tentatives utilisées : {used} sur {allowed}",
    attempts_unlimited: "Nombre de tentatives illimité",
    no_attempt_left: "Vous avez utilisé toutes vos tentatives.",
    no_question_to_ask: "Cette évaluation ne peut pas commencer : aucune de ses questions n'a pu être lue. Signalez-le au responsable du parcours.",
    question_progress: "Question {n} sur {total}",
    finish: "Terminer l’évaluation",
    unanswered_warning: "Questions sans réponse : {n}. Elles ne rapporteront pas de point.",
    finish_anyway: "Terminer quand même",
    results: "Résultats",
    score: "Score : {raw} sur {max} ({percent} %)",
    passed: "Réussi",
    failed: "Non réussi",
    review: "Vos réponses",
    best_score: "Meilleur score : {percent} %",
    no_answer: "Sans réponse",
    cmi5_launch_failed: "Le lancement depuis la plateforme de formation a échoué : {error}. Vous pouvez suivre le module, mais la plateforme ne sera pas informée de votre progression : relancez-le depuis la plateforme.",
    cmi5_exit: "Quitter le module",
    cmi5_missing_parameter: "l’adresse de lancement n’a pas de paramètre « {name} »",
    cmi5_bad_parameter: "le paramètre « {name} » de l’adresse de lancement est illisible ({problem})",
    cmi5_refused: "la plateforme a refusé le lancement (erreur {code} : {text})",
    cmi5_unreachable: "la plateforme est injoignable ({problem})",
    cmi5_untrusted_platform: "ce module n’accepte pas les lancements de cette plateforme ({origin}) : rien ne lui est envoyé",
    cmi5_status: "la plateforme a répondu {status} à la demande de {what}",
    cmi5_unreadable: "la réponse de la plateforme ({what}) est illisible : {problem}",
    cmi5_leaving: "Enregistrement de votre session, puis retour à la plateforme…",
    lms_refused: "La plateforme de formation n’a pas enregistré votre progression ({error}). Elle reste gardée dans ce navigateur.",
    storage_denied: "Le stockage de ce navigateur est bloqué : votre progression est gardée pendant cette visite, mais ne sera pas conservée.",
    storage_full: "Le stockage de ce navigateur est plein : votre progression est gardée en mémoire et sera enregistrée dès que possible.",
    storage_corrupted: "Votre progression enregistrée était illisible : elle a été mise de côté et ce parcours repart du début.",
    storage_future: "Votre progression a été enregistrée par une version plus récente de Parcours : elle a été mise de côté et ce parcours repart du début ici.",
    progress: "Progression",
    lessons_done: "Leçons terminées : {done} sur {total}",
    time_spent: "Temps passé : {time}",
    resume: "Reprendre",
    reset: "Réinitialiser ma progression",
    reset_confirm: "Tout effacer pour ce parcours",
    reset_warning: "Votre progression dans ce parcours sera effacée. Vous pouvez d’abord l’exporter.",
    cancel: "Annuler",
    export: "Exporter ma progression",
    import: "Importer ma progression",
    import_done: "Progression importée.",
    not_progress_file: "Ce fichier n’est pas un fichier de progression Parcours.",
    other_course_file: "Ce fichier contient la progression d’un autre parcours ({course}).",
    future_file: "Ce fichier vient d’une version plus récente de Parcours.",
    import_too_large: "Ce fichier est trop gros pour être un fichier de progression Parcours (2 Mo au plus) : rien n’a été importé.",
    lesson_completed: "terminée",
    course_completed: "Parcours terminé",
    score_of: "{title} : meilleur score {percent} %",
    attestation: "Attestation de suivi",
    attestation_unavailable: "L’attestation sera disponible quand vous aurez terminé toutes les leçons et réussi les évaluations.",
    your_name: "Votre nom, tel qu’il doit figurer sur l’attestation",
    save: "Enregistrer",
    print: "Imprimer",
    attests: "{name} a suivi en entier le parcours",
    completed_on: "Terminé le {date}",
    content_version: "Version du contenu : {version}",
    score_line: "Score : {percent} %",
    records_waiting: "{n} enregistrement(s) en attente d’envoi",
    records_sent: "Enregistrements transmis : {n}",
    records_dropped: "{n} enregistrement(s) ancien(s) écarté(s) : au-delà de 2 000 en attente, les plus anciens sont écartés, jamais vos résultats",
    records_paused: "Le LRS refuse l’accès (HTTP {status}) : les enregistrements sont gardés et renvoyés régulièrement.",
    records_retrying: "Le LRS ne répond pas : nouvel essai automatique.",
    tracking_panel: "Détails techniques",
    offline_notice: "Vous êtes hors ligne : votre progression est enregistrée sur cet appareil.",
    undelivered_notice: "Votre progression n’a pas pu être transmise à la plateforme depuis plus d’une heure. Elle reste enregistrée sur cet appareil et partira d’elle-même : continuez dans ce même navigateur et, si cela dure, prévenez l’équipe de la formation.",
    tracking_endpoint: "Point d’accès du LRS : {url}",
    tracking_not_configured: "Aucun LRS n’est configuré : les enregistrements sont gardés dans ce navigateur.",
    tracking_config_missing: "Suivi désactivé : le fichier config.json est introuvable ({reason}). Les enregistrements sont gardés dans ce navigateur.",
    tracking_config_invalid: "Suivi désactivé : config.json est incorrect. {reason}",
    tracking_waiting: "En attente",
    tracking_rejected: "Refusés par le LRS",
    tracking_delivered: "Transmis (les plus récents d’abord)",
    tracking_none: "Aucun.",
    tracking_last_error: "Dernière erreur : {error}",
    email_needed: "Ce parcours transmet vos résultats sous votre adresse e-mail professionnelle. Indiquez-la pour qu’ils soient envoyés ; en attendant, ils sont gardés dans ce navigateur.",
    email_label: "Adresse e-mail",
    email_invalid: "Cette adresse n’est pas valide : écrivez-la sous la forme prenom.nom@exemple.gouv.fr.",
    email_saved: "Résultats transmis sous : {email}",
    author_banner: "Mode auteur : les identifiants et les réponses attendues des questions sont affichés, et aucun enregistrement n’est envoyé au LRS.",
    author_question: "Identifiant : {id} · Réponses attendues : {answers}",
    author_no_answer: "aucune (question ouverte)",
    preview_errors_title: "Le parcours contient des erreurs",
    preview_errors_text: "La dernière version correcte reste affichée. Corrigez les erreurs ci-dessous et enregistrez : la page se recharge d’elle-même.",
    theme_dark: "Thème sombre",
    other_language: "English",
    other_language_tag: "en",
    other_language_hint: "Read the interface in English",
};

pub const EN: Messages = Messages {
    lang: "en",
    app_name: "Parcours",
    skip_to_content: "Skip to content",
    catalog_title: "Course catalogue",
    catalog_intro: "Choose a course. Your progress is saved in this browser.",
    catalog_empty: "No course is published yet.",
    catalog_unavailable: "The catalogue could not be loaded.",
    loading: "Loading…",
    duration_minutes: "{n} min",
    lesson_count: "{n} lessons",
    start: "Start",
    open_course: "Open the course",
    contents: "Contents",
    show_contents: "Show contents",
    hide_contents: "Hide contents",
    course_overview: "Course overview",
    previous: "Previous",
    next: "Next",
    lesson_navigation: "Previous and next lessons",
    end_of_course: "You have reached the end of the course.",
    not_found_title: "Page not found",
    not_found_text: "This address matches no page of Parcours.",
    back_to_catalog: "Back to the catalogue",
    course_not_found: "No course has the address “{slug}”.",
    lesson_not_found: "This lesson does not exist (or no longer exists) in this course.",
    course_invalid_title: "This course cannot be shown",
    course_invalid_text: "Its files contain errors. Please pass this message on to the team that publishes the course:",
    network_error: "The course could not be loaded. Check your connection, then try again.",
    retry: "Try again",
    check: "Check",
    practice: "Practice",
    question_number: "Question {n}",
    true_label: "True",
    false_label: "False",
    your_answer: "Your answer",
    missing_word: "The missing word",
    gap_marker: "[missing word]",
    choose: "Choose…",
    essay_saved: "Answer saved. It is not graded.",
    correct: "Correct",
    partially_correct: "Partly correct",
    incorrect: "Incorrect",
    credit: "Mark: {credit} out of 1",
    right_answers: "Accepted answers:",
    chosen_right: "(your choice, right)",
    chosen_wrong: "(your choice, wrong)",
    answer_first: "Answer before checking.",
    not_a_number: "“{value}” is not a number. Write for example 3.14.",
    answer_mismatch: "This answer does not fit the question.",
    broken_question: "This question cannot be shown:",
    assessments: "Assessments",
    assessment_start: "Start the assessment",
    new_attempt: "New attempt",
    question_count: "{n} questions",
    pass_mark: "Pass mark: {percent} %",
    attempts_used: "Attempts used: {used} of {allowed}",
    attempts_unlimited: "Unlimited attempts",
    no_attempt_left: "You have used all your attempts.",
    no_question_to_ask: "This assessment cannot start: none of its questions could be read. Please tell the course's author.",
    question_progress: "Question {n} of {total}",
    finish: "Finish the assessment",
    unanswered_warning: "Unanswered questions: {n}. They will earn no mark.",
    finish_anyway: "Finish anyway",
    results: "Results",
    score: "Score: {raw} out of {max} ({percent} %)",
    passed: "Passed",
    failed: "Not passed",
    review: "Your answers",
    best_score: "Best score: {percent} %",
    no_answer: "No answer",
    cmi5_launch_failed: "The launch from the learning platform failed: {error}. You can follow the module, but the platform will not be told of your progress: launch it again from the platform.",
    cmi5_exit: "Leave the module",
    cmi5_missing_parameter: "the launch address lacks the `{name}` parameter",
    cmi5_bad_parameter: "the launch address has an unreadable `{name}` ({problem})",
    cmi5_refused: "the platform refused the launch (error {code}: {text})",
    cmi5_unreachable: "the platform could not be reached ({problem})",
    cmi5_untrusted_platform: "this module does not accept launches from this platform ({origin}): nothing is sent to it",
    cmi5_status: "the platform answered {status} to the request for {what}",
    cmi5_unreadable: "the platform's answer ({what}) is unreadable: {problem}",
    cmi5_leaving: "Saving your session, then back to the platform…",
    lms_refused: "The learning platform did not record your progress ({error}). It is still kept in this browser.",
    storage_denied: "This browser’s storage is blocked: your progress is kept during this visit but will not be saved.",
    storage_full: "This browser’s storage is full: your progress is kept in memory and will be saved as soon as possible.",
    storage_corrupted: "Your saved progress could not be read: it has been set aside and this course starts again.",
    storage_future: "Your progress was saved by a newer version of Parcours: it has been set aside and this course starts again here.",
    progress: "Progress",
    lessons_done: "Lessons completed: {done} of {total}",
    time_spent: "Time spent: {time}",
    resume: "Resume",
    reset: "Reset my progress",
    reset_confirm: "Erase everything for this course",
    reset_warning: "Your progress in this course will be erased. You may export it first.",
    cancel: "Cancel",
    export: "Export my progress",
    import: "Import my progress",
    import_done: "Progress imported.",
    not_progress_file: "This file is not a Parcours progress file.",
    other_course_file: "This file holds the progress of another course ({course}).",
    future_file: "This file comes from a newer version of Parcours.",
    import_too_large: "This file is too large to be a Parcours progress file (2 MB at most): nothing was imported.",
    lesson_completed: "completed",
    course_completed: "Course completed",
    score_of: "{title}: best score {percent} %",
    attestation: "Certificate of completion",
    attestation_unavailable: "The certificate will be available once you have completed every lesson and passed the assessments.",
    your_name: "Your name, as it should appear on the certificate",
    save: "Save",
    print: "Print",
    attests: "{name} has completed the course",
    completed_on: "Completed on {date}",
    content_version: "Content version: {version}",
    score_line: "Score: {percent} %",
    records_waiting: "{n} record(s) waiting to be sent",
    records_sent: "Records sent: {n}",
    records_dropped: "{n} old record(s) dropped: beyond 2,000 waiting, the oldest are dropped, never your results",
    records_paused: "The LRS refuses access (HTTP {status}): records are kept and sent again regularly.",
    records_retrying: "The LRS does not answer: trying again automatically.",
    tracking_panel: "Technical details",
    offline_notice: "You are offline: your progress is saved on this device.",
    undelivered_notice: "Your progress could not be sent to the platform for more than an hour. It stays saved on this device and will be sent by itself: carry on in this same browser and, if it lasts, tell the course team.",
    tracking_endpoint: "LRS endpoint: {url}",
    tracking_not_configured: "No LRS is configured: records are kept in this browser.",
    tracking_config_missing: "Tracking is off: config.json could not be found ({reason}). Records are kept in this browser.",
    tracking_config_invalid: "Tracking is off: config.json is wrong. {reason}",
    tracking_waiting: "Waiting",
    tracking_rejected: "Refused by the LRS",
    tracking_delivered: "Sent (newest first)",
    tracking_none: "None.",
    tracking_last_error: "Last error: {error}",
    email_needed: "This course sends your results under your work e-mail address. Give it so they can be sent; meanwhile they are kept in this browser.",
    email_label: "E-mail address",
    email_invalid: "This address is not valid: write it as first.last@example.org.",
    email_saved: "Results sent as: {email}",
    author_banner: "Author mode: question ids and expected answers are shown, and no record is sent to the LRS.",
    author_question: "Id: {id} · Expected answers: {answers}",
    author_no_answer: "none (open question)",
    preview_errors_title: "The course has errors",
    preview_errors_text: "The last good version stays on screen. Fix the errors below and save: the page reloads by itself.",
    theme_dark: "Dark theme",
    other_language: "Français",
    other_language_tag: "fr",
    other_language_hint: "Lire l’interface en français",
};

impl Messages {
    /// The messages for a BCP 47 tag (`fr-FR` → French); French when the language is not available.
    pub fn for_language(tag: &str) -> &'static Messages {
        match tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase().as_str() {
            "en" => &EN,
            _ => &FR,
        }
    }

    /// A decimal number as this language writes it (`0,5` in French, `0.5` in English), at most 2 decimals.
    pub fn decimal(&self, value: f64) -> String {
        let text = format!("{:.2}", value);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        if self.lang == "fr" {
            text.replace('.', ",")
        } else {
            text.to_owned()
        }
    }

    /// A fraction as a whole percentage, without the sign: `0.666` → `67`.
    pub fn percent(fraction: f64) -> String {
        format!("{}", (fraction * 100.0).round())
    }

    /// A duration as this language writes it: `45 min`, `1 h 05 min` (whole minutes, at least 1 once started).
    pub fn duration(&self, ms: u64) -> String {
        let minutes = ms.div_ceil(60_000);
        match (minutes / 60, minutes % 60) {
            (0, m) => format!("{m} min"),
            (h, m) => format!("{h} h {m:02} min"),
        }
    }

    /// Fills `{name}` in a message.
    pub fn fill(template: &str, name: &str, value: impl std::fmt::Display) -> String {
        template.replace(&format!("{{{name}}}"), &value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_from_a_tag_and_defaults_to_french() {
        assert_eq!(Messages::for_language("en-GB").lang, "en");
        assert_eq!(Messages::for_language("EN").lang, "en");
        assert_eq!(Messages::for_language("fr-FR").lang, "fr");
        assert_eq!(Messages::for_language("de").lang, "fr");
        assert_eq!(Messages::for_language("").lang, "fr");
    }

    #[test]
    fn formats_decimals_per_language() {
        assert_eq!(FR.decimal(0.5), "0,5");
        assert_eq!(EN.decimal(0.333333), "0.33");
        assert_eq!(FR.decimal(1.0), "1");
        assert_eq!(FR.decimal(0.0), "0");
    }

    #[test]
    fn formats_percentages() {
        assert_eq!(Messages::percent(0.666), "67");
        assert_eq!(Messages::percent(1.0), "100");
        assert_eq!(Messages::percent(0.0), "0");
    }

    #[test]
    fn formats_durations() {
        assert_eq!(FR.duration(0), "0 min");
        assert_eq!(FR.duration(1), "1 min");
        assert_eq!(EN.duration(59 * 60_000), "59 min");
        assert_eq!(FR.duration(65 * 60_000), "1 h 05 min");
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(Messages::fill(FR.course_not_found, "slug", "x"), "Aucun parcours ne porte l’adresse « x ».");
        assert_eq!(Messages::fill(EN.lesson_count, "n", 3), "3 lessons");
    }
}
