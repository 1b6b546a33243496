//! The WSDL's operations: what the simulator routes by.

/// One operation of the service, from `wsdl:portType`, `wsdl:message` and `wsdl:binding`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub(crate) name: String,
    pub(crate) soap_action: String,
    pub(crate) input: String,
    pub(crate) output: String,
}

impl Operation {
    /// The operation's name (`zalogujPodpisem`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `SOAPAction` of its binding (`zus_channel_zla_Binder_zalogujPodpisem`).
    pub fn soap_action(&self) -> &str {
        &self.soap_action
    }

    /// Local name of the request's body element (in the target namespace).
    pub fn input_element(&self) -> &str {
        &self.input
    }

    /// Local name of the response's body element (in the target namespace).
    pub fn output_element(&self) -> &str {
        &self.output
    }
}
