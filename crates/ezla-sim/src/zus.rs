//! The ZUS channel mount.
//!
//! **Placeholder:** the ZUS logic (login, documents) is not built yet. Until it is, the
//! mount answers every request with a SOAP 1.1 Fault "not implemented", so that the HTTP
//! layer (TLS, Basic auth, faults, limits) can be tested end to end.

use crate::message::{SimRequest, SimResponse};
use crate::router::{BasicAuth, Handler, Mount};

/// The default path of the ZUS channel, as on ZUS's servers.
pub const DEFAULT_ZUS_PATH: &str = "/ws/zus.channel.gabinetoweV4:zla";

/// **Placeholder** handler of the ZUS mount: every request gets HTTP 500 with a SOAP 1.1
/// Fault `soap:Server` / "not implemented" (to be replaced by the ZUS simulator).
#[derive(Clone, Copy, Debug, Default)]
pub struct NotImplementedZusPlaceholder;

/// The `faultstring` the placeholder answers with.
pub const NOT_IMPLEMENTED: &str = "ezla-sim: ZUS channel operations are not implemented yet";

impl Handler for NotImplementedZusPlaceholder {
    fn handle(&self, _request: &SimRequest) -> SimResponse {
        SimResponse::soap_fault("soap:Server", NOT_IMPLEMENTED)
    }
}

/// The ZUS mount on `path` with the default credentials (`ezla_ag` / `ezla_ag`) and the
/// placeholder handler.
pub fn zus_mount(path: &str) -> Mount {
    Mount::new(path, NotImplementedZusPlaceholder)
        .basic_auth(BasicAuth::zus_default())
        .realm("ZUS")
}
