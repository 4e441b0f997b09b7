//! Two to four contacts per client, exactly one of them primary, with plain lowercase emails.
use super::clients::Identity;
use super::names::{FIRST_NAMES, LAST_NAMES};
use super::random::Dice;
use crate::domain::{Contact, ContactRole};

/// The contacts of `who`. The primary is the champion or the decision maker: the person a CSM
/// calls first.
pub(super) fn generate(dice: &mut Dice, who: &Identity) -> Vec<Contact> {
    let count = dice.int(2, 4) as usize;
    let mut contacts: Vec<Contact> = Vec::with_capacity(count);
    while contacts.len() < count {
        let first = *dice.pick(FIRST_NAMES);
        let last = *dice.pick(LAST_NAMES);
        let name = format!("{first} {last}");
        // Two people of one name at one client would share an email address.
        if contacts.iter().any(|c| c.name == name) {
            continue;
        }
        let is_primary = contacts.is_empty();
        let role = if is_primary {
            dice.weighted(&[(ContactRole::Champion, 0.6), (ContactRole::DecisionMaker, 0.4)])
        } else {
            dice.weighted(&[
                (ContactRole::Champion, 0.15),
                (ContactRole::DecisionMaker, 0.2),
                (ContactRole::EconomicBuyer, 0.25),
                (ContactRole::Admin, 0.2),
                (ContactRole::User, 0.2),
            ])
        };
        contacts.push(Contact {
            id: 0,
            client_id: who.id.clone(),
            email: format!("{}.{}@{}", first.to_lowercase(), last.to_lowercase(), who.domain),
            name,
            role,
            is_primary,
        });
    }
    contacts
}
