use sea_orm::entity::prelude::*;

/// A person who signs in. Personal data: read through the accounts repository only.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    /// Argon2id PHC string; `None` for accounts that only sign in through OpenID Connect.
    pub password_hash: Option<String>,
    pub email_confirmed_at: Option<DateTimeUtc>,
    pub is_admin: bool,
    pub is_editor: bool,
    pub disabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
