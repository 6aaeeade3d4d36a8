//! `BaseUrl`: a vendor's scheme, authority and optional path prefix.

use super::CallError;
use http::Uri;

#[derive(Debug, Clone)]
pub struct BaseUrl {
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
    /// Without a trailing `/`; empty when there is no prefix.
    prefix: String,
}

impl BaseUrl {
    /// Parses `https://host[:port][/prefix]` (port 443 by default) or
    /// `http://host[:port][/prefix]` (port 80). HTTPS is spoken with rustls
    /// (see [`super::VendorClient`]).
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let uri: Uri = s.parse().map_err(|e| format!("not a URL ({e})"))?;
        let scheme = uri
            .scheme()
            .cloned()
            .ok_or("no scheme (want https://... or http://...)")?;
        if scheme != http::uri::Scheme::HTTP && scheme != http::uri::Scheme::HTTPS {
            return Err(format!(
                "scheme {scheme} is not supported (want https or http)"
            ));
        }
        let authority = uri.authority().cloned().ok_or("no host")?;
        if authority.host().is_empty() {
            return Err("no host".into());
        }
        if uri.query().is_some() {
            return Err("a base URL takes no query".into());
        }
        let prefix = uri.path().trim_end_matches('/').to_string();
        Ok(BaseUrl {
            scheme,
            authority,
            prefix,
        })
    }

    /// `path` starts with `/`.
    pub fn join(&self, path: &str) -> Result<Uri, CallError> {
        let mut pq = String::with_capacity(self.prefix.len() + path.len());
        pq.push_str(&self.prefix);
        pq.push_str(path);
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(pq)
            .build()
            .map_err(|_| CallError::BadRequest)
    }

    /// The authority, for logs (never the path: it may hold a token).
    pub fn authority(&self) -> &str {
        self.authority.as_str()
    }

    /// Whether calls are made over TLS.
    pub fn is_https(&self) -> bool {
        self.scheme == http::uri::Scheme::HTTPS
    }

    /// `scheme://authority/`: what the proxy decision and the connection
    /// pool look at (never the path).
    pub fn origin(&self) -> Uri {
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query("/")
            .build()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_prefix() {
        let b = BaseUrl::parse("http://127.0.0.1:81/api/vehicle-admin/").unwrap();
        assert_eq!(
            b.join("/v1/x?a=1").unwrap().to_string(),
            "http://127.0.0.1:81/api/vehicle-admin/v1/x?a=1"
        );
        let b = BaseUrl::parse("http://h").unwrap();
        assert_eq!(b.join("/a").unwrap().to_string(), "http://h/a");
    }

    #[test]
    fn https_keeps_default_port_and_prefix() {
        let b = BaseUrl::parse("https://api.vendor.example/v2/").unwrap();
        assert!(b.is_https());
        assert_eq!(b.authority(), "api.vendor.example");
        assert_eq!(
            b.join("/customers/1").unwrap().to_string(),
            "https://api.vendor.example/v2/customers/1"
        );
        assert_eq!(b.origin().to_string(), "https://api.vendor.example/");
        assert_eq!(b.origin().port_u16(), None, "443 is implied");
        let b = BaseUrl::parse("https://127.0.0.1:8443").unwrap();
        assert_eq!(
            b.join("/a").unwrap().to_string(),
            "https://127.0.0.1:8443/a"
        );
        assert!(!BaseUrl::parse("http://h").unwrap().is_https());
    }

    #[test]
    fn refuses_what_it_cannot_serve() {
        assert!(BaseUrl::parse("ftp://h").is_err());
        assert!(BaseUrl::parse("socks5://h:1080").is_err());
        assert!(BaseUrl::parse("h:80").is_err());
        assert!(BaseUrl::parse("http://h/?q=1").is_err());
        assert!(BaseUrl::parse("https://h/?q=1").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
    }
}
