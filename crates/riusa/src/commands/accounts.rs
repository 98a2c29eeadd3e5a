//! The operator's account commands. They write as `Actor::operator()`, so every change is in
//! the audit trail like a change made on the web.

use std::io::BufRead;

use anyhow::Context;
use chrono::Utc;
use riusa_domain::accounts::{
    OrgRole, check_password, normalize_email, normalize_name, normalize_token_label,
};
use riusa_store::{AccountView, Actor, NewAccount, Store, StoreError};
use riusa_web::auth::{password, secrets};
use riusa_web::messages;

use super::domain_error;
use crate::config::{AccountAdd, AccountEmail, AccountToken, RoleArg};

/// Accounts read per page by `list` (each page is one audit event).
const LIST_PAGE: u64 = 500;

fn role(arg: RoleArg) -> OrgRole {
    match arg {
        RoleArg::Coordinator => OrgRole::Coordinator,
        RoleArg::Member => OrgRole::Member,
    }
}

/// The account with this address, or an error naming it.
async fn find(store: &Store, raw_email: &str) -> anyhow::Result<AccountView> {
    let email = normalize_email(raw_email).map_err(domain_error)?;
    let id = store
        .accounts()
        .id_by_email(&email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("nessun account con l'email «{email}»"))?;
    Ok(store.accounts().view(id).await?)
}

/// Reads the password from the first line of standard input and hashes it.
async fn password_from_stdin(personal: &[&str]) -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("impossibile leggere la password dallo standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    anyhow::ensure!(
        !password.is_empty(),
        "nessuna password sullo standard input (una riga, per esempio: echo \"$PASSWORD\" | riusa accounts add …)"
    );
    check_password(&password, personal).map_err(domain_error)?;
    tokio::task::spawn_blocking(move || password::hash_blocking(&password))
        .await?
        .map_err(|e| anyhow::anyhow!("calcolo dell'impronta della password non riuscito: {e}"))
}

/// The password of the demo's accounts: printed at start, never used outside `--demo`.
pub const DEMO_PASSWORD: &str = "demo-girasole-lampione";

/// People to try the workflow with on the demo: an editor, an administrator, and a
/// coordinator and a member of Regione Umbria. Existing accounts are left alone.
pub async fn demo(store: &Store) -> anyhow::Result<()> {
    let people: [(&str, &str, bool, bool, Option<OrgRole>); 4] = [
        (
            "redazione@demo.riusa.it",
            "Redazione di prova",
            true,
            false,
            None,
        ),
        (
            "amministrazione@demo.riusa.it",
            "Amministrazione di prova",
            false,
            true,
            None,
        ),
        (
            "referente@demo.riusa.it",
            "Referente di prova",
            false,
            false,
            Some(OrgRole::Coordinator),
        ),
        (
            "componente@demo.riusa.it",
            "Componente di prova",
            false,
            false,
            Some(OrgRole::Member),
        ),
    ];
    let accounts = store.accounts();
    let actor = Actor::operator();
    let now = Utc::now();
    let umbria = store.organizations().get_by_ipa("r_umbria").await?;
    let hash = riusa_web::auth::password::hash_blocking(DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for (email, name, editor, admin, role) in people {
        if accounts.id_by_email(email).await?.is_some() {
            continue;
        }
        let id = accounts
            .create(
                NewAccount {
                    email: email.to_owned(),
                    name: name.to_owned(),
                    password_hash: Some(hash.clone()),
                    is_admin: admin,
                    is_editor: editor,
                    email_confirmed: true,
                },
                &actor,
                now,
            )
            .await?;
        if let Some(role) = role {
            accounts
                .set_membership(id, umbria.id, Some(role), &actor, now)
                .await?;
        }
    }
    println!(
        "Account dimostrativi (password «{DEMO_PASSWORD}»): redazione@demo.riusa.it, amministrazione@demo.riusa.it, referente@demo.riusa.it e componente@demo.riusa.it (Regione Umbria)."
    );
    Ok(())
}

/// Creates a confirmed account, or brings an existing one to the roles given.
pub async fn add(store: &Store, args: &AccountAdd) -> anyhow::Result<()> {
    let email = normalize_email(&args.email).map_err(domain_error)?;
    let name = normalize_name(&args.name).map_err(domain_error)?;
    let organization = match &args.organization {
        Some(ipa) => {
            let code = riusa_domain::organizations::normalize_ipa_code(ipa);
            match store.organizations().get_by_ipa(&code).await {
                Ok(found) => Some((found.id, role(args.role.unwrap_or(RoleArg::Member)))),
                Err(StoreError::NotFound) => anyhow::bail!(
                    "--organization: {}",
                    messages::violation(&riusa_domain::Violation::UnknownOrganization {
                        ipa: code
                    })
                ),
                Err(other) => return Err(other.into()),
            }
        }
        None => None,
    };
    let password_hash = if args.password_stdin {
        Some(password_from_stdin(&[&email, &name]).await?)
    } else {
        None
    };
    let accounts = store.accounts();
    let actor = Actor::operator();
    let now = Utc::now();
    let (id, outcome) = match accounts.id_by_email(&email).await? {
        None => {
            let new = NewAccount {
                email: email.clone(),
                name,
                password_hash,
                is_admin: args.admin,
                is_editor: args.editor,
                // The operator vouches for the address: nobody waits for a confirmation email.
                email_confirmed: true,
            };
            let id = accounts.create(new, &actor, now).await?;
            if let Some((organization_id, role)) = &organization {
                accounts
                    .set_membership(id, *organization_id, Some(*role), &actor, now)
                    .await?;
            }
            (id, "creato")
        }
        Some(id) => {
            let current = accounts.view(id).await?;
            let mut changed = false;
            if (current.is_admin, current.is_editor) != (args.admin, args.editor) {
                accounts
                    .set_platform_roles(id, args.admin, args.editor, &actor, now)
                    .await?;
                changed = true;
            }
            if let Some((organization_id, role)) = &organization {
                let held = current
                    .memberships
                    .iter()
                    .find(|m| m.organization_id == *organization_id)
                    .map(|m| m.role);
                if held != Some(*role) {
                    accounts
                        .set_membership(id, *organization_id, Some(*role), &actor, now)
                        .await?;
                    changed = true;
                }
            }
            if let Some(hash) = password_hash {
                accounts.set_password(id, hash, &actor, now).await?;
                changed = true;
            }
            if current.name != name {
                eprintln!(
                    "Nota: l'account esiste già con il nome «{}»; il nome non viene cambiato.",
                    current.name
                );
            }
            let outcome = if changed {
                "già presente, aggiornato"
            } else {
                "già presente, invariato"
            };
            (id, outcome)
        }
    };
    let view = accounts.view(id).await?;
    println!(
        "Account {outcome}: {} — ruoli: {}; enti: {}.",
        view.email,
        roles(&view),
        administrations(&view)
    );
    Ok(())
}

fn roles(view: &AccountView) -> String {
    let mut roles = Vec::new();
    if view.is_admin {
        roles.push("amministratore");
    }
    if view.is_editor {
        roles.push("redazione");
    }
    if roles.is_empty() {
        "nessuno".to_owned()
    } else {
        roles.join(", ")
    }
}

fn administrations(view: &AccountView) -> String {
    if view.memberships.is_empty() {
        return "nessuno".to_owned();
    }
    view.memberships
        .iter()
        .map(|m| {
            let role = match m.role {
                OrgRole::Coordinator => "referente",
                OrgRole::Member => "componente",
            };
            format!("{} ({role})", m.ipa_code)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn state(view: &AccountView) -> &'static str {
    match (view.disabled, view.confirmed) {
        (true, _) => "disattivato",
        (false, true) => "attivo",
        (false, false) => "da confermare",
    }
}

/// Every account, in a table ordered by email.
pub async fn list(store: &Store) -> anyhow::Result<()> {
    let mut rows = vec![[
        "EMAIL".to_owned(),
        "NOME".to_owned(),
        "RUOLI".to_owned(),
        "ENTI".to_owned(),
        "STATO".to_owned(),
    ]];
    let mut offset = 0;
    loop {
        let page = store
            .accounts()
            .list(None, offset, LIST_PAGE, &Actor::operator(), Utc::now())
            .await?;
        let read = page.items.len() as u64;
        rows.extend(page.items.iter().map(|view| {
            [
                view.email.clone(),
                view.name.clone(),
                roles(view),
                administrations(view),
                state(view).to_owned(),
            ]
        }));
        offset += read;
        if read < LIST_PAGE || offset >= page.total {
            break;
        }
    }
    if rows.len() == 1 {
        println!("Nessun account.");
        return Ok(());
    }
    print!("{}", table(&rows));
    Ok(())
}

/// Columns padded to their widest cell (in characters), two spaces apart.
fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Creates a personal access token and prints it, the only time it is shown.
pub async fn token(store: &Store, args: &AccountToken) -> anyhow::Result<()> {
    let label = normalize_token_label(&args.label).map_err(domain_error)?;
    let account = find(store, &args.email).await?;
    anyhow::ensure!(
        !account.disabled,
        "l'account «{}» è disattivato: un token non funzionerebbe",
        account.email
    );
    let token = secrets::new_access_token();
    store
        .accounts()
        .create_token(
            account.id,
            label,
            secrets::digest(&token),
            &Actor::operator(),
            Utc::now(),
        )
        .await?;
    // The token alone on standard output, so that a script can capture it.
    println!("{token}");
    eprintln!(
        "Token creato per {}: conservalo ora, non sarà più mostrato (si revoca dal profilo).",
        account.email
    );
    Ok(())
}

/// Disables an account; one already disabled is left as it is.
pub async fn disable(store: &Store, args: &AccountEmail) -> anyhow::Result<()> {
    let account = find(store, &args.email).await?;
    if account.disabled {
        println!("Account già disattivato: {}.", account.email);
        return Ok(());
    }
    store
        .accounts()
        .disable(account.id, &Actor::operator(), Utc::now())
        .await?;
    println!(
        "Account disattivato: {} (sessioni chiuse, token non più validi).",
        account.email
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_line_up_by_characters() {
        let rows = [
            ["EMAIL".to_owned(), "NOME".to_owned()],
            ["a@b.it".to_owned(), "Niccolò".to_owned()],
        ];
        assert_eq!(table(&rows), "EMAIL   NOME\na@b.it  Niccolò\n");
    }
}
