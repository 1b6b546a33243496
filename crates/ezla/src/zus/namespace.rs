//! The namespace of the SOAP body elements.

/// The namespace ZUS's body elements are in: the WSDL's, or the one ZUS's documentation
/// examples reportedly use. Which one a given ZUS endpoint speaks is not known for certain
/// (`docs/zus.md`), so it is configuration.
///
/// Requests are written in the configured namespace. Responses are accepted with the body
/// element in **either** of the two (and nothing else); see [`parse`](super::Operation::parse).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BodyNamespace {
    /// `http://zus.pl/b2b/zus/channel/gabinetowe`: the 2018 WSDL's target namespace.
    #[default]
    ZusPl,
    /// `http://zus.gov.pl/b2b/zus/channel/gabinetowe`: seen in ZUS's documentation examples
    /// and a third-party client \[S\].
    ZusGovPl,
}

impl BodyNamespace {
    /// Both namespaces, the default first.
    pub const ALL: [BodyNamespace; 2] = [BodyNamespace::ZusPl, BodyNamespace::ZusGovPl];

    /// The namespace URI.
    pub const fn uri(self) -> &'static str {
        match self {
            BodyNamespace::ZusPl => "http://zus.pl/b2b/zus/channel/gabinetowe",
            BodyNamespace::ZusGovPl => "http://zus.gov.pl/b2b/zus/channel/gabinetowe",
        }
    }

    /// The other one of the two.
    pub const fn other(self) -> BodyNamespace {
        match self {
            BodyNamespace::ZusPl => BodyNamespace::ZusGovPl,
            BodyNamespace::ZusGovPl => BodyNamespace::ZusPl,
        }
    }

    /// The namespace with this URI, if it is one of the two.
    pub fn from_uri(uri: &str) -> Option<BodyNamespace> {
        BodyNamespace::ALL.into_iter().find(|n| n.uri() == uri)
    }
}
