//! The login.gov.pl flow through `ServiceProvider` with an in-memory transport, and the
//! pending-request and replay stores, in memory and in SQLite shared by two processes.

mod common;

use std::sync::Arc;

use common::wk::{Fixture, request_id};
use ezla::ErrorCode;
use ezla::transport::{MemoryTransport, Response};
use ezla::wk::{
    MemoryPendingStore, MemoryReplayStore, PendingRequest, PendingStore, ReplayStore,
    ServiceProvider, SqliteWkStore,
};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-12-04 12:00 UTC);
const CHILD_ENV: &str = "EZLA_WK_REPLAY_CHILD";

/// A transport playing login.gov.pl: answers each ArtifactResolve with a response for the
/// pending AuthnRequest `authn_id` (read from the shared cell) and each LogoutRequest with
/// Success.
fn wk_transport(fixture: Arc<Fixture>, authn_id: Arc<std::sync::Mutex<String>>) -> MemoryTransport {
    MemoryTransport::new(move |request| {
        let id = request_id(&request.body);
        let body = if request.url.ends_with("idpArtifactResolutionService") {
            let authn = authn_id.lock().expect("lock").clone();
            fixture.full(&id, &authn, NOW)
        } else {
            let issuer = &fixture.config.endpoints.issuer;
            let xml = format!(
                "<saml2p:LogoutResponse xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
                 xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"ID-lr\" InResponseTo=\"{id}\" \
                 IssueInstant=\"2026-12-04T12:00:00.000Z\" Version=\"2.0\"><saml2:Issuer>{issuer}</saml2:Issuer>\
                 <saml2p:Status><saml2p:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>\
                 </saml2p:Status></saml2p:LogoutResponse>"
            );
            ezla::wk::emulate::soap_envelope(xml.as_bytes())
        };
        Ok(Response::new(200, Some("text/xml"), body))
    })
}

fn provider(
    fixture: Arc<Fixture>,
    pending: Arc<dyn PendingStore>,
    replay: Arc<dyn ReplayStore>,
) -> (
    ServiceProvider,
    Arc<std::sync::Mutex<String>>,
    Arc<MemoryTransport>,
) {
    let authn = Arc::new(std::sync::Mutex::new(String::new()));
    let transport = Arc::new(wk_transport(fixture.clone(), authn.clone()));
    let sp = ServiceProvider::new(fixture.config.clone(), transport.clone(), pending, replay);
    (sp, authn, transport)
}

#[test]
fn login_artifact_identity_logout() {
    let fixture = Arc::new(Fixture::new());
    let (sp, authn, transport) = provider(
        fixture,
        Arc::new(MemoryPendingStore::new()),
        Arc::new(MemoryReplayStore::new()),
    );
    let login = sp.login(NOW).expect("login");
    *authn.lock().expect("lock") = login.id.clone();
    let identity = sp
        .handle_artifact("ART-1", &login.relay_state, NOW + Duration::seconds(20))
        .expect("identity");
    assert_eq!(identity.pesel.as_str(), "87022243734");
    assert_eq!(identity.family_name, "Apitz");
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert!(
        String::from_utf8_lossy(&sent[0].body).contains("<saml2p:Artifact>ART-1</saml2p:Artifact>")
    );

    // The same RelayState again: the pending request was consumed.
    let err = sp
        .handle_artifact("ART-2", &login.relay_state, NOW)
        .expect_err("consumed");
    assert_eq!(err.code(), ErrorCode::SamlUnknownRequest);
    // A new login but the same artifact: replay.
    let second = sp.login(NOW).expect("login");
    *authn.lock().expect("lock") = second.id.clone();
    let err = sp
        .handle_artifact("ART-1", &second.relay_state, NOW)
        .expect_err("replayed artifact");
    assert_eq!(err.code(), ErrorCode::SamlReplay);
    // Another artifact resolving to the same assertion (same assertion ID): replay too.
    let third = sp.login(NOW).expect("login");
    *authn.lock().expect("lock") = third.id.clone();
    let err = sp
        .handle_artifact("ART-3", &third.relay_state, NOW)
        .expect_err("replayed assertion");
    assert_eq!(err.code(), ErrorCode::SamlReplay);
    assert!(err.to_string().contains("assertion"), "{err}");

    sp.logout(&identity, NOW).expect("logout");
    assert!(
        transport
            .requests()
            .last()
            .expect("logout")
            .url
            .ends_with("singleLogoutService")
    );
}

#[test]
fn expired_pending_request_is_refused() {
    let fixture = Arc::new(Fixture::new());
    let (sp, authn, _) = provider(
        fixture,
        Arc::new(MemoryPendingStore::new()),
        Arc::new(MemoryReplayStore::new()),
    );
    let login = sp.login(NOW).expect("login");
    *authn.lock().expect("lock") = login.id.clone();
    let err = sp
        .handle_artifact("ART-1", &login.relay_state, NOW + Duration::hours(1))
        .expect_err("expired");
    assert_eq!(err.code(), ErrorCode::SamlUnknownRequest);
    assert!(err.to_string().contains("expired"), "{err}");
}

fn exercise_stores(pending: &dyn PendingStore, replay: &dyn ReplayStore) {
    let request = PendingRequest {
        request_id: "ID-1".into(),
        relay_state: "rs-1".into(),
        expires: NOW + Duration::minutes(15),
    };
    pending.put(&request).expect("put");
    assert_eq!(
        pending.put(&request).expect_err("twice").code(),
        ErrorCode::InvalidArgument
    );
    assert_eq!(pending.take("rs-1", NOW).expect("take"), request);
    assert_eq!(
        pending.take("rs-1", NOW).expect_err("once").code(),
        ErrorCode::SamlUnknownRequest
    );
    pending
        .put(&PendingRequest {
            relay_state: "rs-2".into(),
            ..request.clone()
        })
        .expect("put");
    assert_eq!(
        pending
            .take("rs-2", NOW + Duration::minutes(16))
            .expect_err("expired")
            .code(),
        ErrorCode::SamlUnknownRequest
    );

    let until = NOW + Duration::minutes(30);
    replay
        .first_use("artifact", "A", until, NOW)
        .expect("first");
    assert_eq!(
        replay
            .first_use("artifact", "A", until, NOW)
            .expect_err("again")
            .code(),
        ErrorCode::SamlReplay
    );
    replay
        .first_use("assertion", "A", until, NOW)
        .expect("another kind");
    // Forgotten once its window is over (it could not be accepted then anyway).
    replay
        .first_use("artifact", "A", until, until + Duration::seconds(1))
        .expect("after the window");
}

#[test]
fn memory_stores() {
    exercise_stores(&MemoryPendingStore::new(), &MemoryReplayStore::new());
}

#[test]
fn sqlite_store() {
    let path = std::env::temp_dir().join(format!("ezla-wk-store-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = SqliteWkStore::open(&path).expect("open");
    exercise_stores(&store, &store);
    drop(store);
    let _ = std::fs::remove_file(&path);
}

/// Two processes share one SQLite file: this process resolves an artifact and logs in; a
/// second process (this test binary run again) starts its own login and presents the same
/// artifact, which its ServiceProvider refuses as a replay before contacting login.gov.pl.
#[test]
fn replayed_artifact_refused_by_another_process() {
    let dir = std::env::temp_dir().join(format!("ezla-wk-2proc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("wk.sqlite");
    let _ = std::fs::remove_file(&path);
    let store = Arc::new(SqliteWkStore::open(&path).expect("open"));
    let fixture = Arc::new(Fixture::new());
    let (sp, authn, _) = provider(fixture, store.clone(), store.clone());
    let login = sp.login(NOW).expect("login");
    *authn.lock().expect("lock") = login.id.clone();
    sp.handle_artifact("ART-SHARED", &login.relay_state, NOW)
        .expect("first process logs in");

    let out = std::process::Command::new(std::env::current_exe().expect("exe"))
        .args(["--exact", "replay_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &path)
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("CHILD: replay refused"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The second process of [`replayed_artifact_refused_by_another_process`]; does nothing
/// when run directly.
#[test]
fn replay_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store = Arc::new(SqliteWkStore::open(&path).expect("open"));
    let fixture = Arc::new(Fixture::new());
    let transport = Arc::new(MemoryTransport::new(|_| {
        panic!("the replayed artifact must be refused before it is resolved")
    }));
    let sp = ServiceProvider::new(fixture.config.clone(), transport, store.clone(), store);
    let login = sp.login(NOW).expect("login");
    let err = sp
        .handle_artifact("ART-SHARED", &login.relay_state, NOW)
        .expect_err("replay");
    assert_eq!(err.code(), ErrorCode::SamlReplay, "{err}");
    println!("CHILD: replay refused: {err}");
}
