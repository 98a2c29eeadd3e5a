//! Fresh databases built by the real migrations, and fixtures, for integration tests.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
//!
//! `RIUSA_TEST_DATABASE_URL` picks the backend: unset or `sqlite:` gives a temporary SQLite
//! file per test; `postgres://…/postgres` gives a new database per test, cloned from a template
//! migrated once per migration set (nextest runs each test in its own process, so the template
//! is created under an advisory lock).

use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use riusa_domain::catalog::{
    Link, Metric, OwnerRef, OwnerRole, Period, PracticeRecord, Sections, Status, SupportKind,
};
use sea_orm::{ConnectOptions, ConnectionTrait, Database};
use sea_orm_migration::MigratorTrait;

use crate::Store;
use crate::migrations::Migrator;
use crate::repo::catalog::NewTheme;
use riusa_domain::organizations::{NewMunicipality, NewOrganization};

pub const DATABASE_URL_VAR: &str = "RIUSA_TEST_DATABASE_URL";

/// A migrated, empty database that lives as long as this value (SQLite) or the test run (PostgreSQL).
pub struct TestDatabase {
    pub url: String,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn new() -> TestDatabase {
        match std::env::var(DATABASE_URL_VAR) {
            Ok(admin) if admin.starts_with("postgres") => Self::postgres(&admin).await,
            _ => Self::sqlite().await,
        }
    }

    /// Whether the tests run on PostgreSQL.
    pub fn is_postgres() -> bool {
        std::env::var(DATABASE_URL_VAR).is_ok_and(|u| u.starts_with("postgres"))
    }

    async fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("riusa.db").display());
        let store = Store::connect(&url).await.expect("sqlite connects");
        store.migrate().await.expect("migrations apply");
        TestDatabase {
            url,
            store,
            _dir: Some(dir),
        }
    }

    async fn postgres(admin_url: &str) -> TestDatabase {
        let template = template_name();
        let mut options = ConnectOptions::new(admin_url.to_owned());
        options.max_connections(1).sqlx_logging(false);
        let admin = Database::connect(options)
            .await
            .expect("postgres admin connects");
        admin
            .execute_unprepared("SELECT pg_advisory_lock(4242001)")
            .await
            .expect("lock");
        let exists = admin
            .query_one_raw(sea_orm::Statement::from_string(
                admin.get_database_backend(),
                format!("SELECT 1 FROM pg_database WHERE datname = '{template}'"),
            ))
            .await
            .expect("pg_database readable")
            .is_some();
        if !exists {
            let building = format!("{template}_building");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building}"))
                .await
                .expect("drop");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {building}"))
                .await
                .expect("create template");
            let conn = Database::connect(with_database(admin_url, &building))
                .await
                .expect("template connects");
            Migrator::up(&conn, None).await.expect("template migrates");
            conn.close().await.expect("template closes");
            admin
                .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {template}"))
                .await
                .expect("rename template");
        }
        admin
            .execute_unprepared("SELECT pg_advisory_unlock(4242001)")
            .await
            .expect("unlock");

        let name = format!("riusa_test_{}", uuid::Uuid::now_v7().simple());
        let mut attempt = 0;
        loop {
            // Two clones of one template at the same instant may see each other as "other users".
            match admin
                .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await
            {
                Ok(_) => break,
                Err(error) if attempt < 20 => {
                    attempt += 1;
                    tracing::debug!(%error, "template busy, retrying");
                    tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                }
                Err(error) => panic!("cannot clone template: {error}"),
            }
        }
        admin.close().await.expect("admin closes");
        let url = with_database(admin_url, &name);
        let store = Store::connect(&url).await.expect("test database connects");
        TestDatabase {
            url,
            store,
            _dir: None,
        }
    }

    /// Loads [`themes`], [`municipalities`] and [`organizations`].
    pub async fn with_reference_data(self) -> TestDatabase {
        seed_reference_data(&self.store).await;
        self
    }
}

fn template_name() -> String {
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let joined = names.join(",");
    // FNV-1a: a stable fingerprint of the migration set, so a new migration gets a new template.
    let hash = joined.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("riusa_tpl_{hash:016x}")
}

/// Replaces the database name of a PostgreSQL URL.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{}", &base[..path_start], database);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The curated taxonomy the binary ships.
pub fn themes() -> Vec<NewTheme> {
    serde_json::from_str(include_str!("../../../data/themes.json"))
        .expect("data/themes.json parses")
}

pub fn municipalities() -> Vec<NewMunicipality> {
    let row = |istat: &str,
               name: &str,
               region: (&str, &str),
               province: (&str, &str, &str),
               cadastral: &str,
               population: i64| {
        NewMunicipality {
            istat_code: istat.into(),
            name: name.into(),
            region_code: region.0.into(),
            region_name: region.1.into(),
            province_code: province.0.into(),
            province_name: province.1.into(),
            province_abbr: Some(province.2.into()),
            cadastral_code: cadastral.into(),
            population: Some(population),
        }
    };
    vec![
        row(
            "048017",
            "Firenze",
            ("09", "Toscana"),
            ("048", "Firenze", "FI"),
            "D612",
            366_927,
        ),
        row(
            "050026",
            "Pisa",
            ("09", "Toscana"),
            ("050", "Pisa", "PI"),
            "G702",
            90_118,
        ),
        row(
            "054039",
            "Perugia",
            ("10", "Umbria"),
            ("054", "Perugia", "PG"),
            "G478",
            165_956,
        ),
        row(
            "055023",
            "Orvieto",
            ("10", "Umbria"),
            ("055", "Terni", "TR"),
            "G148",
            19_876,
        ),
        row(
            "058091",
            "Roma",
            ("12", "Lazio"),
            ("058", "Roma", "RM"),
            "H501",
            2_808_293,
        ),
        row(
            "075035",
            "Lecce",
            ("16", "Puglia"),
            ("075", "Lecce", "LE"),
            "E506",
            94_773,
        ),
    ]
}

pub fn organizations() -> Vec<NewOrganization> {
    let org =
        |ipa: &str, name: &str, category: (&str, &str), istat: &str, is_municipality: bool| {
            NewOrganization {
                ipa_code: ipa.into(),
                name: name.into(),
                kind: "Pubbliche Amministrazioni".into(),
                category_code: category.0.into(),
                category_name: category.1.into(),
                istat_code: Some(istat.into()),
                is_municipality,
                website: Some(format!("https://www.{ipa}.example.it/")),
            }
        };
    let regione = (
        "L4",
        "Regioni, Province Autonome e loro Consorzi e Associazioni",
    );
    let comune = ("L6", "Comuni e loro Consorzi e Associazioni");
    vec![
        org("r_toscan", "Regione Toscana", regione, "048017", false),
        org("r_umbria", "Regione Umbria", regione, "054039", false),
        org("c_g148", "Comune di Orvieto", comune, "055023", true),
        org("c_h501", "Roma Capitale", comune, "058091", true),
        org("c_e506", "Comune di Lecce", comune, "075035", true),
        org("c_d612", "Comune di Firenze", comune, "048017", true),
    ]
}

pub async fn seed_reference_data(store: &Store) {
    let now = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("valid instant");
    store
        .catalog()
        .ensure_themes(&themes(), now)
        .await
        .expect("themes load");
    store
        .organizations()
        .upsert_municipalities(&municipalities())
        .await
        .expect("comuni load");
    store
        .organizations()
        .upsert_organizations(&organizations(), now)
        .await
        .expect("organizations load");
}

/// A valid, published practice record to adjust per test.
pub struct PracticeBuilder {
    record: PracticeRecord,
}

impl PracticeBuilder {
    pub fn new(slug: &str, title: &str) -> Self {
        PracticeBuilder {
            record: PracticeRecord {
                id: None,
                slug: slug.into(),
                title: title.into(),
                summary: format!("Sintesi di {title}."),
                themes: vec!["formazione".into()],
                owners: vec![OwnerRef {
                    ipa: "r_toscan".into(),
                    role: OwnerRole::Owner,
                }],
                period: Some(Period {
                    start: NaiveDate::from_ymd_opt(2018, 11, 1).expect("date"),
                    end: NaiveDate::from_ymd_opt(2020, 2, 28),
                }),
                funding: Vec::new(),
                sections: Sections {
                    motivation: Some(format!("Perché {title}.")),
                    ..Sections::default()
                },
                support_offered: vec![SupportKind::Testimonial],
                metrics: vec![Metric {
                    label: "Ore di formazione".into(),
                    value: 776.0,
                    unit: Some("ore".into()),
                }],
                places: vec!["048017".into()],
                links: vec![Link {
                    title: "Sito".into(),
                    url: "https://www.regione.toscana.it/".into(),
                }],
                license: "CC-BY-4.0".into(),
                status: Status::Published,
                language: "it".into(),
                updated: None,
            },
        }
    }

    pub fn summary(mut self, summary: &str) -> Self {
        self.record.summary = summary.into();
        self
    }

    pub fn themes(mut self, themes: &[&str]) -> Self {
        self.record.themes = themes.iter().map(|t| (*t).to_owned()).collect();
        self
    }

    pub fn owner(mut self, ipa: &str) -> Self {
        self.record.owners = vec![OwnerRef {
            ipa: ipa.into(),
            role: OwnerRole::Owner,
        }];
        self
    }

    pub fn partner(mut self, ipa: &str) -> Self {
        self.record.owners.push(OwnerRef {
            ipa: ipa.into(),
            role: OwnerRole::Partner,
        });
        self
    }

    pub fn places(mut self, places: &[&str]) -> Self {
        self.record.places = places.iter().map(|p| (*p).to_owned()).collect();
        self
    }

    pub fn status(mut self, status: Status) -> Self {
        self.record.status = status;
        self
    }

    /// The date the source gives for the text's last change.
    pub fn updated(mut self, date: DateTime<Utc>) -> Self {
        self.record.updated = Some(date);
        self
    }

    pub fn started(mut self, year: i32) -> Self {
        self.record.period = Some(Period {
            start: NaiveDate::from_ymd_opt(year, 1, 1).expect("date"),
            end: None,
        });
        self
    }

    pub fn support(mut self, support: &[SupportKind]) -> Self {
        self.record.support_offered = support.to_vec();
        self
    }

    pub fn sections(mut self, sections: Sections) -> Self {
        self.record.sections = sections;
        self
    }

    pub fn build(self) -> PracticeRecord {
        self.record
            .validated()
            .expect("builder makes valid records")
    }

    pub async fn insert(self, store: &Store) -> uuid::Uuid {
        let record = self.build();
        let now = Utc::now();
        store
            .catalog()
            .upsert_practices(&[record], now)
            .await
            .expect("practice inserts")[0]
            .id()
    }
}

/// An account to adjust per test: confirmed, no password, no role unless asked.
pub struct AccountBuilder {
    account: crate::NewAccount,
    memberships: Vec<(String, riusa_domain::accounts::OrgRole)>,
}

impl AccountBuilder {
    pub fn new(email: &str) -> Self {
        AccountBuilder {
            account: crate::NewAccount {
                email: email.to_owned(),
                name: email.split('@').next().unwrap_or(email).replace('.', " "),
                password_hash: None,
                is_admin: false,
                is_editor: false,
                email_confirmed: true,
            },
            memberships: Vec::new(),
        }
    }

    pub fn editor(mut self) -> Self {
        self.account.is_editor = true;
        self
    }

    pub fn admin(mut self) -> Self {
        self.account.is_admin = true;
        self
    }

    pub fn password_hash(mut self, hash: &str) -> Self {
        self.account.password_hash = Some(hash.to_owned());
        self
    }

    pub fn unconfirmed(mut self) -> Self {
        self.account.email_confirmed = false;
        self
    }

    pub fn member_of(mut self, ipa: &str, role: riusa_domain::accounts::OrgRole) -> Self {
        self.memberships.push((ipa.to_owned(), role));
        self
    }

    pub async fn insert(self, store: &Store) -> uuid::Uuid {
        let now = Utc::now();
        let operator = crate::Actor::operator();
        let id = store
            .accounts()
            .create(self.account, &operator, now)
            .await
            .expect("account inserts");
        for (ipa, role) in self.memberships {
            let organization = store
                .organizations()
                .get_by_ipa(&ipa)
                .await
                .expect("the organization exists");
            store
                .accounts()
                .set_membership(id, organization.id, Some(role), &operator, now)
                .await
                .expect("membership inserts");
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced_and_query_kept() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/postgres?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
