//! The mail job: sends the emails the store queued with the changes they announce. It runs
//! on every node; each email is claimed with a lease before it is sent, so none goes twice.
//! A failure is retried with back-off (1, 2, 4 … 128 minutes) and given up after the eighth
//! attempt, or at once when the server refuses for good (a 5xx reply). Requests never wait
//! for it.
//!
//! Without an SMTP server (a laptop, the demo) messages are written as `.eml` files to a
//! folder, where they can be opened with any mail program.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use riusa_store::{OutgoingEmail, Store};
use tokio::sync::watch;

use crate::{WebConfig, messages};

/// Emails claimed per round.
const BATCH: u64 = 20;
/// How long a claimed email is reserved for the node that claimed it.
const LEASE_SECS: i64 = 120;
const MAX_ATTEMPTS: u32 = 8;

/// Where emails go.
#[derive(Debug, Clone)]
pub enum MailTarget {
    /// `smtp://host:port`, `smtps://user:password@host` (lettre's URL form).
    Smtp(String),
    /// A folder for `.eml` files.
    Folder(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail server address not usable: {0}")]
    Config(String),
    #[error("sender address not valid: {0}")]
    From(String),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

/// What the job reports for one email it could not send.
struct Failure {
    message: String,
    permanent: bool,
}

pub struct MailJob {
    store: Store,
    config: std::sync::Arc<WebConfig>,
    transport: Transport,
    from: Mailbox,
}

impl MailJob {
    pub fn new(
        store: Store,
        config: std::sync::Arc<WebConfig>,
        target: &MailTarget,
        from: &str,
    ) -> Result<MailJob, MailError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::From(e.to_string()))?;
        let transport = match target {
            MailTarget::Smtp(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Config(e.to_string()))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            MailTarget::Folder(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| MailError::Config(e.to_string()))?;
                Transport::Folder(AsyncFileTransport::<Tokio1Executor>::new(dir))
            }
        };
        Ok(MailJob {
            store,
            config,
            transport,
            from,
        })
    }

    /// Sends every email due now; returns how many went out.
    pub async fn send_due(&self, now: DateTime<Utc>) -> Result<usize, riusa_store::StoreError> {
        let notifications = self.store.notifications();
        let due = notifications
            .claim_due(now, BATCH, chrono::Duration::seconds(LEASE_SECS))
            .await?;
        let mut sent = 0;
        for email in due {
            match self.send(&email).await {
                Ok(()) => {
                    notifications.mark_sent(email.id, Utc::now()).await?;
                    sent += 1;
                }
                Err(failure) => {
                    let attempts = email.attempts + 1;
                    let retry_at = (!failure.permanent && attempts < MAX_ATTEMPTS)
                        .then(|| now + chrono::Duration::minutes(1_i64 << (attempts - 1).min(10)));
                    // The kind and id say what failed; the address is personal data.
                    tracing::warn!(id = %email.id, kind = %email.kind, attempts, permanent = failure.permanent, error = %failure.message, "email not sent");
                    notifications
                        .mark_failed(email.id, &failure.message, retry_at)
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    async fn send(&self, email: &OutgoingEmail) -> Result<(), Failure> {
        let text = messages::email(
            &email.kind,
            &email.params,
            email.name.as_deref(),
            &self.config,
        )
        .ok_or_else(|| Failure {
            message: format!("no words for notification kind {}", email.kind),
            permanent: true,
        })?;
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|e: lettre::address::AddressError| Failure {
                message: e.to_string(),
                permanent: true,
            })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(text.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text.body)
            .map_err(|e| Failure {
                message: e.to_string(),
                permanent: true,
            })?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| Failure {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Folder(folder) => {
                folder.send(message).await.map(|_| ()).map_err(|e| Failure {
                    message: e.to_string(),
                    permanent: false,
                })
            }
        }
    }

    /// Sends due emails every `interval` until `shutdown` changes.
    pub async fn run(self, interval: Duration, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.send_due(Utc::now()).await {
                tracing::warn!(%error, "mail job could not read the outbox");
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
