use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string;
use sea_orm_migration::sea_orm::{ConnectionTrait, StatementBuilder};

/// The directory of administrations (decision 0019) matches and sorts names folded the way
/// people type them (`riusa_domain::text::fold`): "citta metropolitana di bari" finds
/// "Citta' Metropolitana di Bari". The column is filled here for the registry already loaded and
/// kept by every registry import, which also rewrites it if the folding rule changes.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("organization")
                    .add_column(string("search_name").default(""))
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        let backend = conn.get_database_backend();
        let select = Query::select()
            .columns(["id", "name"])
            .from("organization")
            .to_owned();
        let rows = conn
            .query_all_raw(StatementBuilder::build(&select, &backend))
            .await?;
        for row in rows {
            let id: uuid::Uuid = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            let update = Query::update()
                .table("organization")
                .value("search_name", riusa_domain::text::fold(&name))
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            conn.execute_raw(StatementBuilder::build(&update, &backend))
                .await?;
        }
        Ok(())
    }
}
