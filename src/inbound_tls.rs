//! The public listener's TLS: the rustls server config of `[server.tls]`
//! (TLS 1.2 and 1.3, the ring provider, ALPN `h2` then `http/1.1`, and a
//! required client certificate when `client_ca_file` is set), and the slot
//! the accept loop reads it from, so a reload swaps the certificate for new
//! connections without a restart.
//!
//! Problems are worded as `server.tls.<key>: ...` and never quote a file's
//! bytes (the key file is a private key).

use crate::config::ServerTlsConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tokio_rustls::TlsAcceptor;

/// Where the accept loop finds the current acceptor; `None`: plain TCP.
#[derive(Clone, Default)]
pub struct TlsSlot(Arc<RwLock<Option<TlsAcceptor>>>);

impl TlsSlot {
    pub fn new(acceptor: Option<TlsAcceptor>) -> Self {
        TlsSlot(Arc::new(RwLock::new(acceptor)))
    }

    /// New connections use `acceptor`; open ones keep theirs.
    pub fn replace(&self, acceptor: Option<TlsAcceptor>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = acceptor;
    }

    pub fn current(&self) -> Option<TlsAcceptor> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The files of `tls`, for the change check.
pub fn files(tls: &ServerTlsConfig) -> Vec<PathBuf> {
    let mut out = vec![tls.cert_file.clone(), tls.key_file.clone()];
    out.extend(tls.client_ca_file.clone());
    out
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads `tls`'s files and builds the acceptor; every problem is named.
pub fn acceptor(tls: &ServerTlsConfig) -> Result<TlsAcceptor, Vec<String>> {
    let mut errors = Vec::new();
    let chain = certificates("cert_file", &tls.cert_file).map_err(|e| errors.push(e));
    let key = read("key_file", &tls.key_file)
        .and_then(|bytes| {
            PrivateKeyDer::from_pem_slice(&bytes).map_err(|_| {
                format!(
                    "server.tls.key_file: {} holds no PEM private key (PKCS#8, PKCS#1 or SEC1)",
                    tls.key_file.display()
                )
            })
        })
        .map_err(|e| errors.push(e));
    let verifier = tls
        .client_ca_file
        .as_deref()
        .map(|path| {
            let mut roots = RootCertStore::empty();
            let (_, bad) = roots.add_parsable_certificates(certificates("client_ca_file", path)?);
            let unusable = || {
                format!(
                    "server.tls.client_ca_file: a certificate in {} is not a usable CA certificate",
                    path.display()
                )
            };
            if bad > 0 {
                return Err(unusable());
            }
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                .build()
                .map_err(|_| unusable())
        })
        .transpose()
        .map_err(|e| errors.push(e));
    let (Ok(chain), Ok(key), Ok(verifier)) = (chain, key, verifier) else {
        return Err(errors);
    };
    let builder = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|_| {
            vec!["server.tls: the TLS provider supports neither TLS 1.2 nor 1.3".to_string()]
        })?;
    let builder = match verifier {
        Some(v) => builder.with_client_cert_verifier(v),
        None => builder.with_no_client_auth(),
    };
    let mut config = builder.with_single_cert(chain, key).map_err(|_| {
        vec!["server.tls.key_file: cannot be used with server.tls.cert_file (the key does not match the certificate, or its kind is not supported)".to_string()]
    })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

fn read(key: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path)
        .map_err(|e| format!("server.tls.{key}: cannot read {}: {e}", path.display()))
}

fn certificates(key: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read(key, path)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("server.tls.{key}: {} is not valid PEM", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "server.tls.{key}: {} holds no PEM certificate",
            path.display()
        ));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_broken_files_are_named_without_their_bytes() {
        let dir = std::env::temp_dir().join(format!(
            "crossdock-inbound-tls-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("key.pem");
        std::fs::write(
            &key,
            "-----BEGIN PRIVATE KEY-----\nSECRET-BYTES!!\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let Err(errors) = acceptor(&ServerTlsConfig {
            cert_file: "/nonexistent/cert.pem".into(),
            key_file: key,
            client_ca_file: Some("/nonexistent/ca.pem".into()),
        }) else {
            panic!("accepted missing files");
        };
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("server.tls.cert_file: cannot read /nonexistent/cert.pem"),
            "{errors:?}"
        );
        assert!(errors[1].starts_with("server.tls.key_file: "), "{errors:?}");
        assert!(
            errors[2].starts_with("server.tls.client_ca_file: cannot read"),
            "{errors:?}"
        );
        assert!(!errors.iter().any(|e| e.contains("SECRET")), "{errors:?}");
    }
}
