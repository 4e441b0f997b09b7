//! The enum-like columns of the data model. Each is stored as its snake_case text (the table
//! contract of DESIGN §3) and shown in GraphQL as SCREAMING_CASE.
use crate::error::{Error, Result};

/// Defines a text-backed enum with `ALL`, `as_str`, `parse` (a `BAD_USER_INPUT` naming the allowed
/// values) and `Display`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the stored text; `field` names the input in the error.
            pub fn parse(field: &str, text: &str) -> Result<Self> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Error::bad_input(field, format!("unknown value `{text}`"), Self::allowed())),
                }
            }

            /// The allowed values, comma-separated, for error messages.
            pub fn allowed() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// A client's plan tier; the ladder of upsell.
    Tier { Starter = "starter", Standard = "standard", Professional = "professional", Enterprise = "enterprise" }
);
text_enum!(
    /// Where a client is in its life with us.
    LifecycleStage {
        Onboarding = "onboarding", Active = "active", AtRisk = "at_risk", Churned = "churned",
        Expansion = "expansion", Renewal = "renewal",
    }
);
text_enum!(
    /// Account status.
    ClientStatus { Active = "active", Paused = "paused", Churned = "churned", Pending = "pending" }
);
text_enum!(
    /// A contact's role in buying decisions.
    ContactRole {
        Champion = "champion", DecisionMaker = "decision_maker", EconomicBuyer = "economic_buyer",
        Admin = "admin", User = "user",
    }
);
text_enum!(
    /// What a product is: a plan tier, an add-on, or a one-off service.
    ProductKind { Tier = "tier", Addon = "addon", Service = "service" }
);
text_enum!(
    /// How a product is priced.
    Pricing { PerSeat = "per_seat", Flat = "flat" }
);
text_enum!(
    /// Contract term type.
    ContractType { Annual = "annual", MultiYear = "multi_year", Quarterly = "quarterly", Monthly = "monthly" }
);
text_enum!(
    /// Whether the client pays on time.
    PaymentStatus { Current = "current", Overdue = "overdue", PaymentPlan = "payment_plan", AtRisk = "at_risk" }
);
text_enum!(
    /// Contract status.
    ContractStatus { Active = "active", Renewed = "renewed", Churned = "churned", Superseded = "superseded" }
);
text_enum!(
    /// Renewal status; everything but `Open` is a closed outcome.
    RenewalStatus { Open = "open", Renewed = "renewed", Downgraded = "downgraded", Churned = "churned" }
);
text_enum!(
    /// Reminder status.
    ReminderStatus { Scheduled = "scheduled", Due = "due", Completed = "completed", Skipped = "skipped" }
);
text_enum!(
    /// Kinds of expansion opportunity.
    OpportunityType {
        Upsell = "upsell", CrossSell = "cross_sell", UserExpansion = "user_expansion",
        UsageExpansion = "usage_expansion", ProfessionalServices = "professional_services", Training = "training",
    }
);
text_enum!(
    /// Sales stage of an opportunity.
    OpportunityStage { Identified = "identified", Qualified = "qualified", Proposed = "proposed", Won = "won", Lost = "lost" }
);
text_enum!(
    /// Where an opportunity came from.
    OpportunitySource { Detected = "detected", Manual = "manual" }
);
text_enum!(
    /// Kind of ARR movement in the ledger.
    RevenueKind { New = "new", Expansion = "expansion", Contraction = "contraction", Churn = "churn", Reactivation = "reactivation" }
);
text_enum!(
    /// What caused an ARR movement.
    RevenueCategory {
        Upsell = "upsell", CrossSell = "cross_sell", UserExpansion = "user_expansion", UsageExpansion = "usage_expansion",
        ProfessionalServices = "professional_services", Training = "training", PriceIncrease = "price_increase",
        Renewal = "renewal", Other = "other",
    }
);
text_enum!(
    /// Direction of health versus the previous snapshot.
    HealthTrend { Improving = "improving", Stable = "stable", Declining = "declining" }
);
text_enum!(
    /// Whether a negotiation is still running.
    NegotiationStatus { Open = "open", Closed = "closed", Superseded = "superseded" }
);
text_enum!(
    /// What a caller may do (DESIGN §7): read, work accounts, or administer (guardrail approvals).
    Role { Viewer = "viewer", Csm = "csm", Admin = "admin" }
);

impl RevenueKind {
    /// Growth kinds carry a positive delta, loss kinds a negative one.
    pub fn is_growth(self) -> bool {
        matches!(
            self,
            RevenueKind::New | RevenueKind::Expansion | RevenueKind::Reactivation
        )
    }
}

impl OpportunityStage {
    /// Won and lost are final.
    pub fn is_closed(self) -> bool {
        matches!(self, OpportunityStage::Won | OpportunityStage::Lost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_text() {
        for tier in Tier::ALL {
            assert_eq!(Tier::parse("tier", tier.as_str()).unwrap(), *tier);
        }
        for category in RevenueCategory::ALL {
            assert_eq!(
                RevenueCategory::parse("category", category.as_str()).unwrap(),
                *category
            );
        }
    }

    #[test]
    fn unknown_value_lists_the_allowed_ones() {
        let err = Tier::parse("tier", "platinum").unwrap_err();
        match err {
            Error::BadUserInput { field, allowed, .. } => {
                assert_eq!(field, "tier");
                assert_eq!(allowed.as_deref(), Some("starter, standard, professional, enterprise"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
