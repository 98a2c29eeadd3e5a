//! The OpenAPI description of the practice interchange format (`docs/schemas/practice.schema.json`),
//! which the write routes read and the drafts return. The domain's `PracticeRecord` is what
//! parses and validates it (riusa-domain knows no OpenAPI); these types only describe it, with
//! the domain's limits written out (utoipa takes literals), and a test checks them against the
//! JSON Schema.

#![allow(dead_code, reason = "types that only describe a schema: never built")]

use utoipa::ToSchema;
use uuid::Uuid;

/// Una buona pratica nel formato di interscambio di riusa (lo stesso di `riusa import`, vedi
/// `docs/schemas/practice.schema.json`). Scrivendo, `status` è ignorato: una scheda creata o
/// modificata è sempre una bozza.
#[derive(ToSchema)]
#[schema(as = PracticeRecord)]
pub struct PracticeRecordDoc {
    /// Identificativo stabile: facoltativo nella creazione (se assente ne viene assegnato uno),
    /// ignorato nella modifica (vale quello dell'indirizzo).
    id: Option<Uuid>,
    /// Nome breve usato negli indirizzi: lettere minuscole, cifre e trattini.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", min_length = 3, max_length = 100)]
    slug: String,
    #[schema(min_length = 3, max_length = 200)]
    title: String,
    /// Sintesi in testo semplice.
    #[schema(min_length = 1, max_length = 300)]
    summary: String,
    /// Slug dei temi (vedi `/themes`), almeno uno, senza ripetizioni.
    #[schema(min_items = 1)]
    themes: Vec<String>,
    /// Amministrazioni titolari e partner, per codice IPA; almeno un titolare.
    #[schema(min_items = 1)]
    owners: Vec<OwnerRefDoc>,
    /// Periodo di svolgimento.
    period: Option<PeriodDoc>,
    #[schema(required = false)]
    funding: Vec<FundingDoc>,
    #[schema(required = false)]
    sections: SectionsDoc,
    /// Il supporto che l'ente titolare offre a chi vuole riusare la pratica, senza ripetizioni.
    #[schema(required = false)]
    support_offered: Vec<SupportKindDoc>,
    /// Cifre chiave (es. 776 ore di formazione).
    #[schema(required = false)]
    metrics: Vec<MetricDoc>,
    /// Comuni interessati, per codice ISTAT a sei cifre (es. «048017»).
    #[schema(required = false)]
    places: Vec<String>,
    #[schema(required = false)]
    links: Vec<LinkDoc>,
    /// Licenza dei contenuti, identificativo SPDX.
    #[schema(required = false, default = "CC-BY-4.0")]
    license: String,
    /// Stato redazionale (draft, in_review, published, archived): ignorato scrivendo.
    #[schema(required = false, default = "draft")]
    status: String,
    /// Lingua della scheda (ISO 639-1).
    #[schema(required = false, default = "it", pattern = "^[a-z]{2}$")]
    language: String,
    /// Quando il testo è cambiato l'ultima volta nella sua fonte (una data AAAA-MM-GG o un
    /// istante RFC 3339): vale per `riusa import`, ed è ignorato scrivendo con l'API, dove la
    /// data di una modifica è quella del server.
    updated: Option<chrono::DateTime<chrono::Utc>>,
}

/// Un'amministrazione legata alla pratica.
#[derive(ToSchema)]
#[schema(as = OwnerRef)]
pub struct OwnerRefDoc {
    /// Codice IPA (maiuscole e minuscole sono equivalenti).
    #[schema(min_length = 1, max_length = 32)]
    ipa: String,
    role: OwnerRoleDoc,
}

/// owner (titolare) o partner.
#[derive(ToSchema)]
#[schema(as = OwnerRole, rename_all = "snake_case")]
pub enum OwnerRoleDoc {
    Owner,
    Partner,
}

/// La fine può mancare se l'esperienza è in corso.
#[derive(ToSchema)]
#[schema(as = Period)]
pub struct PeriodDoc {
    start: chrono::NaiveDate,
    end: Option<chrono::NaiveDate>,
}

#[derive(ToSchema)]
#[schema(as = Funding)]
pub struct FundingDoc {
    #[schema(min_length = 1, max_length = 200)]
    programme: String,
    #[schema(max_length = 200)]
    axis: Option<String>,
    /// In centesimi di euro.
    #[schema(minimum = 0)]
    amount_cents: Option<i64>,
}

/// Le sezioni della scheda, in Markdown; quelle assenti o vuote non compaiono.
#[derive(ToSchema)]
#[schema(as = Sections)]
pub struct SectionsDoc {
    /// Motivazione e obiettivi.
    #[schema(max_length = 20000)]
    motivation: Option<String>,
    /// Attività.
    #[schema(max_length = 20000)]
    activities: Option<String>,
    /// Destinatari.
    #[schema(max_length = 20000)]
    audience: Option<String>,
    /// Modalità di selezione e attuazione.
    #[schema(max_length = 20000)]
    implementation: Option<String>,
    /// Soggetti coinvolti.
    #[schema(max_length = 20000)]
    people_involved: Option<String>,
    /// Gruppo di lavoro.
    #[schema(max_length = 20000)]
    work_group: Option<String>,
    /// Collaborazioni.
    #[schema(max_length = 20000)]
    collaborations: Option<String>,
    /// Principali output.
    #[schema(max_length = 20000)]
    outputs: Option<String>,
    /// Risultati attesi.
    #[schema(max_length = 20000)]
    expected_results: Option<String>,
    /// Risultati raggiunti.
    #[schema(max_length = 20000)]
    achieved_results: Option<String>,
    /// Punti di forza.
    #[schema(max_length = 20000)]
    strengths: Option<String>,
    /// Criticità.
    #[schema(max_length = 20000)]
    weaknesses: Option<String>,
    /// Lezioni apprese.
    #[schema(max_length = 20000)]
    lessons: Option<String>,
    /// Trasferibilità.
    #[schema(max_length = 20000)]
    transferability: Option<String>,
}

#[derive(ToSchema)]
#[schema(as = SupportKind, rename_all = "snake_case")]
pub enum SupportKindDoc {
    Testimonial,
    Coaching,
    Documentation,
    Training,
    SourceCode,
    Helpdesk,
}

#[derive(ToSchema)]
#[schema(as = Metric)]
pub struct MetricDoc {
    #[schema(min_length = 1, max_length = 120)]
    label: String,
    value: f64,
    #[schema(max_length = 40)]
    unit: Option<String>,
}

#[derive(ToSchema)]
#[schema(as = Link)]
pub struct LinkDoc {
    #[schema(min_length = 1, max_length = 200)]
    title: String,
    /// Indirizzo http:// o https://.
    #[schema(pattern = "^https?://")]
    url: String,
}
