//! Plain types of the book of business: money, ids, enums, records and validated inputs.
//! Pure: no database, GraphQL, runtime or clock.
pub mod access;
pub mod book;
pub mod enums;
pub mod health;
pub mod ids;
pub mod inputs;
pub mod money;
pub mod money_text;
pub mod negotiation;
pub mod pipeline;
pub mod queries;
pub mod records;
pub mod reminder;
pub mod serde_text;
pub mod validate;

pub use book::Book;
pub use enums::*;
pub use money::Money;
pub use records::*;
