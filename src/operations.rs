//! The named GraphQL operations of the eight processes (`operations/*.graphql`): what agents and
//! frontends call, served by `GET /operations`, opened in GraphiQL and run by the MCP tools. Each
//! document's first comment line is its one-line description (one source for all three).

/// How an MCP argument is typed, checked and turned into a GraphQL variable.
#[derive(Clone, Copy, Debug)]
pub enum ArgKind {
    /// Free text (ids, families).
    Text,
    /// An ISO date `YYYY-MM-DD`.
    Date,
    /// A whole number within a range.
    Integer { min: i64, max: i64 },
    /// A number within a range.
    Number { min: f64, max: f64 },
    /// true / false.
    Boolean,
    /// One snake_case value, sent upper-cased.
    Enum { values: &'static [&'static str] },
    /// How many items of the process's list to return (the GraphQL `first`): 1–`max`, and
    /// `default` when the tool call leaves it out (smaller than GraphQL's, so an answer stays short).
    PageSize { default: i64, max: i64 },
    /// Whether each item lists its reasons: on in the document (for frontends), off in a tool call
    /// unless asked, so the default answer stays short.
    Detail,
    /// A list of snake_case values, sent upper-cased; `aliases` rename legacy values first.
    EnumList {
        values: &'static [&'static str],
        aliases: &'static [(&'static str, &'static str)],
    },
}

/// One argument of a tool: its original snake_case name and the operation variable it feeds.
#[derive(Clone, Copy, Debug)]
pub struct Argument {
    /// The original (Python tool) name.
    pub name: &'static str,
    /// The GraphQL variable.
    pub variable: &'static str,
    /// Type and range.
    pub kind: ArgKind,
    /// The default of the original tool, as JSON text (documented; GraphQL applies it).
    pub default: Option<&'static str>,
    /// Whether the tool cannot run without it.
    pub required: bool,
    /// One line for agents.
    pub description: &'static str,
}

/// One process operation.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// MCP tool name (the original Python tool's), also the file stem.
    pub tool: &'static str,
    /// The GraphQL operation name in the document.
    pub operation_name: &'static str,
    /// The document.
    pub document: &'static str,
    /// Whether it writes (a mutation).
    pub mutation: bool,
    /// Its arguments.
    pub arguments: &'static [Argument],
}

impl Operation {
    /// Whether the operation pages an item list (it takes `limit` and `after`).
    pub fn is_paged(&self) -> bool {
        self.arguments
            .iter()
            .any(|a| matches!(a.kind, ArgKind::PageSize { .. }))
    }

    /// The first comment line of the document.
    pub fn description(&self) -> &'static str {
        self.document
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# "))
            .unwrap_or(self.operation_name)
    }
}

const AS_OF: Argument = Argument {
    name: "as_of",
    variable: "asOf",
    kind: ArgKind::Date,
    default: None,
    required: false,
    description: "Date the answer is as of (YYYY-MM-DD); default today (UTC).",
};

const CLIENT_ID: Argument = Argument {
    name: "client_id",
    variable: "clientId",
    kind: ArgKind::Text,
    default: None,
    required: false,
    description: "One client's id; omit for the whole portfolio.",
};

const LIMIT: Argument = Argument {
    name: "limit",
    variable: "first",
    kind: ArgKind::PageSize { default: 10, max: 100 },
    default: Some("10"),
    required: false,
    description: "How many items to return, 1–100 (default 10), largest first; the summary always covers all of them.",
};

const INCLUDE_REASONS: Argument = Argument {
    name: "include_reasons",
    variable: "includeReasons",
    kind: ArgKind::Detail,
    default: Some("false"),
    required: false,
    description:
        "List the data behind each item (reasons, readiness signals); default false, to keep the answer short.",
};

const AFTER: Argument = Argument {
    name: "after",
    variable: "after",
    kind: ArgKind::Text,
    default: None,
    required: false,
    description: "pageInfo.endCursor of the previous answer, for the next `limit` items.",
};

/// Every operation, in process order.
pub static OPERATIONS: &[Operation] = &[
    Operation {
        tool: "identify_upsell_opportunities",
        operation_name: "IdentifyUpsellOpportunities",
        document: include_str!("../operations/identify_upsell_opportunities.graphql"),
        mutation: false,
        arguments: &[
            CLIENT_ID,
            Argument {
                name: "min_health_score",
                variable: "minHealthScore",
                kind: ArgKind::Number { min: 0.0, max: 100.0 },
                default: Some("75"),
                required: false,
                description: "Minimum health score 0–100.",
            },
            Argument {
                name: "min_usage_threshold",
                variable: "minUsageThreshold",
                kind: ArgKind::Number { min: 0.0, max: 2.0 },
                default: Some("0.7"),
                required: false,
                description: "Minimum usage rate (consumption ÷ plan limit), 0–2.",
            },
            LIMIT,
            AFTER,
            AS_OF,
        ],
    },
    Operation {
        tool: "identify_crosssell_opportunities",
        operation_name: "IdentifyCrosssellOpportunities",
        document: include_str!("../operations/identify_crosssell_opportunities.graphql"),
        mutation: false,
        arguments: &[
            CLIENT_ID,
            Argument {
                name: "product_family",
                variable: "productFamily",
                kind: ArgKind::Text,
                default: Some("\"all\""),
                required: false,
                description: "Catalog family of the add-ons, or all.",
            },
            Argument {
                name: "min_fit_score",
                variable: "minFitScore",
                kind: ArgKind::Number { min: 0.0, max: 1.0 },
                default: Some("0.3"),
                required: false,
                description: "Minimum market-basket fit, 0–1.",
            },
            INCLUDE_REASONS,
            LIMIT,
            AFTER,
            AS_OF,
        ],
    },
    Operation {
        tool: "identify_expansion_opportunities",
        operation_name: "IdentifyExpansionOpportunities",
        document: include_str!("../operations/identify_expansion_opportunities.graphql"),
        mutation: false,
        arguments: &[
            CLIENT_ID,
            Argument {
                name: "opportunity_types",
                variable: "opportunityTypes",
                kind: ArgKind::EnumList {
                    values: &[
                        "upsell",
                        "cross_sell",
                        "user_expansion",
                        "usage_expansion",
                        "professional_services",
                        "training",
                    ],
                    aliases: &[("tier_upgrade", "upsell")],
                },
                default: None,
                required: false,
                description: "Types to include (tier_upgrade = upsell); default all.",
            },
            INCLUDE_REASONS,
            LIMIT,
            AFTER,
            AS_OF,
        ],
    },
    Operation {
        tool: "track_renewals",
        operation_name: "TrackRenewals",
        document: include_str!("../operations/track_renewals.graphql"),
        mutation: false,
        arguments: &[
            CLIENT_ID,
            Argument {
                name: "days_until_renewal",
                variable: "daysUntilRenewal",
                kind: ArgKind::Integer { min: 1, max: 730 },
                default: Some("90"),
                required: false,
                description: "Window length in days.",
            },
            LIMIT,
            AFTER,
            Argument {
                name: "overdue_after",
                variable: "overdueAfter",
                kind: ArgKind::Text,
                default: None,
                required: false,
                description: "overduePage.endCursor of the previous answer, for the next `limit` overdue renewals.",
            },
            AS_OF,
        ],
    },
    Operation {
        tool: "forecast_renewals",
        operation_name: "ForecastRenewals",
        document: include_str!("../operations/forecast_renewals.graphql"),
        mutation: false,
        arguments: &[
            Argument {
                name: "forecast_period_days",
                variable: "forecastPeriodDays",
                kind: ArgKind::Integer { min: 1, max: 730 },
                default: Some("180"),
                required: false,
                description: "Forecast renewals due within this many days.",
            },
            Argument {
                name: "include_risk_analysis",
                variable: "includeRiskAnalysis",
                kind: ArgKind::Boolean,
                default: Some("true"),
                required: false,
                description: "Add risk factors and mitigation steps.",
            },
            LIMIT,
            AFTER,
            AS_OF,
        ],
    },
    Operation {
        tool: "negotiate_renewals",
        operation_name: "NegotiateRenewals",
        document: include_str!("../operations/negotiate_renewals.graphql"),
        mutation: true,
        arguments: &[
            Argument {
                name: "client_id",
                variable: "clientId",
                kind: ArgKind::Text,
                default: None,
                required: true,
                description: "The client whose open renewal is negotiated.",
            },
            Argument {
                name: "negotiation_strategy",
                variable: "negotiationStrategy",
                kind: ArgKind::Enum {
                    values: &["value_reinforcement", "competitive_defense", "expansion_bundle"],
                },
                default: Some("\"value_reinforcement\""),
                required: false,
                description: "Uplift and discount policy.",
            },
            AS_OF,
        ],
    },
    Operation {
        tool: "track_revenue_expansion",
        operation_name: "TrackRevenueExpansion",
        document: include_str!("../operations/track_revenue_expansion.graphql"),
        mutation: false,
        arguments: &[
            Argument {
                name: "time_period",
                variable: "timePeriod",
                kind: ArgKind::Enum {
                    values: &["monthly", "quarterly", "yearly"],
                },
                default: Some("\"quarterly\""),
                required: false,
                description: "Calendar period length.",
            },
            Argument {
                name: "include_pipeline",
                variable: "includePipeline",
                kind: ArgKind::Boolean,
                default: Some("true"),
                required: false,
                description: "Include open opportunities by probability band.",
            },
            Argument {
                name: "periods",
                variable: "periods",
                kind: ArgKind::Integer { min: 1, max: 24 },
                default: Some("1"),
                required: false,
                description: "How many periods, oldest first; the last contains as_of.",
            },
            AS_OF,
        ],
    },
    Operation {
        tool: "optimize_customer_lifetime_value",
        operation_name: "OptimizeCustomerLifetimeValue",
        document: include_str!("../operations/optimize_customer_lifetime_value.graphql"),
        mutation: false,
        arguments: &[
            CLIENT_ID,
            Argument {
                name: "optimization_focus",
                variable: "optimizationFocus",
                kind: ArgKind::Enum {
                    values: &["retention", "expansion", "efficiency", "balanced"],
                },
                default: Some("\"balanced\""),
                required: false,
                description: "Which strategies to keep.",
            },
            AS_OF,
        ],
    },
    Operation {
        tool: "list_events",
        operation_name: "ListEvents",
        document: include_str!("../operations/list_events.graphql"),
        mutation: false,
        arguments: &[
            Argument {
                name: "since",
                variable: "since",
                kind: ArgKind::Text,
                default: None,
                required: false,
                description: "Only events at or after this time (ISO 8601, e.g. 2026-12-01T00:00:00Z).",
            },
            Argument {
                name: "types",
                variable: "types",
                kind: ArgKind::EnumList {
                    values: &[
                        "reminder_due",
                        "renewal_at_risk",
                        "renewal_closed",
                        "opportunity_won",
                        "opportunity_stage_changed",
                        "negotiation_offer_recorded",
                    ],
                    aliases: &[
                        ("reminder.due", "reminder_due"),
                        ("renewal.at_risk", "renewal_at_risk"),
                        ("renewal.closed", "renewal_closed"),
                        ("opportunity.won", "opportunity_won"),
                        ("opportunity.stage_changed", "opportunity_stage_changed"),
                        ("negotiation.offer_recorded", "negotiation_offer_recorded"),
                    ],
                },
                default: None,
                required: false,
                description: "Only these event types (default all).",
            },
            CLIENT_ID,
            Argument {
                name: "limit",
                variable: "first",
                kind: ArgKind::Integer { min: 1, max: 100 },
                default: Some("10"),
                required: false,
                description: "Events per page, oldest first; pass the endCursor back as `after` for more.",
            },
            Argument {
                name: "after",
                variable: "after",
                kind: ArgKind::Text,
                default: None,
                required: false,
                description: "endCursor of the previous page.",
            },
        ],
    },
];
