//! The service providers registered with the simulated login.gov.pl, and the misbehaviour
//! each should show: `DIR/wk/sps.json`, re-read on every request so that
//! `ezla-sim sp add` and `ezla-sim sp misbehave` take effect in a running simulator.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ezla::pki::Certificate;
use ezla::wk::emulate::attacks::Misbehaviour;
use serde::{Deserialize, Serialize};

/// How often a misbehaviour is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Repeat {
    /// To the next answer only, then the simulator behaves again.
    Next,
    /// To every answer until cleared.
    Every,
}

/// A registered service provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegisteredSp {
    /// Its entity ID (the `Issuer` of its requests, the `Audience` of its assertions).
    pub entity_id: String,
    /// Its signing certificate, PEM: its AuthnRequest, ArtifactResolve and LogoutRequest are
    /// verified with this key only.
    pub signing_cert: String,
    /// Its encryption certificate, PEM: assertions are encrypted to this key.
    pub encryption_cert: String,
    /// Its assertion consumer service URL: requests naming another are refused.
    pub acs_url: String,
    /// The catalogue misbehaviour to apply (`ezla::wk::emulate::attacks` names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misbehaviour: Option<String>,
    /// How often.
    #[serde(default = "next")]
    pub repeat: Repeat,
}

fn next() -> Repeat {
    Repeat::Next
}

impl RegisteredSp {
    /// A registration from the two certificates.
    pub fn new(
        entity_id: impl Into<String>,
        signing_cert: &Certificate,
        encryption_cert: &Certificate,
        acs_url: impl Into<String>,
    ) -> Self {
        RegisteredSp {
            entity_id: entity_id.into(),
            signing_cert: signing_cert.to_pem(),
            encryption_cert: encryption_cert.to_pem(),
            acs_url: acs_url.into(),
            misbehaviour: None,
            repeat: Repeat::Next,
        }
    }

    /// The signing certificate.
    pub fn signing_certificate(&self) -> Result<Certificate, String> {
        Certificate::from_pem(self.signing_cert.as_bytes())
            .map_err(|e| format!("{}: signing certificate: {e}", self.entity_id))
    }

    /// The encryption certificate.
    pub fn encryption_certificate(&self) -> Result<Certificate, String> {
        Certificate::from_pem(self.encryption_cert.as_bytes())
            .map_err(|e| format!("{}: encryption certificate: {e}", self.entity_id))
    }
}

#[derive(Default, Serialize, Deserialize)]
struct File {
    sps: Vec<RegisteredSp>,
}

/// The registry file and a lock serialising this process's read-modify-write cycles.
#[derive(Debug)]
pub struct Registry {
    path: PathBuf,
    lock: Mutex<()>,
}

/// The registry's file name under `DIR/wk/`.
pub const REGISTRY_FILE: &str = "sps.json";

impl Registry {
    /// The registry of the state directory `dir` (`dir/wk/sps.json`, created when missing).
    pub fn open(dir: &Path) -> Result<Self, String> {
        let wk = dir.join("wk");
        std::fs::create_dir_all(&wk).map_err(|e| format!("{}: {e}", wk.display()))?;
        Ok(Registry {
            path: wk.join(REGISTRY_FILE),
            lock: Mutex::new(()),
        })
    }

    fn load(&self) -> Result<File, String> {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", self.path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(File::default()),
            Err(e) => Err(format!("{}: {e}", self.path.display())),
        }
    }

    fn save(&self, file: &File) -> Result<(), String> {
        let text = serde_json::to_string_pretty(file).map_err(|e| e.to_string())?;
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| format!("{}: {e}", self.path.display()))
    }

    fn update<T>(&self, f: impl FnOnce(&mut File) -> Result<T, String>) -> Result<T, String> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.load()?;
        let out = f(&mut file)?;
        self.save(&file)?;
        Ok(out)
    }

    /// Registers `sp`, replacing an earlier registration of its entity ID. Both
    /// certificates must parse and hold P-256 keys.
    pub fn add(&self, sp: RegisteredSp) -> Result<(), String> {
        for cert in [sp.signing_certificate()?, sp.encryption_certificate()?] {
            if cert.public_key().kind() != ezla::crypto::KeyKind::EcP256 {
                return Err(format!(
                    "{}: login.gov.pl takes P-256 keys only",
                    cert.subject()
                ));
            }
        }
        self.update(|file| {
            file.sps.retain(|s| s.entity_id != sp.entity_id);
            file.sps.push(sp);
            Ok(())
        })
    }

    /// The registration of `entity_id`.
    pub fn get(&self, entity_id: &str) -> Result<Option<RegisteredSp>, String> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self
            .load()?
            .sps
            .into_iter()
            .find(|s| s.entity_id == entity_id))
    }

    /// Every registration.
    pub fn all(&self) -> Result<Vec<RegisteredSp>, String> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self.load()?.sps)
    }

    /// Tells the simulator to apply `misbehaviour` to the next (or every) answer for
    /// `entity_id`; `None` clears it.
    pub fn set_misbehaviour(
        &self,
        entity_id: &str,
        misbehaviour: Option<Misbehaviour>,
        repeat: Repeat,
    ) -> Result<(), String> {
        self.update(|file| {
            let sp = file
                .sps
                .iter_mut()
                .find(|s| s.entity_id == entity_id)
                .ok_or_else(|| format!("no service provider {entity_id:?} is registered"))?;
            sp.misbehaviour = misbehaviour.map(|m| m.name());
            sp.repeat = repeat;
            Ok(())
        })
    }

    /// The misbehaviour to apply now for `entity_id` (consumed when it applies once).
    pub(crate) fn take_misbehaviour(&self, entity_id: &str) -> Result<Misbehaviour, String> {
        self.update(|file| {
            let Some(sp) = file.sps.iter_mut().find(|s| s.entity_id == entity_id) else {
                return Ok(Misbehaviour::None);
            };
            let Some(name) = sp.misbehaviour.clone() else {
                return Ok(Misbehaviour::None);
            };
            let m = Misbehaviour::from_name(&name)
                .ok_or_else(|| format!("{entity_id}: unknown misbehaviour {name:?}"))?;
            if sp.repeat == Repeat::Next {
                sp.misbehaviour = None;
            }
            Ok(m)
        })
    }
}
