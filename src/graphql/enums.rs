//! GraphQL enums: SCREAMING_CASE mirrors of the domain enums (conversions both ways generated
//! by `remote`).
use crate::domain;
use async_graphql::Enum;

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $remote:literal { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
        #[graphql(remote = $remote)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }
    };
}

mirror!(
    /// Plan tier, the upsell ladder.
    Tier => "domain::Tier" {
        /// Entry tier.
        Starter,
        /// Second rung.
        Standard,
        /// Third rung.
        Professional,
        /// Top tier.
        Enterprise,
    }
);
mirror!(
    /// Where a client is in its life with us.
    LifecycleStage => "domain::LifecycleStage" {
        /// First 90 days.
        Onboarding,
        /// Steady state.
        Active,
        /// Health below 60.
        AtRisk,
        /// Gone.
        Churned,
        /// Has open expansion opportunities.
        Expansion,
        /// Renewal within 90 days.
        Renewal,
    }
);
mirror!(
    /// Account status.
    ClientStatus => "domain::ClientStatus" {
        /// Paying customer.
        Active,
        /// Temporarily paused.
        Paused,
        /// No longer a customer.
        Churned,
        /// Not yet live.
        Pending,
    }
);
mirror!(
    /// A contact's role in buying decisions.
    ContactRole => "domain::ContactRole" {
        /// Advocates for us internally.
        Champion,
        /// Decides.
        DecisionMaker,
        /// Owns the budget.
        EconomicBuyer,
        /// Administers the product.
        Admin,
        /// Uses the product.
        User,
    }
);
mirror!(
    /// What a product is.
    ProductKind => "domain::ProductKind" {
        /// A plan tier (has a rank on the ladder).
        Tier,
        /// An add-on.
        Addon,
        /// A one-off or recurring service.
        Service,
    }
);
mirror!(
    /// How a product is priced.
    Pricing => "domain::Pricing" {
        /// Price × seats.
        PerSeat,
        /// One price.
        Flat,
    }
);
mirror!(
    /// Contract term type.
    ContractType => "domain::ContractType" {
        /// One year.
        Annual,
        /// Two or more years.
        MultiYear,
        /// Three months.
        Quarterly,
        /// One month.
        Monthly,
    }
);
mirror!(
    /// Whether the client pays on time.
    PaymentStatus => "domain::PaymentStatus" {
        /// Paid up.
        Current,
        /// Late.
        Overdue,
        /// Paying in instalments.
        PaymentPlan,
        /// Collection at risk.
        AtRisk,
    }
);
mirror!(
    /// Contract status.
    ContractStatus => "domain::ContractStatus" {
        /// In force.
        Active,
        /// Followed by its renewal contract.
        Renewed,
        /// Ended without renewal.
        Churned,
        /// Replaced mid-term.
        Superseded,
    }
);
mirror!(
    /// Renewal status.
    RenewalStatus => "domain::RenewalStatus" {
        /// Not yet decided.
        Open,
        /// Renewed at the same or higher ARR.
        Renewed,
        /// Renewed at lower ARR.
        Downgraded,
        /// Not renewed.
        Churned,
    }
);
mirror!(
    /// Kinds of expansion opportunity.
    OpportunityType => "domain::OpportunityType" {
        /// Move to the next tier.
        Upsell,
        /// Add a product.
        CrossSell,
        /// Add seats.
        UserExpansion,
        /// Raise the usage plan.
        UsageExpansion,
        /// Services engagement.
        ProfessionalServices,
        /// Training program.
        Training,
    }
);
mirror!(
    /// Sales stage of an opportunity.
    OpportunityStage => "domain::OpportunityStage" {
        /// Found.
        Identified,
        /// Confirmed worth pursuing.
        Qualified,
        /// Proposal sent.
        Proposed,
        /// Closed won: ARR added.
        Won,
        /// Closed lost.
        Lost,
    }
);
mirror!(
    /// Where an opportunity came from.
    OpportunitySource => "domain::OpportunitySource" {
        /// Found by a process.
        Detected,
        /// Entered by a person.
        Manual,
    }
);
mirror!(
    /// Kind of ARR movement.
    RevenueKind => "domain::RevenueKind" {
        /// First ARR of a client.
        New,
        /// ARR up.
        Expansion,
        /// ARR down, still a customer.
        Contraction,
        /// ARR to zero.
        Churn,
        /// A churned client back.
        Reactivation,
    }
);
mirror!(
    /// What caused an ARR movement.
    RevenueCategory => "domain::RevenueCategory" {
        /// Tier upgrade.
        Upsell,
        /// Added product.
        CrossSell,
        /// Added seats.
        UserExpansion,
        /// Higher usage plan.
        UsageExpansion,
        /// Services.
        ProfessionalServices,
        /// Training.
        Training,
        /// List price change.
        PriceIncrease,
        /// At renewal.
        Renewal,
        /// Anything else.
        Other,
    }
);
mirror!(
    /// Health direction versus the previous snapshot (±3 points).
    HealthTrend => "domain::HealthTrend" {
        /// Up more than 3 points.
        Improving,
        /// Within 3 points.
        Stable,
        /// Down more than 3 points.
        Declining,
    }
);
mirror!(
    /// Probability band: HIGH ≥ 0.70, MEDIUM ≥ 0.40, LOW below.
    ProbabilityBand => "crate::processes::common::ProbabilityBand" {
        /// Probability ≥ 0.70.
        High,
        /// 0.40 ≤ probability < 0.70.
        Medium,
        /// Probability < 0.40.
        Low,
    }
);
mirror!(
    /// Status of a renewal reminder.
    ReminderStatus => "domain::ReminderStatus" {
        /// Its date is still ahead.
        Scheduled,
        /// Its date has come: act on it.
        Due,
        /// Done.
        Completed,
        /// Deliberately not done.
        Skipped,
    }
);
mirror!(
    /// Whether a negotiation is still running.
    NegotiationStatus => "domain::NegotiationStatus" {
        /// Offers may be recorded.
        Open,
        /// Its renewal was closed.
        Closed,
        /// A newer negotiation of the same renewal replaced it (kept for history, with its offers).
        Superseded,
    }
);
mirror!(
    /// Confidence category of a renewal probability (118).
    ForecastCategory => "crate::processes::forecast::ForecastCategory" {
        /// p ≥ 0.80.
        HighConfidence,
        /// 0.60 ≤ p < 0.80.
        MediumConfidence,
        /// p < 0.60.
        AtRisk,
    }
);
mirror!(
    /// Risk of losing a renewal, from its forecast category.
    RiskLevel => "crate::processes::renewals::RiskLevel" {
        /// High confidence (p ≥ 0.80).
        Low,
        /// Medium confidence (0.60 ≤ p < 0.80).
        Medium,
        /// At risk (p < 0.60).
        High,
    }
);
mirror!(
    /// How renewal probabilities are made.
    ModelKind => "crate::processes::forecast::ModelKind" {
        /// L2-regularised logistic regression fitted on closed renewals.
        Logistic,
        /// Health bands and a payment penalty (too little history to fit).
        Heuristic,
    }
);
mirror!(
    /// A risk factor of a renewing account.
    RiskFactorKind => "crate::processes::forecast::RiskFactorKind" {
        /// Health score below 60.
        LowHealth,
        /// Usage rate below 0.5.
        LowUsage,
        /// Payment overdue or at risk.
        PaymentIssues,
        /// Seat utilization below 0.5.
        LowEngagement,
        /// Health declined more than 3 points.
        DecliningHealth,
        /// The contract does not auto-renew.
        ManualRenewal,
    }
);
mirror!(
    /// How a renewal is negotiated.
    NegotiationStrategy => "crate::processes::negotiation::NegotiationStrategy" {
        /// Price uplift justified by the value delivered (default: uplift 5 %, max discount 5 %).
        ValueReinforcement,
        /// Hold the account against a competitor (default: no uplift, max discount 15 %).
        CompetitiveDefense,
        /// Renew with every expansion option bundled in (default: no uplift, max discount 10 %).
        ExpansionBundle,
    }
);

mirror!(
    /// What happened (the `X-Expansion-Event` header carries the wire name, e.g. `reminder.due`).
    EventType => "crate::events::EventType" {
        /// `reminder.due`: a renewal reminder's due date arrived (once per reminder).
        ReminderDue,
        /// `renewal.at_risk`: a renewal became overdue or its probability fell below 0.60.
        RenewalAtRisk,
        /// `renewal.closed`: a renewal was closed as renewed, downgraded or churned.
        RenewalClosed,
        /// `opportunity.won`: an opportunity was won and its revenue booked.
        OpportunityWon,
        /// `opportunity.stage_changed`: an opportunity moved to another stage.
        OpportunityStageChanged,
        /// `negotiation.offer_recorded`: an offer was recorded on a negotiation.
        NegotiationOfferRecorded,
    }
);
mirror!(
    /// Where a webhook delivery stands.
    DeliveryStatus => "crate::events::webhook::DeliveryStatus" {
        /// Waiting for its next attempt (or being attempted).
        Pending,
        /// The endpoint answered 2xx.
        Delivered,
        /// Every attempt failed; `redeliverWebhook` sends it again.
        Failed,
    }
);
