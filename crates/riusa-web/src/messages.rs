//! Every sentence a person reads, in Italian, in one place. Other crates report codes with data
//! (`Violation::TooLong { max }`); this module turns them into words. The CLI uses it too.

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use riusa_domain::Violation;
use riusa_domain::catalog::{SectionKey, SupportKind};
use riusa_search::FacetKind;

use crate::params::ParamProblem;

pub fn status_title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "Richiesta non valida",
        StatusCode::NOT_FOUND => "Pagina non trovata",
        StatusCode::METHOD_NOT_ALLOWED => "Operazione non consentita",
        StatusCode::CONFLICT => "Conflitto con dati esistenti",
        StatusCode::PAYLOAD_TOO_LARGE => "Richiesta troppo grande",
        StatusCode::UNAUTHORIZED => "Accesso necessario",
        StatusCode::FORBIDDEN => "Operazione non permessa",
        StatusCode::TOO_MANY_REQUESTS => "Troppi tentativi",
        StatusCode::PRECONDITION_FAILED => "La scheda è cambiata nel frattempo",
        StatusCode::PRECONDITION_REQUIRED => "Versione della scheda mancante",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Formato non supportato",
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
        StatusCode::SERVICE_UNAVAILABLE => {
            "Il servizio non ha risposto in tempo. Riprova tra qualche minuto; se il problema continua, segnalalo indicando il codice della richiesta."
        }
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
        "category" => "tipo di ente",
        "province" => "provincia",
        "with_practices" => "filtro degli enti con buone pratiche",
        "period" => "periodo",
        "support" => "supporto offerto",
        "dal" => "giorno iniziale",
        "al" => "giorno finale",
        "azione" => "tipo di attività",
        "indirizzo" => "indirizzo di rete",
        "tema" => "tema",
        "ente" => "codice IPA dell'ente",
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
        ParamProblem::NotListed => format!("Valore non riconosciuto per «{param}» ({label}): scegli uno dei valori dell'elenco, come li scrivono l'ISTAT e l'Indice dei domicili digitali della PA."),
        ParamProblem::NotADate => format!("Il {label} («{param}») deve essere una data nella forma aaaa-mm-gg."),
    }
}

pub fn too_deep(max: usize) -> String {
    format!(
        "Si possono consultare al massimo i primi {max} risultati: restringi la ricerca con parole più precise o con i filtri."
    )
}

/// A body over the route's limit (`max` bytes).
pub fn too_large(max: usize) -> String {
    format!(
        "La richiesta supera la dimensione massima consentita ({} byte): riduci il testo o il file inviato.",
        number(max as f64)
    )
}

pub const CSRF: &str = "Il modulo è scaduto o non proviene da questo sito: ricarica la pagina e invialo di nuovo. Nulla è stato salvato.";
pub const FORBIDDEN: &str = "Il tuo profilo non permette questa operazione. Se pensi di averne diritto, chiedi al referente del tuo ente o alla redazione.";
pub const UNAUTHENTICATED: &str = "Per questa operazione occorre accedere: invia un token personale nell'intestazione «Authorization: Bearer …».";
pub const SIGN_IN_FAILED: &str = "Email o password non corretti, oppure account disattivato. Controlla e riprova; se non ricordi la password, chiedine una nuova.";
/// The status of a sign-in through an OpenID Connect provider that failed.
pub fn oidc_status(error: &crate::auth::oidc::OidcError) -> StatusCode {
    use crate::auth::oidc::OidcError as E;
    match error {
        E::UnknownProvider => StatusCode::NOT_FOUND,
        E::Unreachable(_) | E::Exchange(_) => StatusCode::BAD_GATEWAY,
        E::BadState => StatusCode::BAD_REQUEST,
        E::Denied(_) | E::InvalidToken(_) | E::Disabled | E::EmailNotVerified | E::NoAccount => {
            StatusCode::FORBIDDEN
        }
        E::NoEmail => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// What went wrong with a sign-in through an OpenID Connect provider, and what to do.
pub fn oidc_failure(error: &crate::auth::oidc::OidcError) -> &'static str {
    use crate::auth::oidc::OidcError as E;
    match error {
        E::UnknownProvider => "Questo sistema di accesso non è configurato su Riusa.",
        E::Unreachable(_) => {
            "Il sistema di accesso scelto non risponde in questo momento. Riprova tra qualche minuto oppure accedi con email e password."
        }
        E::BadState => {
            "La richiesta di accesso non è valida o è scaduta (hai dieci minuti per completarla). Torna alla pagina di accesso e riprova."
        }
        E::Denied(_) => {
            "L'accesso è stato annullato o negato dal sistema di accesso. Puoi riprovare dalla pagina di accesso."
        }
        E::Exchange(_) => {
            "Il sistema di accesso non ha confermato l'accesso. Riprova tra qualche minuto; se il problema continua, segnalalo indicando il codice della richiesta."
        }
        E::InvalidToken(_) => {
            "Non è stato possibile verificare l'identità comunicata dal sistema di accesso. Riprova dalla pagina di accesso."
        }
        E::NoEmail => {
            "Il sistema di accesso non ha comunicato un indirizzo email, che serve per creare il tuo account. Accedi con email e password oppure registrati."
        }
        E::Disabled => {
            "Questo account è stato disattivato. Se pensi che sia un errore, rivolgiti all'amministrazione della piattaforma."
        }
        E::EmailNotVerified => {
            "Esiste già un account con questo indirizzo email, ma il sistema di accesso non conferma che l'indirizzo sia tuo. Accedi con email e password; se non la ricordi, chiedine una nuova da «Password dimenticata»."
        }
        E::NoAccount => {
            "Nessun account di Riusa corrisponde a questa identità e questo sistema di accesso non ne crea di nuovi. Chiedi un invito al referente del tuo ente."
        }
    }
}

pub const EMAIL_NOT_CONFIRMED: &str = "Il tuo indirizzo email non è ancora confermato: apri il collegamento che ti abbiamo inviato. Se non lo trovi, chiedine uno nuovo da «Password dimenticata».";
pub const PASSWORDS_DIFFER: &str = "Le due password non coincidono.";
pub const LINK_INVALID: &str = "Il collegamento non è valido: è già stato usato, è scaduto oppure è stato copiato in modo incompleto.";
pub const OWN_ADMIN_ROLE: &str = "Non puoi togliere a te stesso il ruolo di amministratore né disattivare il tuo account: chiedilo a un altro amministratore.";
pub const CONFIRM_DISABLE: &str = "Per disattivare l'account spunta la casella di conferma.";
pub const BAD_FORM: &str = "I dati inviati non si possono leggere: controlla il modulo e riprova.";
pub const PRECONDITION_REQUIRED: &str = "Indica la versione della scheda su cui lavori con l'intestazione «If-Match» (il valore di «ETag» ricevuto leggendo la scheda).";
pub const JSON_REQUIRED: &str =
    "Invia i dati in formato JSON, con l'intestazione «Content-Type: application/json».";

/// What is wrong with a JSON body of the API (the import's problems, worded for one object).
pub fn body_problem(error: &riusa_formats::RecordError) -> String {
    use riusa_formats::Problem;
    match (&error.problem, &error.field) {
        (Problem::NotAnObject | Problem::Array, _) => {
            "Il corpo della richiesta deve contenere un solo oggetto JSON { … }.".to_owned()
        }
        (Problem::Syntax { .. }, _) => {
            format!("Riga {}: {}.", error.line, import_problem(&error.problem))
        }
        (problem, Some(field)) => format!("Il campo «{field}»: {}.", import_problem(problem)),
        (problem, None) => format!("Il corpo della richiesta: {}.", import_problem(problem)),
    }
}

pub fn too_many_requests(retry_after_secs: u64) -> String {
    let minutes = retry_after_secs.div_ceil(60);
    if minutes <= 1 {
        "Troppi tentativi in poco tempo: riprova tra un minuto.".to_owned()
    } else {
        format!("Troppi tentativi in poco tempo: riprova tra {minutes} minuti.")
    }
}

/// Why the workflow refused, in words.
pub fn refusal(refusal: &riusa_domain::Refusal) -> String {
    use riusa_domain::Refusal;
    match refusal {
        Refusal::Forbidden => FORBIDDEN.to_owned(),
        Refusal::InvalidTransition { action, draft, .. } => match (*action, *draft) {
            ("save_draft", "in_review") => "La bozza è in revisione presso la redazione: potrai modificarla se la redazione chiederà modifiche.".to_owned(),
            ("submit", _) => "Non c'è una bozza da inviare in revisione: salva prima le modifiche.".to_owned(),
            ("publish" | "request_changes", _) => "La scheda non è in revisione: può essere pubblicata o rimandata agli autori solo dopo l'invio in revisione.".to_owned(),
            ("archive", _) => "La scheda è già archiviata.".to_owned(),
            ("restore", _) => "La scheda non è archiviata.".to_owned(),
            (_, _) if *draft == "none" => "Operazione non possibile nello stato attuale della scheda.".to_owned(),
            _ => "Operazione non possibile nello stato attuale della scheda (una scheda archiviata va prima ripristinata).".to_owned(),
        },
        Refusal::Stale { expected, current } => format!(
            "Qualcun altro ha salvato la scheda mentre ci lavoravi: la tua versione è la {expected}, quella attuale è la {current}. Il tuo testo non è stato salvato ed è ancora nel modulo: confrontalo con la versione attuale prima di salvare di nuovo."
        ),
        Refusal::PublishedBefore => "La scheda è stata pubblicata almeno una volta: si può archiviare, non eliminare.".to_owned(),
    }
}

/// A one-line summary of invalid fields (the form shows each beside its field).
pub fn invalid_fields(errors: &[riusa_domain::FieldError]) -> String {
    match errors.len() {
        0 => "I dati inviati non sono validi.".to_owned(),
        1 => format!(
            "Il campo «{}» {}.",
            errors[0].field,
            violation(&errors[0].violation)
        ),
        n => format!("{n} campi non sono validi: correggili e invia di nuovo."),
    }
}

/// A value another record already holds.
pub fn conflict(field: &str, value: &str) -> String {
    match field {
        "email" => "Esiste già un account con questo indirizzo email.".to_owned(),
        "slug" if !value.is_empty() => {
            format!("L'indirizzo «{value}» è già usato da un'altra scheda: scegline un altro.")
        }
        "slug" => {
            "L'indirizzo scelto è già usato da un'altra scheda: scegline un altro.".to_owned()
        }
        _ => "I dati inviati sono in conflitto con dati già presenti.".to_owned(),
    }
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
        Violation::InFuture => "la data è nel futuro".to_owned(),
        Violation::Duplicate => "contiene valori ripetuti".to_owned(),
        Violation::NoOwner => "serve almeno un ente con ruolo «owner» (titolare)".to_owned(),
        Violation::UnknownTheme { slug } => format!("il tema «{slug}» non esiste"),
        Violation::UnknownOrganization { ipa } => {
            format!("nessun ente dell'IPA ha il codice «{ipa}»")
        }
        Violation::UnknownPlace { istat } => format!("nessun comune ISTAT ha il codice «{istat}»"),
        Violation::NotANumber => "deve essere un numero valido (non negativo)".to_owned(),
        Violation::InvalidEmail => {
            "non è un indirizzo email valido (es. «nome.cognome@comune.example.it»)".to_owned()
        }
        Violation::CommonPassword => "è troppo facile da indovinare: è tra le password più usate o segue uno schema prevedibile; prova una frase di tre o quattro parole non collegate".to_owned(),
    }
}

/// An attachment whose content is none of the accepted kinds, whatever its name says.
pub const UPLOAD_KIND: &str = "Questo file non è di un tipo accettato. Si possono allegare documenti PDF, ODT o DOCX, fogli di calcolo ODS o XLSX e immagini PNG o JPEG: il tipo si riconosce dal contenuto del file, non dal nome.";
pub const UPLOAD_MISSING: &str =
    "Scegli un file da allegare: nessun file è arrivato, oppure il file è vuoto.";

pub fn upload_too_large(max_bytes: u64) -> String {
    format!(
        "Il file supera la dimensione massima di {} per allegato.",
        file_size(max_bytes)
    )
}

/// What can be attached, under the upload field.
pub fn upload_hint(max_bytes: u64) -> String {
    format!(
        "Documenti PDF, ODT o DOCX, fogli di calcolo ODS o XLSX, immagini PNG o JPEG, fino a {}. Il file diventa parte di una nuova versione della bozza.",
        file_size(max_bytes)
    )
}

/// A kind of attachment in words.
pub fn file_kind(kind: crate::files::FileKind) -> &'static str {
    use crate::files::FileKind;
    match kind {
        FileKind::Pdf => "documento PDF",
        FileKind::Odt => "documento di testo ODT",
        FileKind::Docx => "documento Word (DOCX)",
        FileKind::Ods => "foglio di calcolo ODS",
        FileKind::Xlsx => "foglio di calcolo Excel (XLSX)",
        FileKind::Png => "immagine PNG",
        FileKind::Jpeg => "immagine JPEG",
    }
}

/// An upload decided on a revision somebody has replaced since.
pub fn upload_stale(expected: u32, current: u32) -> String {
    format!(
        "Qualcun altro ha salvato la scheda mentre ci lavoravi: la tua versione è la {expected}, quella attuale è la {current}. Il file non è stato allegato: controlla gli allegati della versione attuale, qui sotto, e caricalo di nuovo se serve."
    )
}

/// «34 KB», «1,5 MB»: kilobytes up to one megabyte (1 KB at least), then megabytes with one
/// decimal.
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes < MB {
        format!("{} KB", number(bytes.div_ceil(KB).max(1) as f64))
    } else {
        let tenths = (bytes as f64 / MB as f64 * 10.0).round() / 10.0;
        format!("{} MB", number(tenths))
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

/// What to write in a section, shown under its field in the practice form.
pub fn section_hint(key: SectionKey) -> &'static str {
    match key {
        SectionKey::Motivation => "Quale problema ha risolto e quali obiettivi si era dato l'ente.",
        SectionKey::Activities => "Cosa è stato fatto, in che ordine e con quali tempi.",
        SectionKey::Audience => "A chi si rivolge: uffici, operatori, cittadini, imprese.",
        SectionKey::Implementation => {
            "Come sono stati scelti i partecipanti e come si è svolta l'attuazione."
        }
        SectionKey::PeopleInvolved => {
            "Enti, uffici e persone che hanno preso parte, con il loro ruolo."
        }
        SectionKey::WorkGroup => "Chi ha guidato il lavoro e con quali competenze.",
        SectionKey::Collaborations => {
            "Altri enti, università, associazioni o imprese che hanno collaborato."
        }
        SectionKey::Outputs => "Documenti, procedure, software, corsi prodotti.",
        SectionKey::ExpectedResults => {
            "Cosa ci si aspettava di ottenere, possibilmente con numeri."
        }
        SectionKey::AchievedResults => "Cosa si è ottenuto davvero, con numeri e tempi.",
        SectionKey::Strengths => "Cosa ha funzionato meglio e perché.",
        SectionKey::Weaknesses => "Difficoltà incontrate e come sono state affrontate.",
        SectionKey::Lessons => "Cosa rifareste e cosa fareste diversamente.",
        SectionKey::Transferability => {
            "Cosa serve a un altro ente per riusarla: condizioni, costi, tempi."
        }
    }
}

/// Where a practice stands, as its authors read it.
pub fn workflow_state(
    status: riusa_domain::catalog::Status,
    draft: riusa_domain::catalog::workflow::DraftState,
) -> String {
    use riusa_domain::catalog::Status;
    use riusa_domain::catalog::workflow::DraftState;
    let public = match status {
        Status::Published => "Pubblicata",
        Status::Archived => "Archiviata",
        Status::Draft | Status::InReview => "Mai pubblicata",
    };
    let draft = match draft {
        DraftState::None => return public.to_owned(),
        DraftState::Editing => "bozza in lavorazione",
        DraftState::InReview => "bozza in revisione",
        DraftState::ChangesRequested => "modifiche richieste dalla redazione",
    };
    format!("{public}, {draft}")
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

/// «1 ente», «23.558 enti».
pub fn organizations_count(count: u64) -> String {
    match count {
        1 => "1 ente".to_owned(),
        n => format!("{} enti", number(n as f64)),
    }
}

/// «1 software», «12 software» (the Italian word does not change).
pub fn software_count(count: u64) -> String {
    format!("{} software", number(count as f64))
}

/// A publiccode `developmentStatus`, in words.
pub fn development_status(code: &str) -> String {
    match code {
        "concept" => "Idea".to_owned(),
        "development" => "In sviluppo".to_owned(),
        "beta" => "Beta".to_owned(),
        "stable" => "Stabile".to_owned(),
        "obsolete" => "Obsoleto".to_owned(),
        other => other.to_owned(),
    }
}

/// A publiccode `softwareType`, in words.
pub fn software_type(code: &str) -> String {
    match code {
        "standalone/mobile" => "Applicazione per dispositivi mobili".to_owned(),
        "standalone/iot" => "Applicazione per l'Internet delle cose".to_owned(),
        "standalone/desktop" => "Applicazione desktop".to_owned(),
        "standalone/web" => "Applicazione web".to_owned(),
        "standalone/backend" => "Servizio di backend".to_owned(),
        "standalone/other" => "Applicazione".to_owned(),
        "addon" => "Componente aggiuntivo".to_owned(),
        "library" => "Libreria".to_owned(),
        "configurationFiles" => "File di configurazione".to_owned(),
        other => other.to_owned(),
    }
}

/// A publiccode `maintenance.type`, in words.
pub fn maintenance_type(code: &str) -> String {
    match code {
        "internal" => "Interna all'ente".to_owned(),
        "contract" => "Affidata con contratto".to_owned(),
        "community" => "Della comunità".to_owned(),
        "none" => "Nessuna manutenzione".to_owned(),
        other => other.to_owned(),
    }
}

/// A publiccode `dependsOn` kind, in words.
pub fn dependency_kind(kind: &str) -> &'static str {
    match kind {
        "proprietary" => "proprietaria",
        "hardware" => "hardware",
        _ => "aperta",
    }
}

/// A language code of the descriptions (`it`, `en`), in words.
pub fn language_name(code: &str) -> String {
    match code {
        "it" => "Italiano".to_owned(),
        "en" => "Inglese".to_owned(),
        "de" => "Tedesco".to_owned(),
        "fr" => "Francese".to_owned(),
        "es" => "Spagnolo".to_owned(),
        "sl" => "Sloveno".to_owned(),
        other => other.to_owned(),
    }
}

/// An email, in words.
pub struct EmailText {
    pub subject: String,
    pub body: String,
}

const SIGNATURE: &str = "\n\n-- \nRiusa, il catalogo delle buone pratiche della pubblica amministrazione.\nQuesto messaggio è stato inviato automaticamente: non rispondere a questo indirizzo.";

/// The words of a queued notification; `None` for a kind this version does not know.
pub fn email(
    kind: &str,
    params: &serde_json::Value,
    name: Option<&str>,
    config: &crate::WebConfig,
) -> Option<EmailText> {
    let text = |key: &str| params.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    let greeting = match name {
        Some(name) if !name.is_empty() => format!("Buongiorno {name},"),
        _ => "Buongiorno,".to_owned(),
    };
    let practice_link = |path: String| config.link(&path);
    let id = params
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(|v| uuid::Uuid::parse_str(v).ok());
    let (subject, body) = match kind {
        "account.confirm_email" => (
            "Conferma il tuo indirizzo email su Riusa".to_owned(),
            format!(
                "{greeting}\n\nper attivare il tuo account su Riusa apri questo collegamento entro 24 ore:\n\n{}\n\nSe non sei stato tu a registrarti, ignora questo messaggio: senza conferma l'account resta inattivo.",
                text("link")
            ),
        ),
        "account.reset_password" => (
            "Reimposta la password di Riusa".to_owned(),
            format!(
                "{greeting}\n\nabbiamo ricevuto una richiesta di reimpostare la password del tuo account su Riusa. Per sceglierne una nuova apri questo collegamento: vale un'ora e una sola volta.\n\n{}\n\nSe non l'hai chiesto tu, ignora questo messaggio: la password attuale resta valida.",
                text("link")
            ),
        ),
        "invitation" => {
            let role = match text("role") {
                "coordinator" => "referente",
                _ => "componente",
            };
            let inviter = match text("inviter") {
                "" => "Il referente del tuo ente".to_owned(),
                name => name.to_owned(),
            };
            (
                format!("Invito a collaborare su Riusa per {}", text("organization")),
                format!(
                    "{greeting}\n\n{inviter} ti invita a partecipare a Riusa come {role} per {}: potrai scrivere e aggiornare le schede delle buone pratiche del tuo ente.\n\nPer accettare apri questo collegamento entro 7 giorni:\n\n{}\n\nSe non conosci chi ti ha invitato, ignora questo messaggio.",
                    text("organization"),
                    text("link")
                ),
            )
        }
        "practice.submitted" => (
            format!("Da revisionare: «{}»", text("title")),
            format!(
                "{greeting}\n\nla scheda «{}» è stata inviata in revisione e attende la redazione.\n\n{}",
                text("title"),
                practice_link(crate::paths::review(id?))
            ),
        ),
        "practice.changes_requested" => (
            format!("Modifiche richieste: «{}»", text("title")),
            format!(
                "{greeting}\n\nla redazione ha chiesto alcune modifiche alla scheda «{}». Trovi le osservazioni accanto alle sezioni:\n\n{}",
                text("title"),
                practice_link(crate::paths::edit_practice(id?))
            ),
        ),
        "practice.published" => (
            format!("Pubblicata: «{}»", text("title")),
            format!(
                "{greeting}\n\nla scheda «{}» è stata pubblicata nel catalogo ed è visibile a tutti:\n\n{}",
                text("title"),
                practice_link(crate::paths::practice(text("slug")))
            ),
        ),
        _ => return None,
    };
    Some(EmailText {
        subject,
        body: format!("{body}{SIGNATURE}"),
    })
}

/// The inbox line of a notification.
pub fn inbox_line(kind: &str, params: &serde_json::Value) -> String {
    let text = |key: &str| params.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    match kind {
        "practice.submitted" => format!("«{}» è in attesa di revisione", text("title")),
        "practice.changes_requested" => {
            format!("La redazione ha chiesto modifiche a «{}»", text("title"))
        }
        "practice.published" => format!("«{}» è stata pubblicata", text("title")),
        "invitation" => format!(
            "Sei stato invitato a collaborare per {}",
            text("organization")
        ),
        _ => "Notifica".to_owned(),
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
    fn file_sizes_read_in_kilobytes_then_megabytes() {
        assert_eq!(file_size(0), "1 KB");
        assert_eq!(file_size(1), "1 KB");
        assert_eq!(file_size(35_000), "35 KB");
        assert_eq!(file_size(1024 * 1024), "1 MB");
        assert_eq!(file_size(1_572_864), "1,5 MB");
        assert_eq!(file_size(20 * 1024 * 1024), "20 MB");
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
