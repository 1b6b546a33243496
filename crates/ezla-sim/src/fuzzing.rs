//! The simulator's fuzz entry point (the `sim_request` target in `fuzz/`), not an API.

use std::sync::OnceLock;

use crate::zus::ZusService;

/// One simulated ZUS for the whole fuzzing process, in a temporary directory.
fn service() -> Option<&'static ZusService> {
    static SERVICE: OnceLock<Option<ZusService>> = OnceLock::new();
    SERVICE
        .get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("ezla-sim-fuzz-{}", std::process::id()));
            ZusService::open(&dir).ok()
        })
        .as_ref()
}

/// Hands arbitrary bytes to the simulated ZUS as a request body, with the SOAPAction of the
/// operation the bytes name (when they look like an envelope) so that the operations are
/// reached, and with a wrong one; the answer must be a reply, never a panic.
pub fn sim_request(data: &[u8]) {
    let Some(service) = service() else { return };
    let action = crate::soap::parse(data).ok().and_then(|doc| {
        crate::soap::operation(&doc)
            .ok()
            .map(|op| format!("zus_channel_zla_Binder_{}", op.local_name()))
    });
    let reply = service.handle(action.as_deref(), data);
    assert!(reply.status == 200 || reply.status == 500);
    let _ = service.handle(Some("zus_channel_zla_Binder_usunSesje"), data);
}
