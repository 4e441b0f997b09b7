//! The importable entities: file names, columns and the order references resolve in.
use std::fmt;

/// One kind of row, one file (`clients.csv`, `usage_snapshots.jsonl`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Products,
    Clients,
    Contacts,
    Contracts,
    ContractItems,
    UsageSnapshots,
    HealthSnapshots,
    Renewals,
    RenewalReminders,
    Opportunities,
    RevenueEvents,
}

/// A column: its name and whether every row needs it.
pub type Column = (&'static str, bool);

impl Entity {
    /// Every entity, parents before the rows that reference them.
    pub const ALL: [Entity; 11] = [
        Entity::Products,
        Entity::Clients,
        Entity::Contacts,
        Entity::Contracts,
        Entity::ContractItems,
        Entity::UsageSnapshots,
        Entity::HealthSnapshots,
        Entity::Renewals,
        Entity::RenewalReminders,
        Entity::Opportunities,
        Entity::RevenueEvents,
    ];

    /// The file stem naming the entity (`clients` in `clients.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Entity::Products => "products",
            Entity::Clients => "clients",
            Entity::Contacts => "contacts",
            Entity::Contracts => "contracts",
            Entity::ContractItems => "contract_items",
            Entity::UsageSnapshots => "usage_snapshots",
            Entity::HealthSnapshots => "health_snapshots",
            Entity::Renewals => "renewals",
            Entity::RenewalReminders => "renewal_reminders",
            Entity::Opportunities => "opportunities",
            Entity::RevenueEvents => "revenue_events",
        }
    }

    /// The entity a file stem or `--entity` value names.
    pub fn from_name(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The allowed names, for error messages.
    pub fn allowed() -> String {
        Entity::ALL.map(Entity::name).join(", ")
    }

    /// The columns, in the order `export` writes them; `true` = required.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Entity::Products => &[
                ("id", true),
                ("name", true),
                ("family", true),
                ("kind", true),
                ("tier_rank", false),
                ("pricing", true),
                ("annual_price", true),
            ],
            Entity::Clients => &[
                ("id", true),
                ("name", true),
                ("company_name", false),
                ("industry", true),
                ("tier", true),
                ("lifecycle_stage", true),
                ("status", true),
                ("csm_owner", false),
                ("customer_since", true),
                ("acquisition_cost", false),
                ("created_at", false),
            ],
            Entity::Contacts => &[
                ("client_id", true),
                ("name", true),
                ("email", true),
                ("role", true),
                ("is_primary", false),
            ],
            Entity::Contracts => &[
                ("id", true),
                ("client_id", true),
                ("contract_type", true),
                ("start_date", true),
                ("end_date", true),
                ("renewal_date", false),
                ("auto_renew", false),
                ("notice_period_days", false),
                ("payment_status", false),
                ("seats", true),
                ("discount", false),
                ("status", false),
            ],
            Entity::ContractItems => &[
                ("contract_id", true),
                ("product_id", true),
                ("quantity", true),
                ("arr", true),
            ],
            Entity::UsageSnapshots => &[
                ("client_id", true),
                ("period_start", true),
                ("seats_licensed", true),
                ("active_users", true),
                ("usage_rate", true),
                ("feature_adoption", true),
                ("api_calls", false),
                ("logins", false),
                ("reports_exported", false),
            ],
            Entity::HealthSnapshots => &[
                ("client_id", true),
                ("as_of", true),
                ("usage_score", false),
                ("engagement_score", false),
                ("support_score", false),
                ("satisfaction_score", false),
                ("payment_score", false),
                ("overall_score", false),
            ],
            Entity::Renewals => &[
                ("id", true),
                ("contract_id", true),
                ("client_id", true),
                ("renewal_date", true),
                ("target_arr", true),
                ("status", true),
                ("outcome_arr", false),
                ("closed_at", false),
            ],
            Entity::RenewalReminders => &[
                ("renewal_id", true),
                ("offset_days", true),
                ("due_date", true),
                ("status", true),
                ("completed_at", false),
                ("note", false),
            ],
            Entity::Opportunities => &[
                ("id", true),
                ("client_id", true),
                ("opportunity_type", true),
                ("product_id", false),
                ("name", true),
                ("value", true),
                ("probability", true),
                ("stage", true),
                ("source", false),
                ("detection_key", false),
                ("reasons", false),
                ("expected_close_date", false),
                ("closed_on", false),
                ("owner", false),
                ("created_at", false),
            ],
            Entity::RevenueEvents => &[
                ("client_id", true),
                ("occurred_on", true),
                ("kind", true),
                ("category", true),
                ("arr_delta", true),
                ("contract_id", false),
                ("opportunity_id", false),
                ("renewal_id", false),
            ],
        }
    }

    /// The column names, comma-separated (the `allowed` of an unknown column).
    pub fn column_list(self) -> String {
        self.columns()
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}
