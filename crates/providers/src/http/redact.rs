//! Keeps credentials out of logs: auth headers and secret-looking query
//! parameters are replaced before anything is printed.

use http::HeaderMap;

const SECRET_HEADERS: &[&str] =
    &["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"];
const SECRET_PARAMS: &[&str] = &["token", "key", "secret", "password", "signature", "auth"];

/// The headers as `name: value` pairs with credentials replaced by `[REDACTED]`.
pub fn redact_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_ascii_lowercase();
            let value = if SECRET_HEADERS.contains(&name.as_str()) || name.contains("token") || name.contains("secret")
            {
                "[REDACTED]".to_owned()
            } else {
                value.to_str().unwrap_or("[binary]").to_owned()
            };
            (name, value)
        })
        .collect()
}

/// The URL with userinfo and secret-looking query values redacted.
pub fn redact_url(url: &url::Url) -> String {
    let mut url = url.clone();
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let lower = k.to_ascii_lowercase();
                let secret = SECRET_PARAMS.iter().any(|s| lower.contains(s));
                (k.into_owned(), if secret { "[REDACTED]".to_owned() } else { v.into_owned() })
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn auth_headers_and_secret_params_never_print() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", http::HeaderValue::from_static("Bearer abc"));
        headers.insert("x-request-id", http::HeaderValue::from_static("r1"));
        let redacted = redact_headers(&headers);
        assert!(redacted.contains(&("authorization".into(), "[REDACTED]".into())));
        assert!(redacted.contains(&("x-request-id".into(), "r1".into())));

        let url = url::Url::parse("https://u:p@h.example/v3/jobs?api_key=s3cret&per_page=2").unwrap();
        let shown = redact_url(&url);
        assert!(!shown.contains("s3cret") && !shown.contains("u:p"));
        assert!(shown.contains("per_page=2"));
    }
}
