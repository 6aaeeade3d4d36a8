//! The rustls client config of a backend: the system's trust store plus
//! `tls.ca_file`, TLS 1.2 and 1.3 only, the ring provider, and the client
//! certificate of `tls.client_cert_file`/`tls.client_key_file` when set.
//!
//! Problems are worded as `tls.<key>: ...` for `check-config`, and never
//! quote a file's bytes: a PEM parse error can carry a line of the file,
//! and the file may be a private key.

use super::TlsConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};
use std::path::Path;
use std::sync::Arc;

/// The config for TLS connections to a vendor. ALPN is left empty: the
/// connector sets `h2` and `http/1.1`.
pub(crate) fn client_config(tls: Option<&TlsConfig>) -> Result<ClientConfig, String> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    if !native.errors.is_empty() {
        tracing::warn!(
            errors = native.errors.len(),
            loaded = native.certs.len(),
            "some system trust store certificates could not be loaded"
        );
    }
    roots.add_parsable_certificates(native.certs);
    let ca_file = tls.and_then(|t| t.ca_file.as_deref());
    if let Some(path) = ca_file {
        for cert in extra_roots(path)? {
            roots.add(cert).map_err(|_| {
                format!(
                    "tls.ca_file: a certificate in {} is not a usable CA certificate",
                    path.display()
                )
            })?;
        }
    }
    let builder =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|_| "tls: the TLS provider supports neither TLS 1.2 nor 1.3".to_string())?
            .with_root_certificates(roots);
    match identity(tls)? {
        Some((chain, key)) => builder.with_client_auth_cert(chain, key).map_err(|_| {
            "tls.client_key_file: cannot be used with tls.client_cert_file (the key does not match the certificate, or its kind is not supported)".to_string()
        }),
        None => Ok(builder.with_no_client_auth()),
    }
}

/// Every problem with `tls`'s files, read and parsed as the client will.
pub(crate) fn problems(tls: &TlsConfig) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(path) = &tls.ca_file {
        match extra_roots(path) {
            Ok(certs) => {
                let mut store = RootCertStore::empty();
                let (_, bad) = store.add_parsable_certificates(certs);
                if bad > 0 {
                    out.push(format!(
                        "tls.ca_file: a certificate in {} is not a usable CA certificate",
                        path.display()
                    ));
                }
            }
            Err(e) => out.push(e),
        }
    }
    match identity(Some(tls)) {
        Ok(Some((chain, key))) => {
            let check = ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map(|b| {
                b.with_root_certificates(RootCertStore::empty())
                    .with_client_auth_cert(chain, key)
            });
            if !matches!(check, Ok(Ok(_))) {
                out.push("tls.client_key_file: cannot be used with tls.client_cert_file (the key does not match the certificate, or its kind is not supported)".into());
            }
        }
        Ok(None) => {}
        Err(e) => out.push(e),
    }
    out
}

fn read(key: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("tls.{key}: cannot read {}: {e}", path.display()))
}

/// The certificates of `tls.ca_file`: at least one.
fn extra_roots(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    certificates("ca_file", path)
}

fn certificates(key: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read(key, path)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("tls.{key}: {} is not valid PEM", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "tls.{key}: {} holds no PEM certificate",
            path.display()
        ));
    }
    Ok(certs)
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

/// The client certificate chain and key, when both are set.
fn identity(tls: Option<&TlsConfig>) -> Result<Option<Identity>, String> {
    let Some(tls) = tls else {
        return Ok(None);
    };
    match (&tls.client_cert_file, &tls.client_key_file) {
        (None, None) => Ok(None),
        (Some(_), None) => Err("tls.client_key_file: needed with tls.client_cert_file".into()),
        (None, Some(_)) => Err("tls.client_cert_file: needed with tls.client_key_file".into()),
        (Some(cert), Some(key)) => {
            let chain = certificates("client_cert_file", cert)?;
            let bytes = read("client_key_file", key)?;
            let key = PrivateKeyDer::from_pem_slice(&bytes).map_err(|_| {
                format!(
                    "tls.client_key_file: {} holds no PEM private key (PKCS#8, PKCS#1 or SEC1)",
                    key.display()
                )
            })?;
            Ok(Some((chain, key)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn temp(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "crossdock-tls-config-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn missing_and_empty_files_are_named_without_their_bytes() {
        let cfg = TlsConfig {
            ca_file: Some("/nonexistent/ca.pem".into()),
            ..TlsConfig::default()
        };
        let p = problems(&cfg);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("tls.ca_file: cannot read /nonexistent/ca.pem: "),
            "{}",
            p[0]
        );

        let not_pem = temp("ca.pem", "SECRET-BYTES-not-a-cert\n");
        let p = problems(&TlsConfig {
            ca_file: Some(not_pem.clone()),
            ..TlsConfig::default()
        });
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("holds no PEM certificate"), "{}", p[0]);

        let broken = temp(
            "key.pem",
            "-----BEGIN PRIVATE KEY-----\nSECRET-BYTES!!\n-----END PRIVATE KEY-----\n",
        );
        let p = problems(&TlsConfig {
            ca_file: None,
            client_cert_file: Some(broken.clone()),
            client_key_file: Some(broken),
        });
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(!p[0].contains("SECRET-BYTES"), "{}", p[0]);
    }

    #[test]
    fn cert_and_key_come_together() {
        let p = problems(&TlsConfig {
            client_cert_file: Some("/x/c.pem".into()),
            ..TlsConfig::default()
        });
        assert_eq!(p, ["tls.client_key_file: needed with tls.client_cert_file"]);
        let p = problems(&TlsConfig {
            client_key_file: Some("/x/k.pem".into()),
            ..TlsConfig::default()
        });
        assert_eq!(p, ["tls.client_cert_file: needed with tls.client_key_file"]);
    }

    #[test]
    fn no_files_builds_on_system_roots() {
        assert!(problems(&TlsConfig::default()).is_empty());
        let cfg = client_config(None).unwrap();
        assert!(cfg.alpn_protocols.is_empty());
    }
}
