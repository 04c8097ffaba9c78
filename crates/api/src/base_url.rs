//! The policy for a connection's `base_url`: https to a public address, unless
//! the server runs with `HIRESYNC_ALLOW_PRIVATE_URLS=1` (sandbox, tests). This
//! stops a connection from turning hiresync into a proxy into its own network.

use hiresync_providers::http::address::is_public;
use std::net::IpAddr;
use url::{Host, Url};

/// Checks a base URL; the error says why it is refused.
pub async fn check(raw: &str, allow_private: bool) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err("must be an https URL".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials".into());
    }
    let host = url.host().ok_or("must name a host")?;
    if allow_private {
        return Ok(url);
    }
    let addrs: Vec<IpAddr> = match host {
        Host::Ipv4(ip) => vec![IpAddr::V4(ip)],
        Host::Ipv6(ip) => vec![IpAddr::V6(ip)],
        Host::Domain(name) => {
            let port = url.port_or_known_default().unwrap_or(443);
            tokio::net::lookup_host((name, port))
                .await
                .map_err(|e| format!("host does not resolve: {e}"))?
                .map(|a| a.ip())
                .collect()
        }
    };
    if addrs.is_empty() {
        return Err("host does not resolve".into());
    }
    if addrs.iter().any(|ip| !is_public(*ip)) {
        return Err("resolves to a private, loopback or otherwise special-purpose address".into());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[tokio::test]
    async fn private_and_plain_http_urls_are_refused_unless_allowed() {
        assert!(check("http://api.example.com", false).await.unwrap_err().contains("https"));
        assert!(check("https://127.0.0.1:8080", false).await.unwrap_err().contains("private"));
        assert!(check("https://10.1.2.3", false).await.unwrap_err().contains("private"));
        assert!(check("https://[::1]", false).await.unwrap_err().contains("private"));
        assert!(check("https://169.254.169.254", false).await.unwrap_err().contains("private"));
        assert!(check("https://localhost", false).await.is_err());
        assert!(check("https://u:p@1.1.1.1", false).await.unwrap_err().contains("credentials"));
        assert!(check("https://1.1.1.1", false).await.is_ok());
        assert!(check("http://127.0.0.1:9999", true).await.is_ok());
        assert!(check("ftp://127.0.0.1", true).await.is_err());
    }
}
