//! A browser for in-process tests: keeps cookies, reads the CSRF token of the last form it
//! was shown, sends forms the way a browser does, and comes from a fixed address.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, header};

use crate::{TestApp, TestResponse};

pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
    /// The `csrf` field of the last page that had a form.
    pub csrf: Option<String>,
    pub address: String,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            cookies: BTreeMap::new(),
            csrf: None,
            address: "192.0.2.1".into(),
        }
    }

    pub fn from_address(mut self, address: &str) -> Self {
        self.address = address.into();
        self
    }

    /// Plants a cookie, as another site or a shared computer could.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    fn remember(&mut self, response: &TestResponse) {
        for value in response.headers.get_all(header::SET_COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let expired = text.contains("Max-Age=0");
                if expired || value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        if let Some(token) = form_field(&response.body, "csrf") {
            self.csrf = Some(token);
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, uri: &str) -> TestResponse {
        let request = Request::get(uri)
            .header(header::COOKIE, self.cookie_header())
            .header("x-forwarded-for", &self.address)
            .body(Body::empty())
            .unwrap();
        let response = self.app.request(request).await;
        self.remember(&response);
        response
    }

    /// Posts `fields` with the CSRF token of the last form seen.
    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.csrf.clone().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(uri, &all, &[]).await
    }

    /// Posts exactly `fields`, with extra headers.
    pub async fn post_raw(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, self.cookie_header())
            .header("x-forwarded-for", &self.address);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .app
            .request(request.body(Body::from(body)).unwrap())
            .await;
        self.remember(&response);
        response
    }

    /// Posts a `multipart/form-data` form as a browser does: the CSRF token of the last form
    /// seen first, then `fields`, then `file` (field name, file name, content) if any.
    pub async fn post_multipart(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> TestResponse {
        const BOUNDARY: &str = "----riusa-prova-7MA4YWxkTrZu0gW";
        let token = self.csrf.clone().unwrap_or_default();
        let mut body = Vec::new();
        for (name, value) in [("csrf", token.as_str())].iter().chain(fields) {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, file_name, content)) = file {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(uri)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::CONTENT_LENGTH, body.len())
            .header(header::COOKIE, self.cookie_header())
            .header("x-forwarded-for", &self.address)
            .body(Body::from(body))
            .unwrap();
        let response = self.app.request(request).await;
        self.remember(&response);
        response
    }

    /// Opens `form_page` and submits its form with `fields`.
    pub async fn submit(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let page = self.get(form_page).await;
        assert!(page.status.is_success(), "{form_page}: {}", page.status);
        self.post(action, fields).await
    }

    /// Signs in with a password (the account must exist and be confirmed).
    pub async fn sign_in(&mut self, email: &str, password: &str) -> TestResponse {
        let response = self
            .submit(
                "/accedi",
                "/accedi",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            response.status, 303,
            "sign-in of {email}: {}",
            response.body
        );
        response
    }
}

/// The value of the first `<input name="NAME" value="…">` of a page.
pub fn form_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(
        html[start..start + end]
            .replace("&#x2b;", "+")
            .replace("&#x2f;", "/"),
    )
}

pub fn location(response: &TestResponse) -> &str {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}
