//! `UsageSnapshot` and `HealthSnapshot`.
use crate::domain;
use crate::graphql::enums::HealthTrend;
use crate::graphql::scalars::Date;
use async_graphql::Object;

/// One month of product usage.
pub struct UsageSnapshot(pub domain::UsageSnapshot);

/// One month of product usage.
#[Object]
impl UsageSnapshot {
    /// First day of the month.
    async fn period_start(&self) -> Date {
        self.0.period_start.into()
    }
    /// Seats licensed.
    async fn seats_licensed(&self) -> i32 {
        self.0.seats_licensed
    }
    /// Users active in the month.
    async fn active_users(&self) -> i32 {
        self.0.active_users
    }
    /// activeUsers ÷ seatsLicensed (0 without seats), 4 decimals.
    async fn seat_utilization(&self) -> f64 {
        if self.0.seats_licensed == 0 {
            return 0.0;
        }
        round4(self.0.active_users as f64 / self.0.seats_licensed as f64)
    }
    /// Consumption ÷ plan limit (0…∞; above 1 is over the plan).
    async fn usage_rate(&self) -> f64 {
        round4(self.0.usage_rate)
    }
    /// Share of features in use, 0–1.
    async fn feature_adoption(&self) -> f64 {
        round4(self.0.feature_adoption)
    }
    /// API calls in the month.
    async fn api_calls(&self) -> i64 {
        self.0.api_calls
    }
    /// Logins in the month.
    async fn logins(&self) -> i64 {
        self.0.logins
    }
    /// Reports exported in the month.
    async fn reports_exported(&self) -> i64 {
        self.0.reports_exported
    }
}

/// A dated health score and its components (each 0–100).
pub struct HealthSnapshot(pub domain::HealthSnapshot);

/// A dated health score and its components (each 0–100).
#[Object]
impl HealthSnapshot {
    /// Date of the score.
    async fn as_of(&self) -> Date {
        self.0.as_of.into()
    }
    /// Weighted overall score, 0–100, rounded.
    async fn score(&self) -> i32 {
        self.0.overall_score.round() as i32
    }
    /// Weighted overall score with two decimals.
    async fn exact_score(&self) -> f64 {
        self.0.overall_score
    }
    /// Usage component.
    async fn usage_score(&self) -> i32 {
        self.0.components.usage
    }
    /// Engagement component.
    async fn engagement_score(&self) -> i32 {
        self.0.components.engagement
    }
    /// Support component.
    async fn support_score(&self) -> i32 {
        self.0.components.support
    }
    /// Satisfaction component.
    async fn satisfaction_score(&self) -> i32 {
        self.0.components.satisfaction
    }
    /// Payment component.
    async fn payment_score(&self) -> i32 {
        self.0.components.payment
    }
    /// Versus the previous snapshot.
    async fn trend(&self) -> HealthTrend {
        self.0.trend.into()
    }
}

/// Rates are shown with 4 decimals (DESIGN §4).
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
