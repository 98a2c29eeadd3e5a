use chrono::{Duration, Utc};
use riusa_domain::accounts::OrgRole;
use riusa_store::testing::{AccountBuilder, TestDatabase};
use riusa_store::{Actor, AuditFilter, LinkPurpose, NewAccount, RateKey, StoreError};

fn new_account(email: &str) -> NewAccount {
    NewAccount {
        email: email.into(),
        name: "Maria Rossi".into(),
        password_hash: None,
        is_admin: false,
        is_editor: false,
        email_confirmed: false,
    }
}

#[tokio::test]
async fn an_email_taken_twice_is_a_conflict_on_email() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let accounts = db.store.accounts();
    let operator = Actor::operator();
    accounts
        .create(
            new_account("maria.rossi@regione.umbria.it"),
            &operator,
            Utc::now(),
        )
        .await
        .unwrap();
    let error = accounts
        .create(
            new_account("maria.rossi@regione.umbria.it"),
            &operator,
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::Conflict { field: "email", .. }),
        "the database's unique constraint, mapped: {error:?}"
    );
}

#[tokio::test]
async fn a_session_expires_when_idle_and_ends_when_the_account_is_disabled() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let accounts = db.store.accounts();
    let id = AccountBuilder::new("paolo@comune.firenze.it")
        .member_of("c_d612", OrgRole::Member)
        .insert(&db.store)
        .await;
    let now = Utc::now();
    let actor = Actor::account(id, Some("198.51.100.7".into()));
    accounts
        .start_session(
            id,
            "h1".into(),
            now + Duration::hours(12),
            "password",
            &actor,
            now,
        )
        .await
        .unwrap();
    let seen = accounts
        .session("h1", Duration::hours(2), now + Duration::hours(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.principal.memberships[0].ipa_code, "c_d612");
    assert!(
        accounts
            .session("h1", Duration::hours(2), now + Duration::hours(4))
            .await
            .unwrap()
            .is_none(),
        "idle for three hours since it was last seen"
    );
    accounts
        .start_session(
            id,
            "h2".into(),
            now + Duration::hours(12),
            "password",
            &actor,
            now,
        )
        .await
        .unwrap();
    accounts.disable(id, &Actor::operator(), now).await.unwrap();
    assert!(
        accounts
            .session("h2", Duration::hours(2), now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn links_and_invitations_work_once_and_not_after_expiry() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let accounts = db.store.accounts();
    let coordinator = AccountBuilder::new("coord@regione.umbria.it")
        .member_of("r_umbria", OrgRole::Coordinator)
        .insert(&db.store)
        .await;
    let now = Utc::now();
    let actor = Actor::account(coordinator, None);
    accounts
        .create_link(
            coordinator,
            LinkPurpose::ResetPassword,
            "reset-1".into(),
            "http://127.0.0.1/reimposta-password/x".into(),
            now + Duration::hours(1),
            &actor,
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        accounts
            .consume_link("reset-1", LinkPurpose::ConfirmEmail, now)
            .await
            .unwrap(),
        None,
        "a reset link does not confirm an email"
    );
    assert_eq!(
        accounts
            .consume_link("reset-1", LinkPurpose::ResetPassword, now)
            .await
            .unwrap(),
        Some(coordinator)
    );
    assert_eq!(
        accounts
            .consume_link("reset-1", LinkPurpose::ResetPassword, now)
            .await
            .unwrap(),
        None,
        "single use"
    );
    accounts
        .create_link(
            coordinator,
            LinkPurpose::ResetPassword,
            "reset-2".into(),
            "http://127.0.0.1/reimposta-password/y".into(),
            now + Duration::hours(1),
            &actor,
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        accounts
            .consume_link(
                "reset-2",
                LinkPurpose::ResetPassword,
                now + Duration::minutes(61)
            )
            .await
            .unwrap(),
        None,
        "expired after an hour"
    );

    let umbria = db
        .store
        .organizations()
        .get_by_ipa("r_umbria")
        .await
        .unwrap();
    accounts
        .create_invitation(
            "nuovo@regione.umbria.it".into(),
            umbria.id,
            OrgRole::Member,
            "inv-1".into(),
            "http://127.0.0.1/invito/a".into(),
            now + Duration::days(7),
            &actor,
            now,
        )
        .await
        .unwrap();
    let invited = AccountBuilder::new("nuovo@regione.umbria.it")
        .insert(&db.store)
        .await;
    let accepted = accounts
        .accept_invitation("inv-1", invited, &Actor::account(invited, None), now)
        .await
        .unwrap();
    assert_eq!(accepted.organization_name, "Regione Umbria");
    let principal = accounts.principal(invited).await.unwrap().unwrap();
    assert_eq!(principal.role_in(umbria.id), Some(OrgRole::Member));
    // Two reset links and one invitation wait to be emailed; nothing reaches an inbox but
    // the invitation's, whose address had no account then.
    let outgoing = db
        .store
        .notifications()
        .claim_due(now, 10, Duration::minutes(1))
        .await
        .unwrap();
    let kinds: Vec<&str> = outgoing.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "account.reset_password",
            "account.reset_password",
            "invitation"
        ]
    );
    assert_eq!(outgoing[2].to, "nuovo@regione.umbria.it");
    assert_eq!(outgoing[2].params["organization"], "Regione Umbria");
    assert!(
        db.store
            .notifications()
            .claim_due(now, 10, Duration::minutes(1))
            .await
            .unwrap()
            .is_empty(),
        "claimed: no second sender takes them"
    );
    db.store
        .notifications()
        .mark_sent(outgoing[2].id, now)
        .await
        .unwrap();
    db.store
        .notifications()
        .mark_failed(
            outgoing[0].id,
            "421 try later",
            Some(now + Duration::minutes(5)),
        )
        .await
        .unwrap();
    let retried = db
        .store
        .notifications()
        .claim_due(now + Duration::minutes(6), 10, Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(
        retried.len(),
        2,
        "the failed one after its back-off, the unclaimed one after its lease"
    );
    assert!(
        retried
            .iter()
            .any(|e| e.id == outgoing[0].id && e.attempts == 1)
    );
    assert!(matches!(
        accounts
            .accept_invitation("inv-1", invited, &Actor::account(invited, None), now)
            .await,
        Err(StoreError::NotFound)
    ));
    accounts
        .create_invitation(
            "tardi@regione.umbria.it".into(),
            umbria.id,
            OrgRole::Member,
            "inv-2".into(),
            "http://127.0.0.1/invito/b".into(),
            now + Duration::days(7),
            &actor,
            now,
        )
        .await
        .unwrap();
    assert!(matches!(
        accounts
            .accept_invitation(
                "inv-2",
                invited,
                &Actor::account(invited, None),
                now + Duration::days(8)
            )
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn tokens_are_audited_on_every_use_and_stop_when_revoked() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let accounts = db.store.accounts();
    let id = AccountBuilder::new("api@comune.lecce.it")
        .insert(&db.store)
        .await;
    let now = Utc::now();
    let actor = Actor::account(id, None);
    let token = accounts
        .create_token(id, "Gestionale".into(), "tok-hash".into(), &actor, now)
        .await
        .unwrap();
    for _ in 0..2 {
        let principal = accounts
            .principal_by_token("tok-hash", Some("203.0.113.5".into()), now)
            .await
            .unwrap();
        assert_eq!(principal.map(|p| p.account_id), Some(id));
    }
    let uses = db
        .store
        .audit()
        .count_since(
            "token.use",
            RateKey::Address("203.0.113.5"),
            now - Duration::minutes(1),
        )
        .await
        .unwrap();
    assert_eq!(uses, 2);
    assert!(accounts.tokens(id).await.unwrap()[0].last_used_at.is_some());
    accounts.revoke_token(id, token, &actor, now).await.unwrap();
    assert!(
        accounts
            .principal_by_token("tok-hash", None, now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_audit_trail_cannot_be_edited() {
    let db = TestDatabase::new().await.with_reference_data().await;
    AccountBuilder::new("x@comune.lecce.it")
        .insert(&db.store)
        .await;
    let events = db
        .store
        .audit()
        .search(
            &AuditFilter {
                action: Some("account.".into()),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(events.total, 1);
    let conn = db.store.connection();
    use sea_orm::ConnectionTrait;
    assert!(
        conn.execute_unprepared("UPDATE audit_event SET action = 'x'")
            .await
            .is_err()
    );
    assert!(
        conn.execute_unprepared("DELETE FROM audit_event")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_oidc_identity_is_found_after_it_was_linked_or_created_with_its_account() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let accounts = db.store.accounts();
    let anonymous = Actor::anonymous(Some("192.0.2.1".into()));
    assert_eq!(
        accounts.oidc_account("spid", "soggetto-1").await.unwrap(),
        None
    );

    let mut new = new_account("anna.neri@comune.orvieto.tr.it");
    new.email_confirmed = true;
    let created = accounts
        .create_with_oidc(new, "spid", "soggetto-1", &anonymous, Utc::now())
        .await
        .unwrap();
    let found = accounts
        .oidc_account("spid", "soggetto-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.account_id, found.confirmed), (created, true));
    assert_eq!(
        accounts.oidc_account("cie", "soggetto-1").await.unwrap(),
        None,
        "a subject belongs to its provider"
    );
    let error = accounts
        .create_with_oidc(
            new_account("altra@comune.orvieto.tr.it"),
            "spid",
            "soggetto-1",
            &anonymous,
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
    assert!(
        accounts
            .id_by_email("altra@comune.orvieto.tr.it")
            .await
            .unwrap()
            .is_none(),
        "the account and its identity are written together or not at all"
    );

    let events = db
        .store
        .audit()
        .search(&AuditFilter::default(), 0, 50)
        .await
        .unwrap();
    let create = events
        .items
        .iter()
        .find(|e| e.action == "account.create")
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&create.detail).unwrap();
    assert_eq!(detail["method"], "oidc");
    assert_eq!(detail["provider"], "spid");
}

#[tokio::test]
async fn linking_an_unconfirmed_account_confirms_it_and_removes_its_password() {
    let db = TestDatabase::new().await.with_reference_data().await;
    let accounts = db.store.accounts();
    let id = AccountBuilder::new("marco.gialli@comune.orvieto.tr.it")
        .password_hash("$argon2id$di-chi-ha-registrato-l-indirizzo")
        .unconfirmed()
        .insert(&db.store)
        .await;
    let actor = Actor::account(id, None);
    accounts
        .link_oidc(id, "cie", "soggetto-2", &actor, Utc::now())
        .await
        .unwrap();
    let credentials = accounts
        .credentials("marco.gialli@comune.orvieto.tr.it")
        .await
        .unwrap()
        .unwrap();
    assert!(credentials.confirmed);
    assert_eq!(credentials.password_hash, None);
    assert_eq!(
        accounts
            .oidc_account("cie", "soggetto-2")
            .await
            .unwrap()
            .map(|c| c.account_id),
        Some(id)
    );

    // A confirmed account keeps its password.
    let confirmed = AccountBuilder::new("sara.blu@comune.orvieto.tr.it")
        .password_hash("$argon2id$sua")
        .insert(&db.store)
        .await;
    accounts
        .link_oidc(confirmed, "cie", "soggetto-3", &actor, Utc::now())
        .await
        .unwrap();
    let credentials = accounts
        .credentials("sara.blu@comune.orvieto.tr.it")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credentials.password_hash.as_deref(), Some("$argon2id$sua"));
}
