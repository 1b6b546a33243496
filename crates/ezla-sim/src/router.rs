//! Handlers mounted on paths, each with its own Basic credentials.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;

use crate::message::{SimRequest, SimResponse};

/// Answers the requests of one mount.
///
/// Called on the connection's thread, concurrently for concurrent connections.
pub trait Handler: Send + Sync {
    /// The response to `request` (whose body is complete).
    fn handle(&self, request: &SimRequest) -> SimResponse;
}

impl<F> Handler for F
where
    F: Fn(&SimRequest) -> SimResponse + Send + Sync,
{
    fn handle(&self, request: &SimRequest) -> SimResponse {
        self(request)
    }
}

/// HTTP Basic credentials a mount requires.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicAuth {
    user: String,
    password: String,
}

impl BasicAuth {
    /// Credentials `user` / `password`.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        BasicAuth {
            user: user.into(),
            password: password.into(),
        }
    }

    /// The simulator's default for the ZUS mount: `ezla_ag` / `ezla_ag`.
    pub fn zus_default() -> Self {
        BasicAuth::new("ezla_ag", "ezla_ag")
    }

    /// Whether an `Authorization` header value carries these credentials.
    pub fn accepts(&self, authorization: Option<&str>) -> bool {
        let Some(value) = authorization else {
            return false;
        };
        let mut parts = value.trim().splitn(2, ' ');
        let (Some(scheme), Some(encoded)) = (parts.next(), parts.next()) else {
            return false;
        };
        if !scheme.eq_ignore_ascii_case("basic") {
            return false;
        }
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let expected = format!("{}:{}", self.user, self.password);
        constant_time_eq(&decoded, expected.as_bytes())
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A handler on a path.
#[derive(Clone)]
pub struct Mount {
    path: String,
    handler: Arc<dyn Handler>,
    auth: Option<BasicAuth>,
    realm: String,
    subtree: bool,
}

impl Mount {
    /// `handler` on exactly `path` (no prefix matching), without authentication.
    pub fn new(path: impl Into<String>, handler: impl Handler + 'static) -> Self {
        Mount {
            path: path.into(),
            handler: Arc::new(handler),
            auth: None,
            realm: "ezla-sim".into(),
            subtree: false,
        }
    }

    /// `handler` on `path` and every path below it (`path` ending in `/`, e.g. `/pue/`,
    /// takes `/pue/…`; `/pue` itself is routed there too), without authentication. A mount
    /// on an exact path wins over a subtree; of two subtrees the longer wins.
    pub fn subtree(path: impl Into<String>, handler: impl Handler + 'static) -> Self {
        let mut mount = Mount::new(path, handler);
        mount.subtree = true;
        mount
    }

    fn matches_subtree(&self, path: &str) -> bool {
        let base = self.path.trim_end_matches('/');
        self.subtree
            && (path == base
                || path
                    .strip_prefix(base)
                    .is_some_and(|rest| rest.starts_with('/')))
    }

    /// Requires `auth` (401 with `WWW-Authenticate: Basic` otherwise).
    pub fn basic_auth(mut self, auth: BasicAuth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// The realm named in `WWW-Authenticate` (default `ezla-sim`).
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = realm.into();
        self
    }

    /// The mount's path.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Debug for Mount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mount")
            .field("path", &self.path)
            .field("auth", &self.auth)
            .field("subtree", &self.subtree)
            .finish_non_exhaustive()
    }
}

/// The mounts of a server.
#[derive(Clone, Debug, Default)]
pub struct Router {
    mounts: Vec<Mount>,
}

/// What the router decided for a request.
pub(crate) enum Route<'a> {
    /// No mount has the path.
    NotFound,
    /// The mount wants credentials that were not given.
    Unauthorized { realm: &'a str },
    /// Call this handler.
    Handler(&'a dyn Handler),
}

impl Router {
    /// A router without mounts (every request gets 404).
    pub fn new() -> Self {
        Router::default()
    }

    /// Adds a mount (builder style); a later mount on the same path replaces the earlier.
    pub fn mount(mut self, mount: Mount) -> Self {
        self.mounts.retain(|m| m.path != mount.path);
        self.mounts.push(mount);
        self
    }

    /// The mounts.
    pub fn mounts(&self) -> &[Mount] {
        &self.mounts
    }

    pub(crate) fn route(&self, request: &SimRequest) -> Route<'_> {
        let exact = self
            .mounts
            .iter()
            .find(|m| !m.subtree && m.path == request.path);
        let subtree = || {
            self.mounts
                .iter()
                .filter(|m| m.matches_subtree(&request.path))
                .max_by_key(|m| m.path.len())
        };
        let Some(mount) = exact.or_else(subtree) else {
            return Route::NotFound;
        };
        if let Some(auth) = &mount.auth
            && !auth.accepts(request.header("authorization"))
        {
            return Route::Unauthorized {
                realm: &mount.realm,
            };
        }
        Route::Handler(mount.handler.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_accepts_only_the_right_pair() {
        let auth = BasicAuth::zus_default();
        // base64("ezla_ag:ezla_ag") from `printf ezla_ag:ezla_ag | base64`
        assert!(auth.accepts(Some("Basic ZXpsYV9hZzplemxhX2Fn")));
        assert!(auth.accepts(Some("basic  ZXpsYV9hZzplemxhX2Fn ")));
        assert!(!auth.accepts(Some("Basic ZXpsYV9hZzp3cm9uZw=="))); // ezla_ag:wrong
        assert!(!auth.accepts(Some("Bearer ZXpsYV9hZzplemxhX2Fn")));
        assert!(!auth.accepts(Some("Basic !!!")));
        assert!(!auth.accepts(None));
    }

    #[test]
    fn subtrees_take_the_paths_below_them_and_exact_mounts_win() {
        let router = Router::new()
            .mount(Mount::subtree("/pue/", |_: &SimRequest| {
                SimResponse::text(200, "tree")
            }))
            .mount(Mount::new("/pue/crl", |_: &SimRequest| {
                SimResponse::text(200, "exact")
            }));
        let answer = |path: &str| {
            let request = SimRequest {
                method: "GET".into(),
                path: path.into(),
                query: None,
                headers: Vec::new(),
                body: Vec::new(),
                peer: "127.0.0.1:1".parse().expect("addr"),
                tls: false,
                response_will_be_dropped: false,
                expire_session: false,
            };
            match router.route(&request) {
                Route::Handler(h) => String::from_utf8(h.handle(&request).body).expect("utf-8"),
                Route::NotFound => "404".into(),
                Route::Unauthorized { .. } => "401".into(),
            }
        };
        assert_eq!(answer("/pue/certyfikaty/01AB/pobierz"), "tree");
        assert_eq!(answer("/pue"), "tree");
        assert_eq!(answer("/pue/"), "tree");
        assert_eq!(answer("/pue/crl"), "exact");
        assert_eq!(answer("/puex"), "404");
        assert_eq!(answer("/other"), "404");
    }
}
