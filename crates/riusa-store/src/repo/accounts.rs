//! Accounts, their roles, and everything that signs them in. Emails and names are personal
//! data: they are read here and nowhere else, never written to the feed or to audit details.
//! Secrets (session ids, tokens, links) arrive already hashed: the store never sees them.

mod oidc;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use riusa_domain::accounts::{Membership, OrgRole, Principal};
use sea_orm::{
    ActiveValue::{Set, Unchanged},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::write::{Actor, AuditEntry, NewNotification, Recipient, Write};
use crate::entities::{
    access_token, account, invitation, membership, one_time_token, organization, session,
};
use crate::{Page, Store, StoreError};

/// Sessions seen within this long are not written again: a page view is not a database write.
const SESSION_TOUCH_INTERVAL_SECS: i64 = 60;
/// Token use is recorded at most this often per token in `last_used_at` (every use is audited).
const TOKEN_TOUCH_INTERVAL_SECS: i64 = 60;

/// An account to create (email and name already normalised by the domain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub is_editor: bool,
    pub email_confirmed: bool,
}

/// An account as admins and its owner see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub is_editor: bool,
    pub confirmed: bool,
    pub disabled: bool,
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
    pub memberships: Vec<Membership>,
}

/// What a sign-in with a password checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub account_id: Uuid,
    pub password_hash: Option<String>,
    pub confirmed: bool,
    pub disabled: bool,
}

/// A signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub principal: Principal,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// A personal access token as its owner sees it (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenView {
    pub id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

/// What a single-use link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    ConfirmEmail,
    ResetPassword,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::ConfirmEmail => "confirm_email",
            LinkPurpose::ResetPassword => "reset_password",
        }
    }
}

/// An invitation as the invited person and the coordinator see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationView {
    pub id: Uuid,
    pub email: String,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub role: OrgRole,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted: bool,
    pub revoked: bool,
}

impl InvitationView {
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        !self.accepted && !self.revoked && now < self.expires_at
    }
}

pub struct AccountRepo<'a> {
    store: &'a Store,
}

impl<'a> AccountRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// Creates an account; an email already registered is a conflict on `email`.
    pub async fn create(
        &self,
        new: NewAccount,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Uuid, StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let id = Uuid::now_v7();
        insert_account(&write.txn, id, &new, now).await?;
        write.audit(
            AuditEntry::new("account.create")
                .on("account", id)
                .with("admin", new.is_admin)
                .with("editor", new.is_editor),
        );
        write.commit().await?;
        Ok(id)
    }

    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        Ok(account::Entity::find()
            .filter(account::Column::Email.eq(email))
            .one(self.store.connection())
            .await?
            .map(|row| Credentials {
                account_id: row.id,
                password_hash: row.password_hash,
                confirmed: row.email_confirmed_at.is_some(),
                disabled: row.disabled_at.is_some(),
            }))
    }

    pub async fn id_by_email(&self, email: &str) -> Result<Option<Uuid>, StoreError> {
        Ok(self.credentials(email).await?.map(|c| c.account_id))
    }

    /// One account with its memberships.
    pub async fn view(&self, id: Uuid) -> Result<AccountView, StoreError> {
        let conn = self.store.connection();
        let row = account::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut memberships = memberships_of(conn, &[id]).await?;
        Ok(account_view(
            row,
            memberships.remove(&id).unwrap_or_default(),
        ))
    }

    /// Accounts by email, for admins; every listing is an audit event (personal data read).
    pub async fn list(
        &self,
        query: Option<&str>,
        offset: u64,
        limit: u64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Page<AccountView>, StoreError> {
        let conn = self.store.connection();
        let mut condition = Condition::all();
        if let Some(query) = query.filter(|q| !q.is_empty()) {
            let pattern = format!("%{}%", query.to_lowercase());
            condition = condition.add(
                Condition::any()
                    .add(account::Column::Email.like(pattern.clone()))
                    .add(account::Column::Name.like(pattern)),
            );
        }
        let select = account::Entity::find().filter(condition);
        let total = select.clone().count(conn).await?;
        let rows = select
            .order_by_asc(account::Column::Email)
            .offset(offset)
            .limit(limit)
            .all(conn)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut memberships = memberships_of(conn, &ids).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let own = memberships.remove(&row.id).unwrap_or_default();
                account_view(row, own)
            })
            .collect();
        self.record(
            actor,
            AuditEntry::new("account.list").with("returned", ids.len()),
            now,
        )
        .await?;
        Ok(Page { items, total })
    }

    /// Who an account is for authorisation; `None` when it is disabled or gone.
    pub async fn principal(&self, id: Uuid) -> Result<Option<Principal>, StoreError> {
        let conn = self.store.connection();
        let Some(row) = account::Entity::find_by_id(id).one(conn).await? else {
            return Ok(None);
        };
        if row.disabled_at.is_some() {
            return Ok(None);
        }
        let mut memberships = memberships_of(conn, &[id]).await?;
        Ok(Some(Principal {
            account_id: id,
            is_admin: row.is_admin,
            is_editor: row.is_editor,
            memberships: memberships.remove(&id).unwrap_or_default(),
        }))
    }

    /// Replaces the password; every session of the account ends (a reset locks out whoever
    /// knew the old one).
    pub async fn set_password(
        &self,
        id: Uuid,
        password_hash: String,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        account::Entity::update(account::ActiveModel {
            id: Unchanged(id),
            password_hash: Set(Some(password_hash)),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&write.txn)
        .await?;
        session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(id))
            .exec(&write.txn)
            .await?;
        write.audit(AuditEntry::new("account.password_change").on("account", id));
        write.commit().await
    }

    pub async fn confirm_email(
        &self,
        id: Uuid,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        account::Entity::update_many()
            .filter(account::Column::Id.eq(id))
            .filter(account::Column::EmailConfirmedAt.is_null())
            .col_expr(account::Column::EmailConfirmedAt, now.into())
            .exec(&write.txn)
            .await?;
        write.audit(AuditEntry::new("account.confirm_email").on("account", id));
        write.commit().await
    }

    /// Platform roles (admin, editor); each change is an audit event.
    pub async fn set_platform_roles(
        &self,
        id: Uuid,
        is_admin: bool,
        is_editor: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let updated = account::Entity::update_many()
            .filter(account::Column::Id.eq(id))
            .col_expr(account::Column::IsAdmin, is_admin.into())
            .col_expr(account::Column::IsEditor, is_editor.into())
            .col_expr(account::Column::UpdatedAt, now.into())
            .exec(&write.txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        write.audit(
            AuditEntry::new("account.roles")
                .on("account", id)
                .with("admin", is_admin)
                .with("editor", is_editor),
        );
        write.commit().await
    }

    /// Sets (or, with `None`, removes) an account's role in an administration.
    pub async fn set_membership(
        &self,
        account_id: Uuid,
        organization_id: Uuid,
        role: Option<OrgRole>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        membership::Entity::delete_by_id((account_id, organization_id))
            .exec(&write.txn)
            .await?;
        if let Some(role) = role {
            membership::Entity::insert(membership::ActiveModel {
                account_id: Set(account_id),
                organization_id: Set(organization_id),
                role: Set(role.as_str().to_owned()),
                created_at: Set(now),
            })
            .exec_without_returning(&write.txn)
            .await?;
        }
        write.audit(
            AuditEntry::new("membership.set")
                .on("account", account_id)
                .with("organization", organization_id.to_string())
                .with("role", role.map(OrgRole::as_str)),
        );
        write.commit().await
    }

    /// The members of an administration, for its coordinators (an audited read).
    pub async fn members_of(
        &self,
        organization_id: Uuid,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<(AccountView, OrgRole)>, StoreError> {
        let conn = self.store.connection();
        let links = membership::Entity::find()
            .filter(membership::Column::OrganizationId.eq(organization_id))
            .all(conn)
            .await?;
        let roles: HashMap<Uuid, OrgRole> = links
            .iter()
            .filter_map(|l| OrgRole::parse(&l.role).map(|r| (l.account_id, r)))
            .collect();
        let rows = account::Entity::find()
            .filter(account::Column::Id.is_in(roles.keys().copied()))
            .order_by_asc(account::Column::Name)
            .all(conn)
            .await?;
        let mut memberships =
            memberships_of(conn, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
        self.record(
            actor,
            AuditEntry::new("membership.list").with("organization", organization_id.to_string()),
            now,
        )
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let role = roles.get(&row.id).copied()?;
                let own = memberships.remove(&row.id).unwrap_or_default();
                Some((account_view(row, own), role))
            })
            .collect())
    }

    /// Disables an account: it cannot sign in, its sessions end and its tokens stop working.
    pub async fn disable(
        &self,
        id: Uuid,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let updated = account::Entity::update_many()
            .filter(account::Column::Id.eq(id))
            .col_expr(account::Column::DisabledAt, now.into())
            .col_expr(account::Column::UpdatedAt, now.into())
            .exec(&write.txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(id))
            .exec(&write.txn)
            .await?;
        write.audit(AuditEntry::new("account.disable").on("account", id));
        write.commit().await
    }

    /// Starts a session for a successful sign-in (the sign-in is the audit event).
    pub async fn start_session(
        &self,
        account_id: Uuid,
        id_hash: String,
        expires_at: DateTime<Utc>,
        method: &'static str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        session::Entity::insert(session::ActiveModel {
            id_hash: Set(id_hash),
            account_id: Set(account_id),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(expires_at),
        })
        .exec_without_returning(&write.txn)
        .await?;
        // Expired sessions of anybody are swept at each sign-in: no job needed.
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(now))
            .exec(&write.txn)
            .await?;
        write.audit(
            AuditEntry::new("session.sign_in")
                .on("account", account_id)
                .with("method", method),
        );
        write.commit().await
    }

    /// The session with this id hash if it is neither expired nor idle longer than `idle`.
    pub async fn session(
        &self,
        id_hash: &str,
        idle: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionView>, StoreError> {
        let conn = self.store.connection();
        let Some(row) = session::Entity::find_by_id(id_hash.to_owned())
            .one(conn)
            .await?
        else {
            return Ok(None);
        };
        if row.expires_at <= now || row.last_seen_at + idle <= now {
            session::Entity::delete_by_id(row.id_hash)
                .exec(conn)
                .await?;
            return Ok(None);
        }
        let Some(principal) = self.principal(row.account_id).await? else {
            return Ok(None);
        };
        if now - row.last_seen_at > Duration::seconds(SESSION_TOUCH_INTERVAL_SECS) {
            session::Entity::update(session::ActiveModel {
                id_hash: Unchanged(row.id_hash.clone()),
                last_seen_at: Set(now),
                ..Default::default()
            })
            .exec(conn)
            .await?;
        }
        let name = account::Entity::find_by_id(row.account_id)
            .select_only()
            .column(account::Column::Name)
            .into_tuple::<String>()
            .one(conn)
            .await?
            .unwrap_or_default();
        Ok(Some(SessionView {
            principal,
            name,
            created_at: row.created_at,
        }))
    }

    pub async fn end_session(
        &self,
        id_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let removed = session::Entity::delete_by_id(id_hash.to_owned())
            .exec(&write.txn)
            .await?;
        if removed.rows_affected > 0
            && let Some(account_id) = actor.account_id
        {
            write.audit(AuditEntry::new("session.sign_out").on("account", account_id));
        }
        write.commit().await
    }

    /// Creates a personal access token (its value was shown once and is not kept).
    pub async fn create_token(
        &self,
        account_id: Uuid,
        label: String,
        token_hash: String,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Uuid, StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let id = Uuid::now_v7();
        access_token::Entity::insert(access_token::ActiveModel {
            id: Set(id),
            account_id: Set(account_id),
            label: Set(label),
            token_hash: Set(token_hash),
            created_at: Set(now),
            last_used_at: Set(None),
            revoked_at: Set(None),
        })
        .exec_without_returning(&write.txn)
        .await?;
        write.audit(
            AuditEntry::new("token.create")
                .on("account", account_id)
                .with("token", id.to_string()),
        );
        write.commit().await?;
        Ok(id)
    }

    pub async fn tokens(&self, account_id: Uuid) -> Result<Vec<TokenView>, StoreError> {
        Ok(access_token::Entity::find()
            .filter(access_token::Column::AccountId.eq(account_id))
            .order_by_desc(access_token::Column::CreatedAt)
            .all(self.store.connection())
            .await?
            .into_iter()
            .map(|row| TokenView {
                id: row.id,
                label: row.label,
                created_at: row.created_at,
                last_used_at: row.last_used_at,
                revoked: row.revoked_at.is_some(),
            })
            .collect())
    }

    /// Revokes one of the account's own tokens.
    pub async fn revoke_token(
        &self,
        account_id: Uuid,
        token_id: Uuid,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let updated = access_token::Entity::update_many()
            .filter(access_token::Column::Id.eq(token_id))
            .filter(access_token::Column::AccountId.eq(account_id))
            .filter(access_token::Column::RevokedAt.is_null())
            .col_expr(access_token::Column::RevokedAt, now.into())
            .exec(&write.txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        write.audit(
            AuditEntry::new("token.revoke")
                .on("account", account_id)
                .with("token", token_id.to_string()),
        );
        write.commit().await
    }

    /// The principal a token stands for; each use is an audit event.
    pub async fn principal_by_token(
        &self,
        token_hash: &str,
        ip: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Option<Principal>, StoreError> {
        let conn = self.store.connection();
        let Some(row) = access_token::Entity::find()
            .filter(access_token::Column::TokenHash.eq(token_hash))
            .one(conn)
            .await?
        else {
            return Ok(None);
        };
        if row.revoked_at.is_some() {
            return Ok(None);
        }
        let Some(principal) = self.principal(row.account_id).await? else {
            return Ok(None);
        };
        let actor = Actor::account(row.account_id, ip);
        let mut write = Write::begin_unordered(self.store, &actor, now).await?;
        let stale = row
            .last_used_at
            .is_none_or(|at| now - at > Duration::seconds(TOKEN_TOUCH_INTERVAL_SECS));
        if stale {
            access_token::Entity::update(access_token::ActiveModel {
                id: Unchanged(row.id),
                last_used_at: Set(Some(now)),
                ..Default::default()
            })
            .exec(&write.txn)
            .await?;
        }
        write.audit(
            AuditEntry::new("token.use")
                .on("account", row.account_id)
                .with("token", row.id.to_string()),
        );
        write.commit().await?;
        Ok(Some(principal))
    }

    /// Stores a single-use link for an account and queues the email that carries `link`.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_link(
        &self,
        account_id: Uuid,
        purpose: LinkPurpose,
        token_hash: String,
        link: String,
        expires_at: DateTime<Utc>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        one_time_token::Entity::insert(one_time_token::ActiveModel {
            token_hash: Set(token_hash),
            purpose: Set(purpose.as_str().to_owned()),
            account_id: Set(account_id),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
        })
        .exec_without_returning(&write.txn)
        .await?;
        write.audit(
            AuditEntry::new(match purpose {
                LinkPurpose::ConfirmEmail => "account.confirmation_sent",
                LinkPurpose::ResetPassword => "account.reset_requested",
            })
            .on("account", account_id),
        );
        write.notify(NewNotification {
            recipient: Recipient::Account(account_id),
            kind: match purpose {
                LinkPurpose::ConfirmEmail => "account.confirm_email",
                LinkPurpose::ResetPassword => "account.reset_password",
            },
            practice_id: None,
            params: serde_json::json!({ "link": link, "expires_at": expires_at }),
            email: true,
        });
        write.commit().await
    }

    /// Uses a single-use link: the account it was for, once, before it expires.
    pub async fn consume_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<Uuid>, StoreError> {
        let conn = self.store.connection();
        let Some(row) = one_time_token::Entity::find_by_id(token_hash.to_owned())
            .one(conn)
            .await?
        else {
            return Ok(None);
        };
        if row.purpose != purpose.as_str() || row.used_at.is_some() || row.expires_at <= now {
            return Ok(None);
        }
        // The condition on `used_at` makes a second, concurrent use update nothing.
        let used = one_time_token::Entity::update_many()
            .filter(one_time_token::Column::TokenHash.eq(token_hash))
            .filter(one_time_token::Column::UsedAt.is_null())
            .col_expr(one_time_token::Column::UsedAt, now.into())
            .exec(conn)
            .await?;
        Ok((used.rows_affected == 1).then_some(row.account_id))
    }

    /// Records an invitation to an administration and queues the email that carries `link`.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_invitation(
        &self,
        email: String,
        organization_id: Uuid,
        role: OrgRole,
        token_hash: String,
        link: String,
        expires_at: DateTime<Utc>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Uuid, StoreError> {
        let invited_by = actor.account_id.ok_or_else(|| {
            StoreError::corrupt("invitation.invited_by", "an invitation needs an inviter")
        })?;
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let id = Uuid::now_v7();
        let names = organization_names(&write.txn, [organization_id]).await?;
        let inviter = account::Entity::find_by_id(invited_by)
            .select_only()
            .column(account::Column::Name)
            .into_tuple::<String>()
            .one(&write.txn)
            .await?
            .unwrap_or_default();
        // Somebody who already has an account is told in the inbox as well.
        let existing = account::Entity::find()
            .filter(account::Column::Email.eq(email.as_str()))
            .select_only()
            .column(account::Column::Id)
            .into_tuple::<Uuid>()
            .one(&write.txn)
            .await?;
        write.notify(NewNotification {
            recipient: match existing {
                Some(account) => Recipient::Account(account),
                None => Recipient::Address(email.clone()),
            },
            kind: "invitation",
            practice_id: None,
            params: serde_json::json!({
                "link": link,
                "organization": names.get(&organization_id).map(|(_, name)| name.clone()),
                "role": role.as_str(),
                "inviter": inviter,
                "expires_at": expires_at,
            }),
            email: true,
        });
        invitation::Entity::insert(invitation::ActiveModel {
            id: Set(id),
            token_hash: Set(token_hash),
            email: Set(email),
            organization_id: Set(organization_id),
            role: Set(role.as_str().to_owned()),
            invited_by: Set(invited_by),
            created_at: Set(now),
            expires_at: Set(expires_at),
            accepted_at: Set(None),
            accepted_by: Set(None),
            revoked_at: Set(None),
        })
        .exec_without_returning(&write.txn)
        .await?;
        write.audit(
            AuditEntry::new("invitation.create")
                .on("invitation", id)
                .with("organization", organization_id.to_string())
                .with("role", role.as_str()),
        );
        write.commit().await?;
        Ok(id)
    }

    pub async fn invitation(&self, token_hash: &str) -> Result<InvitationView, StoreError> {
        let conn = self.store.connection();
        let row = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(token_hash))
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut views = invitation_views(conn, vec![row]).await?;
        views.pop().ok_or(StoreError::NotFound)
    }

    /// Open and past invitations of an administration, newest first.
    pub async fn invitations_of(
        &self,
        organization_id: Uuid,
    ) -> Result<Vec<InvitationView>, StoreError> {
        let conn = self.store.connection();
        let rows = invitation::Entity::find()
            .filter(invitation::Column::OrganizationId.eq(organization_id))
            .order_by_desc(invitation::Column::CreatedAt)
            .limit(200)
            .all(conn)
            .await?;
        invitation_views(conn, rows).await
    }

    /// Invitations created by this account since `since` (for the rate limit).
    pub async fn invitations_sent_since(
        &self,
        account_id: Uuid,
        since: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(invitation::Entity::find()
            .filter(invitation::Column::InvitedBy.eq(account_id))
            .filter(invitation::Column::CreatedAt.gte(since))
            .count(self.store.connection())
            .await?)
    }

    /// Accepts an invitation for `account_id`: once, before it expires; the membership is
    /// written in the same transaction (a stronger role already held is kept).
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        account_id: Uuid,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<InvitationView, StoreError> {
        let invitation = self.invitation(token_hash).await?;
        if !invitation.is_open(now) {
            return Err(StoreError::NotFound);
        }
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        let accepted = invitation::Entity::update_many()
            .filter(invitation::Column::Id.eq(invitation.id))
            .filter(invitation::Column::AcceptedAt.is_null())
            .col_expr(invitation::Column::AcceptedAt, now.into())
            .col_expr(invitation::Column::AcceptedBy, Some(account_id).into())
            .exec(&write.txn)
            .await?;
        if accepted.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        let current = membership::Entity::find_by_id((account_id, invitation.organization_id))
            .one(&write.txn)
            .await?;
        let keep = current
            .as_ref()
            .is_some_and(|m| m.role == OrgRole::Coordinator.as_str());
        if !keep {
            membership::Entity::delete_by_id((account_id, invitation.organization_id))
                .exec(&write.txn)
                .await?;
            membership::Entity::insert(membership::ActiveModel {
                account_id: Set(account_id),
                organization_id: Set(invitation.organization_id),
                role: Set(invitation.role.as_str().to_owned()),
                created_at: Set(now),
            })
            .exec_without_returning(&write.txn)
            .await?;
        }
        write.audit(
            AuditEntry::new("invitation.accept")
                .on("invitation", invitation.id)
                .with("account", account_id.to_string()),
        );
        write.commit().await?;
        Ok(invitation)
    }

    /// Records an event that changes no row (a failed sign-in, a refused request).
    pub async fn record(
        &self,
        actor: &Actor,
        entry: AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut write = Write::begin_unordered(self.store, actor, now).await?;
        write.audit(entry);
        write.commit().await
    }
}

async fn insert_account(
    conn: &impl ConnectionTrait,
    id: Uuid,
    new: &NewAccount,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    account::Entity::insert(account::ActiveModel {
        id: Set(id),
        email: Set(new.email.clone()),
        name: Set(new.name.clone()),
        password_hash: Set(new.password_hash.clone()),
        email_confirmed_at: Set(new.email_confirmed.then_some(now)),
        is_admin: Set(new.is_admin),
        is_editor: Set(new.is_editor),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

fn account_view(row: account::Model, memberships: Vec<Membership>) -> AccountView {
    AccountView {
        id: row.id,
        email: row.email,
        name: row.name,
        is_admin: row.is_admin,
        is_editor: row.is_editor,
        confirmed: row.email_confirmed_at.is_some(),
        disabled: row.disabled_at.is_some(),
        has_password: row.password_hash.is_some(),
        created_at: row.created_at,
        memberships,
    }
}

async fn organization_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, (String, String)>, StoreError> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .select_only()
        .column(organization::Column::Id)
        .column(organization::Column::IpaCode)
        .column(organization::Column::Name)
        .into_tuple::<(Uuid, String, String)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, ipa, name)| (id, (ipa, name)))
        .collect())
}

async fn memberships_of(
    conn: &impl ConnectionTrait,
    accounts: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Membership>>, StoreError> {
    if accounts.is_empty() {
        return Ok(HashMap::new());
    }
    let links = membership::Entity::find()
        .filter(membership::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    let names = organization_names(conn, links.iter().map(|l| l.organization_id)).await?;
    let mut by_account: HashMap<Uuid, Vec<Membership>> = HashMap::new();
    for link in links {
        let role = OrgRole::parse(&link.role)
            .ok_or_else(|| StoreError::corrupt("membership.role", &link.role))?;
        let (ipa_code, organization_name) = names
            .get(&link.organization_id)
            .cloned()
            .unwrap_or_default();
        by_account
            .entry(link.account_id)
            .or_default()
            .push(Membership {
                organization_id: link.organization_id,
                ipa_code,
                organization_name,
                role,
            });
    }
    for memberships in by_account.values_mut() {
        memberships.sort_by(|a, b| a.organization_name.cmp(&b.organization_name));
    }
    Ok(by_account)
}

async fn invitation_views(
    conn: &impl ConnectionTrait,
    rows: Vec<invitation::Model>,
) -> Result<Vec<InvitationView>, StoreError> {
    let names = organization_names(conn, rows.iter().map(|r| r.organization_id)).await?;
    rows.into_iter()
        .map(|row| {
            Ok(InvitationView {
                id: row.id,
                role: OrgRole::parse(&row.role)
                    .ok_or_else(|| StoreError::corrupt("invitation.role", &row.role))?,
                organization_name: names
                    .get(&row.organization_id)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                email: row.email,
                organization_id: row.organization_id,
                created_at: row.created_at,
                expires_at: row.expires_at,
                accepted: row.accepted_at.is_some(),
                revoked: row.revoked_at.is_some(),
            })
        })
        .collect()
}

/// The names of these accounts (the people who wrote, reviewed or did something), by id.
pub(crate) async fn account_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, StoreError> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::Name)
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}
