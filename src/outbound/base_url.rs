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
    /// Parses `http://host:port/prefix`. Only `http` is supported (TLS is
    /// terminated by a sidecar or the vendor's load balancer).
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let uri: Uri = s.parse().map_err(|e| format!("not a URL ({e})"))?;
        let scheme = uri.scheme().cloned().ok_or("no scheme (want http://...)")?;
        if scheme != http::uri::Scheme::HTTP {
            return Err(format!("scheme {scheme} is not supported (want http)"));
        }
        let authority = uri.authority().cloned().ok_or("no host")?;
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
    fn refuses_what_it_cannot_serve() {
        assert!(BaseUrl::parse("https://h").is_err());
        assert!(BaseUrl::parse("h:80").is_err());
        assert!(BaseUrl::parse("http://h/?q=1").is_err());
    }
}
