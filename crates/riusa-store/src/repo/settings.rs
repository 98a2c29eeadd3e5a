//! Server-wide values every node must share, created by whichever node needs one first.

use sea_orm::{ActiveValue::Set, EntityTrait};

use crate::entities::setting;
use crate::{Store, StoreError};

pub struct SettingRepo<'a> {
    store: &'a Store,
}

impl<'a> SettingRepo<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        Self { store }
    }

    /// The value of `key`, or `generate()` stored as its value. Two nodes racing on a fresh
    /// database both read back the one that was inserted first.
    pub async fn get_or_create(
        &self,
        key: &str,
        generate: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        let conn = self.store.connection();
        if let Some(row) = setting::Entity::find_by_id(key.to_owned())
            .one(conn)
            .await?
        {
            return Ok(row.value);
        }
        let inserted = setting::Entity::insert(setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(generate()),
        })
        .exec_without_returning(conn)
        .await
        .map_err(StoreError::from);
        match inserted {
            Ok(_) | Err(StoreError::Conflict { .. }) => {}
            Err(error) => return Err(error),
        }
        setting::Entity::find_by_id(key.to_owned())
            .one(conn)
            .await?
            .map(|row| row.value)
            .ok_or(StoreError::NotFound)
    }
}
