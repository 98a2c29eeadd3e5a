//! Every sentence a person reads, in Italian, in one place. Other crates report codes with data
//! (`Violation::TooLong { max }`); this module turns them into words. The CLI uses it too.

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use riusa_domain::Violation;
use riusa_domain::catalog::{SectionKey, SupportKind};
use riusa_search::FacetKind;

use crate::error::ParamProblem;

pub fn status_title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "Richiesta non valida",
        StatusCode::NOT_FOUND => "Pagina non trovata",
        StatusCode::METHOD_NOT_ALLOWED => "Operazione non consentita",
        StatusCode::CONFLICT => "Conflitto con dati esistenti",
        StatusCode::PAYLOAD_TOO_LARGE => "Richiesta troppo grande",
        StatusCode::UNPROCESSABLE_ENTITY => "Dati non validi",
        StatusCode::SERVICE_UNAVAILABLE => "Servizio momentaneamente non disponibile",
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => "Tempo scaduto",
        _ if status.is_server_error() => "Errore del servizio",
        _ => "Richiesta non riuscita",
    }
}

pub fn status_detail(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => {
            "L'indirizzo richiesto non corrisponde a nessuna pagina o scheda pubblicata: potrebbe essere stato scritto male o la scheda potrebbe essere stata ritirata."
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            "Questo indirizzo non accetta il tipo di richiesta inviato."
        }
        StatusCode::BAD_REQUEST => "La richiesta contiene parametri non validi.",
        StatusCode::CONFLICT => "I dati inviati sono in conflitto con dati già presenti.",
        StatusCode::UNPROCESSABLE_ENTITY => "I dati inviati non sono validi.",
        _ if status.is_server_error() => {
            "Si è verificato un errore imprevisto. Riprova tra qualche minuto; se il problema continua, segnalalo indicando il codice della richiesta."
        }
        _ => "La richiesta non è andata a buon fine.",
    }
}

/// A search asked of a node whose index is still being built (503).
pub const INDEX_NOT_READY: &str =
    "L'indice di ricerca è in preparazione: riprova tra qualche istante.";

pub fn param_label(param: &str) -> &'static str {
    match param {
        "q" => "testo della ricerca",
        "page" => "numero di pagina",
        "page_size" => "numero di risultati per pagina",
        "sort" => "ordinamento",
        "cursor" => "cursore",
        "theme" => "tema",
        "region" => "regione",
        "org_type" => "tipo di ente",
        "period" => "periodo",
        "support" => "supporto offerto",
        _ => "parametro",
    }
}

pub fn param_problem(param: &str, problem: &ParamProblem) -> String {
    let label = param_label(param);
    match problem {
        ParamProblem::NotANumber => format!("Il {label} («{param}») deve essere un numero intero."),
        ParamProblem::OutOfRange { min, max } => format!("Il {label} («{param}») deve essere compreso tra {min} e {max}."),
        ParamProblem::TooLong { max } => format!("Il {label} («{param}») può contenere al massimo {max} caratteri."),
        ParamProblem::UnknownValue { allowed } => {
            format!("Valore non riconosciuto per il {label} («{param}»): i valori ammessi sono {}.", allowed.join(", "))
        }
        ParamProblem::BadCursor => "Il cursore («cursor») non è valido: usa il valore di «next_cursor» restituito dalla pagina precedente.".to_owned(),
        ParamProblem::TooDeep { max } => too_deep(*max),
        ParamProblem::Repeated => format!("Il {label} («{param}») può comparire una sola volta."),
    }
}

pub fn too_deep(max: usize) -> String {
    format!(
        "Si possono consultare al massimo i primi {max} risultati: restringi la ricerca con parole più precise o con i filtri."
    )
}

/// One line of the CLI or one message beside a form field.
pub fn violation(violation: &Violation) -> String {
    match violation {
        Violation::Required => "è obbligatorio".to_owned(),
        Violation::TooShort { min } => format!("deve avere almeno {min} caratteri"),
        Violation::TooLong { max } => format!("può avere al massimo {max} caratteri"),
        Violation::InvalidSlug => {
            "può contenere solo lettere minuscole, cifre e trattini singoli (es. «scambio-pa»)"
                .to_owned()
        }
        Violation::InvalidIstatCode => {
            "non è un codice ISTAT di comune (sei cifre, es. «048017»)".to_owned()
        }
        Violation::InvalidUrl => {
            "non è un indirizzo web valido (deve iniziare con http:// o https://)".to_owned()
        }
        Violation::InvalidLicense => {
            "non è un identificativo di licenza SPDX valido (es. «CC-BY-4.0»)".to_owned()
        }
        Violation::InvalidLanguage => {
            "deve essere un codice di lingua di due lettere minuscole (es. «it»)".to_owned()
        }
        Violation::EndBeforeStart => "la data di fine precede quella di inizio".to_owned(),
        Violation::Duplicate => "contiene valori ripetuti".to_owned(),
        Violation::NoOwner => "serve almeno un ente con ruolo «owner» (titolare)".to_owned(),
        Violation::UnknownTheme { slug } => format!("il tema «{slug}» non esiste"),
        Violation::UnknownOrganization { ipa } => {
            format!("nessun ente dell'IPA ha il codice «{ipa}»")
        }
        Violation::UnknownPlace { istat } => format!("nessun comune ISTAT ha il codice «{istat}»"),
        Violation::NotANumber => "deve essere un numero valido (non negativo)".to_owned(),
    }
}

/// A record whose slug belongs to another practice than its id says (the CLI prefixes
/// `file:line: slug:`).
pub fn slug_taken(slug: &str) -> String {
    format!("«{slug}» è già lo slug di un'altra pratica (con un id diverso)")
}

/// What is wrong with one record of an import file (the CLI prefixes `file:line: field:`).
pub fn import_problem(problem: &riusa_formats::Problem) -> String {
    use riusa_formats::Problem;
    match problem {
        Problem::Syntax { message, column } => format!("JSON non valido alla colonna {column}: {message}"),
        Problem::Type { message } => format!("valore del tipo sbagliato o chiave sconosciuta: {message}"),
        Problem::Invalid(v) => violation(v),
        Problem::DuplicateInFile { first_line, key } => format!("{key} già usato alla riga {first_line} dello stesso file"),
        Problem::LineTooLong { max } => format!("riga troppo lunga (al massimo {} byte)", number(*max as f64)),
        Problem::FileTooLarge { max } => format!("file troppo grande (al massimo {} byte)", number(*max as f64)),
        Problem::NotUtf8 => "il testo non è codificato in UTF-8".to_owned(),
        Problem::NotAnObject => "ogni riga deve contenere un oggetto JSON { … }".to_owned(),
        Problem::Array => "il file contiene un array JSON: scrivi un oggetto per riga (JSON Lines) oppure un solo oggetto".to_owned(),
        Problem::Unreadable { message } => format!("lettura del file non riuscita: {message}"),
    }
}

pub fn section_heading(key: SectionKey) -> &'static str {
    match key {
        SectionKey::Motivation => "Motivazione e obiettivi",
        SectionKey::Activities => "Attività",
        SectionKey::Audience => "Destinatari",
        SectionKey::Implementation => "Modalità di selezione e attuazione",
        SectionKey::PeopleInvolved => "Soggetti coinvolti",
        SectionKey::WorkGroup => "Gruppo di lavoro",
        SectionKey::Collaborations => "Collaborazioni",
        SectionKey::Outputs => "Principali output",
        SectionKey::ExpectedResults => "Risultati attesi",
        SectionKey::AchievedResults => "Risultati raggiunti",
        SectionKey::Strengths => "Punti di forza",
        SectionKey::Weaknesses => "Criticità",
        SectionKey::Lessons => "Lezioni apprese",
        SectionKey::Transferability => "Trasferibilità",
    }
}

/// The in-page anchor of a section.
pub fn section_anchor(key: SectionKey) -> &'static str {
    match key {
        SectionKey::Motivation => "motivazione",
        SectionKey::Activities => "attivita",
        SectionKey::Audience => "destinatari",
        SectionKey::Implementation => "attuazione",
        SectionKey::PeopleInvolved => "soggetti-coinvolti",
        SectionKey::WorkGroup => "gruppo-di-lavoro",
        SectionKey::Collaborations => "collaborazioni",
        SectionKey::Outputs => "output",
        SectionKey::ExpectedResults => "risultati-attesi",
        SectionKey::AchievedResults => "risultati-raggiunti",
        SectionKey::Strengths => "punti-di-forza",
        SectionKey::Weaknesses => "criticita",
        SectionKey::Lessons => "lezioni",
        SectionKey::Transferability => "trasferibilita",
    }
}

pub fn support_label(kind: SupportKind) -> &'static str {
    match kind {
        SupportKind::Testimonial => "Testimonianza in seminari e laboratori",
        SupportKind::Coaching => "Affiancamento",
        SupportKind::Documentation => "Documentazione",
        SupportKind::Training => "Formazione",
        SupportKind::SourceCode => "Codice sorgente",
        SupportKind::Helpdesk => "Assistenza (help desk)",
    }
}

pub fn facet_legend(kind: FacetKind) -> &'static str {
    match kind {
        FacetKind::Theme => "Tema",
        FacetKind::Region => "Regione",
        FacetKind::OrgType => "Tipo di ente",
        FacetKind::Period => "Anno di avvio",
        FacetKind::Support => "Supporto offerto",
    }
}

pub fn sort_label(sort: riusa_search::Sort) -> &'static str {
    match sort {
        riusa_search::Sort::Relevance => "Rilevanza",
        riusa_search::Sort::Newest => "Più recenti",
        riusa_search::Sort::Title => "Titolo (A-Z)",
    }
}

pub fn role_label(role: riusa_domain::catalog::OwnerRole) -> &'static str {
    match role {
        riusa_domain::catalog::OwnerRole::Owner => "Ente titolare",
        riusa_domain::catalog::OwnerRole::Partner => "Partner",
    }
}

const MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// «marzo 2019».
pub fn month_year(date: NaiveDate) -> String {
    format!("{} {}", MONTHS[date.month0() as usize], date.year())
}

/// «14 maggio 2024».
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

pub fn period(start: NaiveDate, end: Option<NaiveDate>) -> String {
    match end {
        Some(end) => format!("Da {} a {}", month_year(start), month_year(end)),
        None => format!("Da {}, in corso", month_year(start)),
    }
}

/// Thousands with a dot and decimals with a comma: «2.808.293», «12,5».
pub fn number(value: f64) -> String {
    let negative = value < 0.0;
    let rounded = (value.abs() * 100.0).round() / 100.0;
    let whole = rounded.trunc() as u64;
    let fraction = ((rounded - rounded.trunc()) * 100.0).round() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if fraction > 0 {
        let decimals = format!("{fraction:02}");
        grouped.push(',');
        grouped.push_str(decimals.trim_end_matches('0'));
    }
    if negative {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// «186.400,00 €».
pub fn euros(cents: i64) -> String {
    let whole = number((cents / 100) as f64);
    format!("{whole},{:02} €", (cents % 100).abs())
}

/// «1 buona pratica», «3 buone pratiche».
pub fn practices_count(count: u64) -> String {
    match count {
        1 => "1 buona pratica".to_owned(),
        n => format!("{} buone pratiche", number(n as f64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_italian_way() {
        assert_eq!(number(2_808_293.0), "2.808.293");
        assert_eq!(number(776.0), "776");
        assert_eq!(number(12.5), "12,5");
        assert_eq!(euros(18_640_000), "186.400,00 €");
        assert_eq!(practices_count(1), "1 buona pratica");
        assert_eq!(practices_count(1200), "1.200 buone pratiche");
    }

    #[test]
    fn periods_read_as_sentences() {
        let start = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap_or_default();
        assert_eq!(
            period(start, NaiveDate::from_ymd_opt(2021, 12, 31)),
            "Da marzo 2019 a dicembre 2021"
        );
        assert_eq!(period(start, None), "Da marzo 2019, in corso");
    }
}
