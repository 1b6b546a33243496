//! ezla-sim: an offline simulator of the ZUS e-ZLA channel.
pub mod schema;
pub mod soap;
pub mod zus;
