//! Who is asking: the actor of a request and what its role lets it do (DESIGN §7).
use super::Role;

/// The caller of one request: a token (its id and name, never its secret) or the anonymous
/// developer of a server that runs open on loopback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// `api_token.id`, `None` for anonymous callers.
    pub token_id: Option<i64>,
    /// The token's name, or `anonymous` / `stdio` when no token was presented.
    pub name: String,
    /// What the actor may do.
    pub role: Role,
}

impl Actor {
    /// The caller of an open server (no tokens exist, loopback only): may do everything a token
    /// may, except approve guardrails, which needs a named ADMIN.
    pub fn without_token(name: &str) -> Actor {
        Actor {
            token_id: None,
            name: name.to_owned(),
            role: Role::Admin,
        }
    }

    /// The actor of a token.
    pub fn token(id: i64, name: &str, role: Role) -> Actor {
        Actor {
            token_id: Some(id),
            name: name.to_owned(),
            role,
        }
    }

    /// May this actor do what `needed` may? Roles are ordered VIEWER < CSM < ADMIN.
    pub fn may(&self, needed: Role) -> bool {
        self.role >= needed
    }

    /// Does this actor's word let a negotiation offer below its floor through? Only an ADMIN
    /// token does: the approval is who asks, not what the request says.
    pub fn approves_guardrails(&self) -> bool {
        self.role == Role::Admin && self.token_id.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_viewer_csm_admin() {
        let csm = Actor::token(1, "c", Role::Csm);
        assert!(csm.may(Role::Viewer) && csm.may(Role::Csm) && !csm.may(Role::Admin));
        assert!(Actor::token(2, "v", Role::Viewer).may(Role::Viewer));
        assert!(!Actor::token(2, "v", Role::Viewer).may(Role::Csm));
    }

    #[test]
    fn only_an_admin_token_approves_guardrails() {
        assert!(Actor::token(1, "a", Role::Admin).approves_guardrails());
        assert!(!Actor::token(1, "c", Role::Csm).approves_guardrails());
        assert!(!Actor::without_token("anonymous").approves_guardrails());
    }
}
