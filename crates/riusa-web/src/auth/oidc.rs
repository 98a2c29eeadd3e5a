//! Signing in through an OpenID Connect provider: authorization code with PKCE (issue 11).
//! SPID and CIE reach riusa through a broker that speaks OpenID Connect, so which claim holds
//! the email, the name and the fiscal number is configured per provider.
//!
//! Nothing of a sign-in in progress is stored: the state, the nonce and the PKCE verifier
//! travel in a short-lived cookie signed with the key every node shares, so the browser may
//! come back to any node. The protocol puts only the state, the nonce and the PKCE challenge
//! in the URL; the verifier never leaves riusa and the browser's cookie.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessToken, AsyncHttpClient, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    HttpRequest, HttpResponse, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

use super::SigningKey;

/// The cookie that carries a sign-in in progress.
pub const FLOW_COOKIE: &str = "riusa_oidc";
/// A sign-in at the provider must come back within this long.
pub const FLOW_MAX_AGE_SECS: i64 = 600;
/// Requests to a provider (discovery, keys, token, userinfo) give up after this long.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// One provider as the configuration describes it.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    /// In the URLs (`/accedi/oidc/{id}`) and in `oidc_identity.provider`: never change it once
    /// people have signed in with it.
    pub id: String,
    /// The button's text, e.g. «Entra con SPID».
    pub label: String,
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Asked for besides `openid`.
    pub scopes: Vec<String>,
    pub claims: ClaimNames,
    /// Whether a first sign-in that matches no account creates one.
    pub create_accounts: bool,
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("id", &self.id)
            .field("label", &self.label)
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("scopes", &self.scopes)
            .field("claims", &self.claims)
            .field("create_accounts", &self.create_accounts)
            .finish()
    }
}

/// Which claims hold what riusa needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    pub email: String,
    pub name: String,
    /// `None`: this provider gives no fiscal number (or riusa is not to read it).
    pub fiscal_number: Option<String>,
}

impl Default for ClaimNames {
    fn default() -> Self {
        ClaimNames {
            email: "email".to_owned(),
            name: "name".to_owned(),
            fiscal_number: None,
        }
    }
}

/// Why a sign-in through a provider did not succeed. Codes, not sentences: the pages say them
/// in Italian, and none carries a claim's value.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("no provider with this id")]
    UnknownProvider,
    #[error("provider unreachable: {0}")]
    Unreachable(String),
    #[error("sign-in state missing, expired or not matching")]
    BadState,
    #[error("the provider answered with error {0}")]
    Denied(String),
    #[error("code exchange failed: {0}")]
    Exchange(String),
    #[error("ID token rejected: {0}")]
    InvalidToken(String),
    #[error("the provider gave no email address")]
    NoEmail,
    #[error("the account is disabled")]
    Disabled,
    #[error("an account has this email, which the provider does not say is verified")]
    EmailNotVerified,
    #[error("no account matches, and this provider may not create one")]
    NoAccount,
}

/// What the provider vouches for, once the ID token is verified.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderIdentity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    /// Whether the provider sent a fiscal number: the number itself is not kept (see
    /// `docs/decisions/0017-oidc-e-codice-fiscale.md`).
    pub has_fiscal_number: bool,
}

/// Debug without the personal data, for logs and test failures.
impl std::fmt::Debug for ProviderIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderIdentity")
            .field("email_verified", &self.email_verified)
            .field("has_fiscal_number", &self.has_fiscal_number)
            .finish_non_exhaustive()
    }
}

/// The configured providers, with their discovery documents once fetched.
#[derive(Debug, Clone, Default)]
pub struct Providers {
    list: Vec<Arc<Provider>>,
    http: HttpClient,
}

#[derive(Debug)]
struct Provider {
    config: ProviderConfig,
    /// Fetched at the first sign-in and kept; a failure is not kept, so the next one retries.
    metadata: Mutex<Option<CoreProviderMetadata>>,
}

impl Providers {
    pub fn new(configs: Vec<ProviderConfig>) -> Providers {
        Providers {
            list: configs
                .into_iter()
                .map(|config| {
                    Arc::new(Provider {
                        config,
                        metadata: Mutex::new(None),
                    })
                })
                .collect(),
            http: HttpClient::default(),
        }
    }

    /// Id and label of each provider, in the configured order (the sign-in page's buttons).
    pub fn buttons(&self) -> Vec<(String, String)> {
        self.list
            .iter()
            .map(|p| (p.config.id.clone(), p.config.label.clone()))
            .collect()
    }

    pub fn config(&self, id: &str) -> Option<&ProviderConfig> {
        self.find(id).ok().map(|p| &p.config)
    }

    fn find(&self, id: &str) -> Result<&Arc<Provider>, OidcError> {
        self.list
            .iter()
            .find(|p| p.config.id == id)
            .ok_or(OidcError::UnknownProvider)
    }

    async fn client(
        &self,
        id: &str,
        redirect: &str,
    ) -> Result<(&Provider, CoreProviderMetadata, RedirectUrl), OidcError> {
        let provider = self.find(id)?;
        let metadata = {
            let mut cached = provider.metadata.lock().await;
            match cached.as_ref() {
                Some(metadata) => metadata.clone(),
                None => {
                    let issuer = IssuerUrl::new(provider.config.issuer_url.clone())
                        .map_err(|e| OidcError::Unreachable(e.to_string()))?;
                    let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
                        .await
                        .map_err(|e| OidcError::Unreachable(e.to_string()))?;
                    *cached = Some(metadata.clone());
                    metadata
                }
            }
        };
        let redirect = RedirectUrl::new(redirect.to_owned())
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        Ok((provider, metadata, redirect))
    }

    /// Where to send the browser, and the cookie that remembers what to check on its return.
    pub async fn begin(
        &self,
        id: &str,
        redirect: &str,
        return_to: &str,
        key: &SigningKey,
        now: DateTime<Utc>,
    ) -> Result<(String, String), OidcError> {
        let (provider, metadata, redirect) = self.client(id, redirect).await?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(provider.config.client_id.clone()),
            Some(ClientSecret::new(provider.config.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &provider.config.scopes {
            if scope != "openid" {
                request = request.add_scope(Scope::new(scope.clone()));
            }
        }
        let (url, state, nonce) = request.url();
        let flow = Flow {
            provider: id.to_owned(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            return_to: return_to.to_owned(),
            expires: now.timestamp() + FLOW_MAX_AGE_SECS,
        };
        Ok((url.to_string(), flow.seal(key)))
    }

    /// Checks the browser's return against its cookie, exchanges the code and verifies the ID
    /// token (signature, issuer, audience, expiry, nonce); the page to return to comes along.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish(
        &self,
        id: &str,
        redirect: &str,
        cookie: Option<&str>,
        returned: Return,
        key: &SigningKey,
        now: DateTime<Utc>,
    ) -> Result<(ProviderIdentity, String), OidcError> {
        let flow = cookie
            .and_then(|c| Flow::open(c, key, now))
            .filter(|f| f.provider == id)
            .ok_or(OidcError::BadState)?;
        let state_matches = returned
            .state
            .as_deref()
            .is_some_and(|s| constant_time_eq(s.as_bytes(), flow.state.as_bytes()));
        if !state_matches {
            return Err(OidcError::BadState);
        }
        if let Some(error) = returned.error {
            // An OAuth error code (`access_denied`…), never personal data.
            return Err(OidcError::Denied(error.chars().take(64).collect()));
        }
        let code = returned.code.ok_or(OidcError::BadState)?;
        let (provider, metadata, redirect) = self.client(id, redirect).await?;
        if returned
            .iss
            .as_deref()
            .is_some_and(|iss| iss != metadata.issuer().as_str())
        {
            return Err(OidcError::BadState);
        }
        let userinfo = metadata.userinfo_endpoint().map(|u| u.url().clone());
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(provider.config.client_id.clone()),
            Some(ClientSecret::new(provider.config.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(e.to_string()))?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::InvalidToken("no ID token".into()))?;
        let verified = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(flow.nonce.clone()))
            .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
        let subject = verified.subject().as_str().to_owned();
        // The signature covers the whole payload: its claims can be read as they are, under
        // whatever names this provider uses.
        let mut claims = payload(&id_token.to_string())
            .ok_or_else(|| OidcError::InvalidToken("unreadable payload".into()))?;
        let names = &provider.config.claims;
        if claims.get(&names.email).is_none()
            && let Some(url) = userinfo
        {
            // Some providers keep the profile out of the ID token.
            let extra = self.userinfo(url, response.access_token()).await?;
            if extra.get("sub").and_then(Value::as_str) != Some(subject.as_str()) {
                return Err(OidcError::InvalidToken(
                    "userinfo for another subject".into(),
                ));
            }
            for (name, value) in extra {
                claims.entry(name).or_insert(value);
            }
        }
        let identity = ProviderIdentity {
            email: text_claim(&claims, &names.email),
            email_verified: claims
                .get("email_verified")
                .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true")),
            name: text_claim(&claims, &names.name),
            has_fiscal_number: names
                .fiscal_number
                .as_ref()
                .is_some_and(|name| text_claim(&claims, name).is_some()),
            subject,
        };
        Ok((identity, flow.return_to))
    }

    async fn userinfo(
        &self,
        url: url::Url,
        token: &AccessToken,
    ) -> Result<Map<String, Value>, OidcError> {
        let unreachable = |e: reqwest::Error| OidcError::Unreachable(e.to_string());
        self.http
            .0
            .get(url)
            .bearer_auth(token.secret())
            .header("accept", "application/json")
            .send()
            .await
            .map_err(unreachable)?
            .error_for_status()
            .map_err(unreachable)?
            .json::<Map<String, Value>>()
            .await
            .map_err(|e| OidcError::InvalidToken(format!("userinfo: {e}")))
    }
}

/// What the provider sent back to the callback.
#[derive(Debug, Default, Deserialize)]
pub struct Return {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// The provider that answers (RFC 9207), against mix-up between providers.
    pub iss: Option<String>,
}

/// A sign-in in progress, sealed in its cookie.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Flow {
    provider: String,
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
    /// Unix seconds.
    expires: i64,
}

const FLOW_PURPOSE: &str = "oidc-flow";

impl Flow {
    fn seal(&self, key: &SigningKey) -> String {
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default());
        let signature = key.sign(FLOW_PURPOSE, &body);
        format!("{body}.{signature}")
    }

    fn open(sealed: &str, key: &SigningKey, now: DateTime<Utc>) -> Option<Flow> {
        let (body, signature) = sealed.split_once('.')?;
        if !key.verify(FLOW_PURPOSE, body, signature) {
            return None;
        }
        let flow: Flow = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()?;
        (now.timestamp() < flow.expires).then_some(flow)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The claims of a JWT whose signature was already verified.
fn payload(jwt: &str) -> Option<Map<String, Value>> {
    let part = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?).ok()
}

fn text_claim(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// reqwest for openidconnect: no redirects (a provider's answer that redirects could point
/// riusa's requests anywhere) and a timeout.
#[derive(Debug, Clone)]
struct HttpClient(reqwest::Client);

impl Default for HttpClient {
    fn default() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .unwrap_or_default();
        HttpClient(client)
    }
}

impl<'c> AsyncHttpClient<'c> for HttpClient {
    type Error = reqwest::Error;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, reqwest::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let mut outgoing = self
                .0
                .request(
                    parts.method.as_str().parse().unwrap_or_default(),
                    parts.uri.to_string(),
                )
                .body(body);
            for (name, value) in &parts.headers {
                outgoing = outgoing.header(name.as_str(), value.as_bytes());
            }
            let answer = outgoing.send().await?;
            let status = answer.status().as_u16();
            let headers: HashMap<String, Vec<u8>> = answer
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.as_bytes().to_vec()))
                .collect();
            let bytes = answer.bytes().await?;
            let mut response = openidconnect::http::Response::new(bytes.to_vec());
            *response.status_mut() = openidconnect::http::StatusCode::from_u16(status)
                .unwrap_or(openidconnect::http::StatusCode::BAD_GATEWAY);
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) = (
                    openidconnect::http::HeaderName::from_bytes(name.as_bytes()),
                    openidconnect::http::HeaderValue::from_bytes(&value),
                ) {
                    response.headers_mut().append(name, value);
                }
            }
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow() -> Flow {
        Flow {
            provider: "spid".into(),
            state: "stato".into(),
            nonce: "nonce".into(),
            verifier: "verificatore".into(),
            return_to: "/profilo".into(),
            expires: Utc::now().timestamp() + 60,
        }
    }

    #[test]
    fn a_sealed_flow_opens_only_with_its_key_untouched_and_in_time() {
        let key = SigningKey::random();
        let sealed = flow().seal(&key);
        assert_eq!(Flow::open(&sealed, &key, Utc::now()), Some(flow()));
        assert_eq!(Flow::open(&sealed, &SigningKey::random(), Utc::now()), None);
        let later = Utc::now() + chrono::Duration::seconds(61);
        assert_eq!(Flow::open(&sealed, &key, later), None, "expired");
        let (body, signature) = sealed.split_once('.').unwrap();
        let mut tampered = flow();
        tampered.return_to = "//altrove.example".into();
        let forged_body = tampered.seal(&key);
        let forged = format!("{}.{signature}", forged_body.split_once('.').unwrap().0);
        assert_eq!(Flow::open(&forged, &key, Utc::now()), None);
        assert_eq!(Flow::open(body, &key, Utc::now()), None);
    }

    #[test]
    fn claims_are_read_under_the_configured_names() {
        let claims: Map<String, Value> = serde_json::from_str(
            r#"{"sub":"x","mail":" anna@example.it ","fiscalNumber":"","nome":"Anna"}"#,
        )
        .unwrap();
        assert_eq!(
            text_claim(&claims, "mail").as_deref(),
            Some("anna@example.it")
        );
        assert_eq!(text_claim(&claims, "fiscalNumber"), None, "empty is absent");
        assert_eq!(text_claim(&claims, "email"), None);
        let jwt = format!(
            "e30.{}.firma",
            URL_SAFE_NO_PAD.encode(br#"{"sub":"abc","email":"a@b.it"}"#)
        );
        assert_eq!(payload(&jwt).unwrap()["sub"], "abc");
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn the_client_secret_is_not_in_debug() {
        let config = ProviderConfig {
            id: "spid".into(),
            label: "Entra con SPID".into(),
            issuer_url: "https://broker.example.it".into(),
            client_id: "riusa".into(),
            client_secret: "segretissimo".into(),
            scopes: vec!["email".into()],
            claims: ClaimNames::default(),
            create_accounts: true,
        };
        assert!(!format!("{config:?}").contains("segretissimo"));
    }
}
