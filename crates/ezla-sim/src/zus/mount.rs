//! The ZUS channel on the HTTP server: a [`Mount`] whose handler hands each request to the
//! [`ZusService`].

use std::sync::Arc;

use super::ZusService;
use crate::message::{SOAP11_CONTENT_TYPE, SimRequest, SimResponse};
use crate::router::{BasicAuth, Handler, Mount};

/// The default path of the ZUS channel, as on ZUS's servers.
pub const DEFAULT_ZUS_PATH: &str = "/ws/zus.channel.gabinetoweV4:zla";

/// The handler of the ZUS mount.
#[derive(Debug, Clone)]
pub struct ZusHandler {
    service: Arc<ZusService>,
}

impl ZusHandler {
    /// A handler answering with `service`.
    pub fn new(service: Arc<ZusService>) -> Self {
        ZusHandler { service }
    }
}

impl Handler for ZusHandler {
    fn handle(&self, request: &SimRequest) -> SimResponse {
        let action = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("SOAPAction"))
            .map(|(_, value)| value.as_str());
        if request.expire_session {
            self.service.expire_session_of(&request.body);
        }
        let reply = self.service.handle(action, &request.body);
        if request.response_will_be_dropped && reply.stored {
            crate::log("fault drop_response: the documents are stored, the answer is dropped");
        }
        SimResponse::new(reply.status, SOAP11_CONTENT_TYPE, reply.body)
    }
}

/// The ZUS mount on `path` with the default credentials (`ezla_ag` / `ezla_ag`).
pub fn zus_mount(path: &str, service: Arc<ZusService>) -> Mount {
    Mount::new(path, ZusHandler::new(service))
        .basic_auth(BasicAuth::zus_default())
        .realm("ZUS")
}
