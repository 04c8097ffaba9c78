//! Building request URLs under a provider's API root, and following the
//! provider's next-page links only while they stay on that root's origin, so
//! a credential is never sent to another host.

use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use url::Url;

fn permanent(provider: ProviderKind, operation: &str, message: String) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, provider, operation, message)
}

/// An API path (`/v3/jobs?per_page=2`) under `base`, keeping the path `base` carries
/// (an API gateway's `https://gw.example.com/teamtailor`), plus query pairs.
pub fn api_url(provider: ProviderKind, base: &Url, path: &str, query: &[(&str, &str)]) -> Result<Url> {
    let mut root = base.clone();
    root.set_query(None);
    root.set_fragment(None);
    let joined = format!("{}/{}", root.as_str().trim_end_matches('/'), path.trim_start_matches('/'));
    let mut url = Url::parse(&joined).map_err(|e| permanent(provider, "build url", e.to_string()))?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

/// An absolute next-page link, refused unless it is on `base`'s origin.
pub fn follow_link(provider: ProviderKind, base: &Url, next: &str) -> Result<Url> {
    let url = Url::parse(next)
        .map_err(|e| permanent(provider, "follow next page", format!("next link is not a URL: {e}")))?;
    if url.origin() != base.origin() {
        return Err(permanent(
            provider,
            "follow next page",
            format!("next link points at another host ({})", url.host_str().unwrap_or("?")),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_only_on_the_api_origin() {
        let base = Url::parse("https://api.example.com/").unwrap();
        assert!(
            follow_link(ProviderKind::Greenhouse, &base, "/v1/x?page=2").is_err(),
            "relative links are the caller's to resolve"
        );
        assert!(follow_link(ProviderKind::Greenhouse, &base, "https://api.example.com/v1/x").is_ok());
        assert!(follow_link(ProviderKind::Greenhouse, &base, "https://evil.example.com/v1/x").is_err());
        assert!(follow_link(ProviderKind::Greenhouse, &base, "http://api.example.com/v1/x").is_err());
        let url = api_url(ProviderKind::Greenhouse, &base, "/v1/candidates", &[("filter[email]", "a@b.io")]).unwrap();
        assert_eq!(url.as_str(), "https://api.example.com/v1/candidates?filter%5Bemail%5D=a%40b.io");
    }

    #[test]
    fn a_base_path_prefix_is_kept() {
        for base in ["https://gw.example.com/teamtailor", "https://gw.example.com/teamtailor/"] {
            let base = Url::parse(base).unwrap();
            let url = api_url(ProviderKind::Teamtailor, &base, "/v1/candidates?page[size]=30", &[("x", "1")]).unwrap();
            assert_eq!(url.as_str(), "https://gw.example.com/teamtailor/v1/candidates?page[size]=30&x=1");
            assert!(follow_link(ProviderKind::Teamtailor, &base, "https://gw.example.com/teamtailor/v1/x").is_ok());
        }
    }
}
