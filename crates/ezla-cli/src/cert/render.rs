//! Text and JSON output of `cert info` (`cert check`'s are `ezla::pki::CertificateSummary`'s).

use std::fmt::Write as _;
use std::path::Path;

use ezla::crypto::DigestAlgorithm;
use ezla::pki::pkcs12::Pkcs12Info;
use ezla::pki::polish::CheckDigit;
use ezla::pki::{Certificate, ExpiryPolicy, ExpiryStatus, Name};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Loaded;

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// Exit status contribution: 0 valid, 1 renewal window or expiring, 2 expired, not yet
/// valid, or unreadable (`None`).
pub(super) fn severity(status: Option<ExpiryStatus>) -> u8 {
    use crate::exit;
    match status {
        Some(ExpiryStatus::Valid { .. }) => exit::SUCCESS,
        Some(ExpiryStatus::RenewalWindow { .. } | ExpiryStatus::Expiring { .. }) => exit::NEGATIVE,
        Some(_) => exit::CRITICAL,
        None => exit::ERROR,
    }
}

/// One line about how a PKCS#12 file is protected.
pub(super) fn protection(info: &Pkcs12Info) -> String {
    let mut parts = Vec::new();
    match &info.mac {
        Some(m) => parts.push(format!(
            "{} MAC, {} iterations",
            m.digest.name(),
            m.iterations
        )),
        None => parts.push("no MAC (integrity not protected)".into()),
    }
    for e in &info.encryptions {
        parts.push(format!(
            "{}: {}, {} iterations",
            e.protects, e.algorithm, e.iterations
        ));
    }
    parts.join("; ")
}

fn attributes_json(name: &Name) -> Value {
    Value::Array(
        name.attributes()
            .map(|a| {
                json!({
                    "type": a.attribute_type().map(|t| t.long_name().to_string()).unwrap_or_else(|| a.oid().to_string()),
                    "oid": a.oid().to_string(),
                    "value": a.value(),
                })
            })
            .collect(),
    )
}

fn status_json(status: &ExpiryStatus, at: OffsetDateTime) -> Value {
    json!({
        "status": status.name(),
        "days_left": status.days_left(),
        "renewal_opens": rfc3339(status.renewal_opens()),
        "at": rfc3339(at),
        "text": status.to_string(),
    })
}

pub(super) fn certificate_json(
    c: &Certificate,
    at: OffsetDateTime,
    policy: &ExpiryPolicy,
) -> Value {
    let key = c.public_key().kind();
    json!({
        "subject": c.subject().to_rfc4514(),
        "subject_attributes": attributes_json(c.subject()),
        "issuer": c.issuer().to_rfc4514(),
        "issuer_attributes": attributes_json(c.issuer()),
        "serial_hex": c.serial_hex(),
        "serial_decimal": c.serial_decimal(),
        "not_before": rfc3339(c.not_before()),
        "not_after": rfc3339(c.not_after()),
        "public_key": {
            "algorithm": key.algorithm_name(),
            "bits": key.bits(),
            "curve": key.curve_name(),
        },
        "signature_algorithm": c.signature_algorithm().map(|a| a.name()).unwrap_or_else(|| c.signature_algorithm_oid().to_string()),
        "key_usage": c.key_usage().map(|k| k.names()),
        "extended_key_usage": c.extended_key_usage().map(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>()),
        "basic_constraints": c.basic_constraints().map(|b| json!({"ca": b.ca, "path_len": b.path_len})),
        "crl_distribution_points": c.crl_distribution_points(),
        "ocsp_urls": c.ocsp_urls(),
        "ca_issuers_urls": c.ca_issuers_urls(),
        "email_addresses": c.email_addresses(),
        "polish_identifiers": c.polish_identifiers().iter().map(|p| json!({
            "attribute": p.attribute.keyword(),
            "kind": p.kind.label(),
            "etsi_type": p.etsi_type,
            "value": p.value,
            "check_digit": match &p.check {
                CheckDigit::Valid => "valid",
                CheckDigit::Invalid { .. } => "invalid",
                CheckDigit::NotApplicable => "not-applicable",
            },
        })).collect::<Vec<_>>(),
        "fingerprints": {
            "sha256": c.fingerprint_hex(DigestAlgorithm::Sha256),
            "sha1": c.fingerprint_hex(DigestAlgorithm::Sha1),
        },
        "extensions": c.extensions().iter().map(|e| json!({
            "oid": e.oid.to_string(),
            "name": e.name,
            "critical": e.critical,
        })).collect::<Vec<_>>(),
        "expiry": status_json(&c.status_at(at, policy), at),
    })
}

pub(super) fn info_json(
    file: &Path,
    l: &Loaded,
    at: OffsetDateTime,
    policy: &ExpiryPolicy,
) -> Value {
    let pkcs12 = l.pkcs12.as_ref().map(|p| {
        json!({
            "mac": p.info.mac.as_ref().map(|m| json!({"digest": m.digest.name(), "iterations": m.iterations})),
            "integrity_protected": p.info.mac.is_some(),
            "encryptions": p.info.encryptions.iter().map(|e| json!({
                "protects": e.protects,
                "algorithm": e.algorithm,
                "iterations": e.iterations,
                "legacy": e.legacy,
            })).collect::<Vec<_>>(),
            "legacy": p.info.is_legacy(),
            "keys": p.keys.iter().map(|k| json!({
                "type": k.key.kind().to_string(),
                "friendly_name": k.attributes.friendly_name,
            })).collect::<Vec<_>>(),
            "skipped": p.skipped.iter().map(|s| json!({"bag": s.bag_type, "reason": s.reason})).collect::<Vec<_>>(),
        })
    });
    json!({
        "file": file.display().to_string(),
        "kind": if l.pkcs12.is_some() { "pkcs12" } else { "certificates" },
        "pkcs12": pkcs12,
        "certificates": l.certificates.iter().map(|c| certificate_json(c, at, policy)).collect::<Vec<_>>(),
    })
}

fn name_text(out: &mut String, label: &str, name: &Name) {
    let _ = writeln!(out, "  {label}: {}", name.to_rfc4514());
    for a in name.attributes() {
        let t = a
            .attribute_type()
            .map(|t| t.long_name().to_string())
            .unwrap_or_else(|| a.oid().to_string());
        let _ = writeln!(out, "    {t}: {}", a.value().unwrap_or("(not text)"));
    }
}

fn certificate_text(out: &mut String, c: &Certificate, at: OffsetDateTime, policy: &ExpiryPolicy) {
    name_text(out, "Subject", c.subject());
    name_text(out, "Issuer", c.issuer());
    let _ = writeln!(
        out,
        "  Serial: {} (decimal {})",
        c.serial_hex(),
        c.serial_decimal()
    );
    let _ = writeln!(out, "  Valid from: {}", rfc3339(c.not_before()));
    let _ = writeln!(out, "  Valid until: {}", rfc3339(c.not_after()));
    let status = c.status_at(at, policy);
    let _ = writeln!(out, "  Expiry status: {status} (at {})", rfc3339(at));
    let _ = writeln!(out, "  Public key: {}", c.public_key().kind());
    let _ = writeln!(
        out,
        "  Signature algorithm: {}",
        c.signature_algorithm()
            .map(|a| a.name())
            .unwrap_or_else(|| c.signature_algorithm_oid().to_string())
    );
    let critical = |name: &str| {
        c.extensions()
            .iter()
            .any(|e| e.name == Some(name) && e.critical)
    };
    let mark = |name: &str| if critical(name) { " (critical)" } else { "" };
    if let Some(ku) = c.key_usage() {
        let _ = writeln!(
            out,
            "  Key usage: {}{}",
            ku.names().join(", "),
            mark("keyUsage")
        );
    }
    if let Some(eku) = c.extended_key_usage() {
        let names: Vec<String> = eku.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "  Extended key usage: {}{}",
            names.join(", "),
            mark("extKeyUsage")
        );
    }
    if let Some(bc) = c.basic_constraints() {
        let len = bc
            .path_len
            .map(|n| format!(", path length {n}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  Basic constraints: CA {}{len}{}",
            bc.ca,
            mark("basicConstraints")
        );
    }
    for p in c.polish_identifiers() {
        let check = match &p.check {
            CheckDigit::Valid => "check digit valid".to_string(),
            CheckDigit::Invalid { reason } => format!("INVALID: {reason}"),
            CheckDigit::NotApplicable => "no check digit".to_string(),
        };
        let form = p
            .etsi_type
            .as_deref()
            .map(|t| format!("{t}PL, "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  Polish identifier: {} {} ({form}{check})",
            p.kind, p.value
        );
    }
    for e in c.email_addresses() {
        let _ = writeln!(out, "  E-mail: {e}");
    }
    for u in c.crl_distribution_points() {
        let _ = writeln!(out, "  CRL distribution point: {u}");
    }
    for u in c.ocsp_urls() {
        let _ = writeln!(out, "  OCSP: {u}");
    }
    let _ = writeln!(
        out,
        "  SHA-256 fingerprint: {}",
        c.fingerprint_display(DigestAlgorithm::Sha256)
    );
    let _ = writeln!(
        out,
        "  SHA-1 fingerprint: {}",
        c.fingerprint_display(DigestAlgorithm::Sha1)
    );
}

pub(super) fn info_text(
    file: &Path,
    l: &Loaded,
    at: OffsetDateTime,
    policy: &ExpiryPolicy,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "File: {}", file.display());
    if let Some(p) = &l.pkcs12 {
        let _ = writeln!(out, "PKCS#12: {}", protection(&p.info));
        if p.info.mac.is_none() {
            let _ = writeln!(out, "{}", super::unprotected_warning(file));
        }
        if p.info.is_legacy() {
            let _ = writeln!(
                out,
                "  (legacy algorithms: `ezla cert convert` re-encrypts the file in the modern format)"
            );
        }
        for k in &p.keys {
            let name = k
                .attributes
                .friendly_name
                .as_deref()
                .map(|n| format!(", friendly name \"{n}\""))
                .unwrap_or_default();
            let _ = writeln!(out, "Private key: {}{name}", k.key.kind());
        }
        for s in &p.skipped {
            let _ = writeln!(out, "Skipped: {} ({})", s.bag_type, s.reason);
        }
    }
    for (i, c) in l.certificates.iter().enumerate() {
        let role = match (i, l.pkcs12.as_ref().is_some_and(|p| !p.keys.is_empty())) {
            (0, true) => "Certificate (for the private key)".to_string(),
            (_, true) => format!("Chain certificate {i}"),
            _ => format!("Certificate {}", i + 1),
        };
        let _ = writeln!(out, "{role}:");
        certificate_text(&mut out, c, at, policy);
    }
    out
}
