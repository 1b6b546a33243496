//! The simulator's TLS: its own CA and server certificate, and the rustls server
//! configuration (no ALPN: HTTP/1.1 only, like ZUS).

use std::fs;
use std::io;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use ezla::crypto::{KeySpec, PrivateKey, Signer as _};
use ezla::pki::testca::{IssueOptions, TestCa};
use ezla::pki::{Certificate, Name, pem};
use ezla::time::{Duration, OffsetDateTime};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::SimError;

/// The names the state directory's server certificate is for.
pub const SERVER_DNS_NAMES: &[&str] = &["localhost", "sim.zus.pl"];

/// The file the CA certificate is written to (clients trust it: `curl --cacert`).
pub const CA_FILE: &str = "tls-ca.pem";
const CA_KEY_FILE: &str = "tls-ca-key.pem";
const SERVER_FILE: &str = "tls-server.pem";
const SERVER_KEY_FILE: &str = "tls-server-key.pem";

/// The simulator's TLS identity: a CA and a server certificate it issued.
#[derive(Clone)]
pub struct SimTls {
    ca: Certificate,
    server: Certificate,
    server_key: PrivateKey,
}

impl std::fmt::Debug for SimTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimTls")
            .field("ca", &self.ca.subject().to_rfc4514())
            .field("server_dns_names", &self.server.dns_names())
            .finish_non_exhaustive()
    }
}

fn ezla_err(what: &str, e: ezla::Error) -> SimError {
    SimError::new(format!("{what}: {e}"))
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc() - Duration::minutes(5)
}

impl SimTls {
    /// A fresh CA (P-256, valid 10 years) and a server certificate (valid 2 years) for
    /// `dns_names` and `ip_addresses`, kept in memory.
    pub fn generate(dns_names: &[&str], ip_addresses: &[IpAddr]) -> Result<Self, SimError> {
        let ca = TestCa::generate_with(KeySpec::EcP256, "ezla-sim TLS CA", now(), 3650)
            .map_err(|e| ezla_err("generating the TLS CA", e))?;
        Self::issue(&ca, dns_names, ip_addresses)
    }

    fn issue(ca: &TestCa, dns_names: &[&str], ips: &[IpAddr]) -> Result<Self, SimError> {
        let server_key =
            PrivateKey::generate(KeySpec::EcP256).map_err(|e| ezla_err("generating a key", e))?;
        let cn = dns_names.first().copied().unwrap_or("ezla-sim");
        let subject = Name::builder()
            .organization("ezla-sim (not ZUS)")
            .common_name(cn)
            .build()
            .map_err(|e| ezla_err("server name", e))?;
        let options = IssueOptions::tls_server(now(), 730, dns_names, ips);
        let server = ca
            .issue(&subject, server_key.public_key(), &options)
            .map_err(|e| ezla_err("issuing the server certificate", e))?;
        Ok(SimTls {
            ca: ca.certificate().clone(),
            server,
            server_key,
        })
    }

    /// The identity kept in `dir`: created on first use (CA and server certificate for
    /// `localhost`, `127.0.0.1`, `::1` and `sim.zus.pl`), read back afterwards. Writes
    /// `dir/tls-ca.pem` for clients to trust.
    pub fn load_or_create(dir: &Path) -> Result<Self, SimError> {
        let ca_path = dir.join(CA_FILE);
        if ca_path.exists() {
            return Self::load(dir);
        }
        fs::create_dir_all(dir).map_err(|e| SimError::io(dir, e))?;
        let ca = TestCa::generate_with(KeySpec::EcP256, "ezla-sim TLS CA", now(), 3650)
            .map_err(|e| ezla_err("generating the TLS CA", e))?;
        let ips: [IpAddr; 2] = [
            IpAddr::from([127, 0, 0, 1]),
            IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1]),
        ];
        let tls = Self::issue(&ca, SERVER_DNS_NAMES, &ips)?;
        write_secret(
            &dir.join(CA_KEY_FILE),
            &pem::encode("PRIVATE KEY", ca.key().pkcs8_der()),
        )?;
        write_secret(
            &dir.join(SERVER_KEY_FILE),
            &pem::encode("PRIVATE KEY", tls.server_key.pkcs8_der()),
        )?;
        fs::write(dir.join(SERVER_FILE), tls.server.to_pem())
            .map_err(|e| SimError::io(&dir.join(SERVER_FILE), e))?;
        // Written last: its presence means the directory is complete.
        fs::write(&ca_path, tls.ca.to_pem()).map_err(|e| SimError::io(&ca_path, e))?;
        Ok(tls)
    }

    fn load(dir: &Path) -> Result<Self, SimError> {
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read(&path).map_err(|e| SimError::io(&path, e))
        };
        let ca = Certificate::from_pem(&read(CA_FILE)?).map_err(|e| ezla_err(CA_FILE, e))?;
        let server =
            Certificate::from_pem(&read(SERVER_FILE)?).map_err(|e| ezla_err(SERVER_FILE, e))?;
        let key_pem = read(SERVER_KEY_FILE)?;
        let blocks =
            pem::decode_all(&key_pem, SERVER_KEY_FILE).map_err(|e| ezla_err(SERVER_KEY_FILE, e))?;
        let block = blocks
            .first()
            .ok_or_else(|| SimError::new(format!("{SERVER_KEY_FILE}: no PEM block")))?;
        let server_key =
            PrivateKey::from_pkcs8_der(&block.der).map_err(|e| ezla_err(SERVER_KEY_FILE, e))?;
        if !server.matches_key(server_key.public_key()) {
            return Err(SimError::new(format!(
                "{SERVER_FILE} does not belong to {SERVER_KEY_FILE}"
            )));
        }
        Ok(SimTls {
            ca,
            server,
            server_key,
        })
    }

    /// The CA certificate in PEM (what clients trust).
    pub fn ca_pem(&self) -> String {
        self.ca.to_pem()
    }

    /// The CA certificate.
    pub fn ca(&self) -> &Certificate {
        &self.ca
    }

    /// The server certificate.
    pub fn server_certificate(&self) -> &Certificate {
        &self.server
    }

    /// The rustls server configuration: TLS 1.2 and 1.3 on aws-lc-rs, no client
    /// authentication, **no ALPN** (a client offering only `h2` gets no protocol and speaks
    /// HTTP/1.1 or gives up, as with ZUS).
    pub fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, SimError> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let chain = vec![CertificateDer::from(self.server.to_der().to_vec())];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            self.server_key.pkcs8_der().to_vec(),
        ));
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| SimError::new(format!("rustls: {e}")))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| SimError::new(format!("rustls server certificate: {e}")))?;
        config.alpn_protocols.clear();
        Ok(Arc::new(config))
    }
}

fn write_secret(path: &Path, text: &str) -> Result<(), SimError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let write = |mut f: fs::File| io::Write::write_all(&mut f, text.as_bytes());
    options
        .open(path)
        .and_then(write)
        .map_err(|e| SimError::io(path, e))
}
