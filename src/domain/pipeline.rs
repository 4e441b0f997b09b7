//! The opportunity lifecycle as plain rules: validated inputs of `createOpportunity` and
//! `updateOpportunity`, and which stage moves are legal.
//!
//! Stages move forward one step at a time, identified → qualified → proposed → won, and any open
//! stage may move to lost; won and lost are final. Staying on the same stage is not a move.
use super::enums::*;
use super::ids::validate_client_id;
use super::inputs::MAX_TEXT;
use super::money::Money;
use super::validate::{float_range, int_range, optional_text, text, Checks};
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// The most reasons an opportunity keeps.
pub const MAX_REASONS: usize = 20;

impl OpportunityStage {
    /// The stages an opportunity in this stage may move to (none once closed).
    pub fn next_stages(self) -> &'static [OpportunityStage] {
        use OpportunityStage::*;
        match self {
            Identified => &[Qualified, Lost],
            Qualified => &[Proposed, Lost],
            Proposed => &[Won, Lost],
            Won | Lost => &[],
        }
    }

    /// Checks a move from `self` to `to`: `BAD_USER_INPUT` on `stage` naming the legal targets.
    /// Staying put is allowed; a closed stage is refused earlier (see [`OpportunityForUpdate`]).
    pub fn check_move(self, to: OpportunityStage) -> Result<()> {
        if to == self || self.next_stages().contains(&to) {
            return Ok(());
        }
        let allowed: Vec<String> = self.next_stages().iter().map(|s| s.as_str().to_uppercase()).collect();
        Err(Error::bad_input(
            "stage",
            format!("cannot move from {} to {}", self.as_str(), to.as_str()),
            format!(
                "from {}: {} (stages move forward one step; any open stage may become LOST)",
                self.as_str().to_uppercase(),
                allowed.join(" or ")
            ),
        ))
    }
}

/// A manual opportunity.
#[derive(Clone, Debug)]
pub struct OpportunityForCreate {
    pub client_id: String,
    pub opportunity_type: OpportunityType,
    pub product_id: Option<String>,
    pub name: String,
    pub value: Money,
    pub probability: f64,
    /// An open stage (won needs `updateOpportunity`, which books the revenue).
    pub stage: OpportunityStage,
    pub expected_close_date: Option<NaiveDate>,
    pub owner: Option<String>,
    pub reasons: Vec<String>,
}

impl OpportunityForCreate {
    /// Checks ids, texts, value ≥ 0, probability 0–1 and an open stage.
    pub fn validate(mut self) -> Result<Self> {
        let mut c = Checks::default();
        c.check(validate_client_id("clientId", &self.client_id));
        if let Some(product) = &self.product_id {
            c.check(validate_client_id("productId", product));
        }
        self.name = c.value(text("name", &self.name, MAX_TEXT));
        c.check(self.value.non_negative("value"));
        c.check(float_range("probability", self.probability, 0.0, 1.0));
        if self.stage.is_closed() {
            c.fail(Error::bad_input(
                "stage",
                "a new opportunity starts open; win or lose it with updateOpportunity",
                "IDENTIFIED, QUALIFIED, PROPOSED",
            ));
        }
        self.owner = c.value(optional_text("owner", self.owner.as_deref(), MAX_TEXT));
        self.reasons = c.value(reasons(self.reasons));
        c.finish(self)
    }
}

/// Changes to an opportunity; absent fields stay. `expected_version` guards against lost updates.
#[derive(Clone, Debug, Default)]
pub struct OpportunityForUpdate {
    pub expected_version: i32,
    pub stage: Option<OpportunityStage>,
    pub name: Option<String>,
    pub value: Option<Money>,
    pub probability: Option<f64>,
    pub expected_close_date: Option<NaiveDate>,
    pub owner: Option<String>,
    pub reasons: Option<Vec<String>>,
    /// The day a move to won or lost happened (default: today); the ledger event is dated on it.
    pub closed_on: Option<NaiveDate>,
}

impl OpportunityForUpdate {
    /// Checks the present fields (the stage move is checked against the stored stage).
    pub fn validate(mut self) -> Result<Self> {
        let mut c = Checks::default();
        c.check(int_range(
            "expectedVersion",
            self.expected_version.into(),
            1,
            i32::MAX.into(),
        ));
        self.name = c.value(self.name.map(|n| text("name", &n, MAX_TEXT)).transpose());
        if let Some(value) = self.value {
            c.check(value.non_negative("value"));
        }
        if let Some(p) = self.probability {
            c.check(float_range("probability", p, 0.0, 1.0));
        }
        self.owner = c.value(self.owner.map(|o| text("owner", &o, MAX_TEXT)).transpose());
        self.reasons = c.value(self.reasons.map(reasons).transpose());
        c.finish(self)
    }

    /// The stored opportunity with these changes applied: stage moves checked, a close stamped
    /// with `closed_on` (won at probability 1, lost at 0), the version bumped. A closed
    /// opportunity is final: any change is a `CONFLICT`.
    pub fn apply(&self, current: &super::Opportunity, today: NaiveDate) -> Result<super::Opportunity> {
        if current.stage.is_closed() {
            return Err(Error::Conflict(format!(
                "opportunity {} is {}: closed opportunities are final",
                current.id, current.stage
            )));
        }
        let stage = self.stage.unwrap_or(current.stage);
        current.stage.check_move(stage)?;
        let mut next = super::Opportunity {
            stage,
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            value: self.value.unwrap_or(current.value),
            probability: self.probability.unwrap_or(current.probability),
            expected_close_date: self.expected_close_date.or(current.expected_close_date),
            owner: self.owner.clone().or_else(|| current.owner.clone()),
            reasons: self.reasons.clone().unwrap_or_else(|| current.reasons.clone()),
            version: current.version + 1,
            ..current.clone()
        };
        match stage {
            OpportunityStage::Won | OpportunityStage::Lost => {
                next.closed_on = Some(self.closed_on.unwrap_or(today));
                next.probability = if stage == OpportunityStage::Won { 1.0 } else { 0.0 };
            }
            _ if self.closed_on.is_some() => {
                return Err(Error::bad_input(
                    "closedOn",
                    "only a move to WON or LOST has a close date",
                    "absent unless stage is WON or LOST",
                ))
            }
            _ => {}
        }
        Ok(next)
    }
}

fn reasons(reasons: Vec<String>) -> Result<Vec<String>> {
    int_range("reasons", reasons.len() as i64, 0, MAX_REASONS as i64)?;
    reasons.iter().map(|r| text("reasons", r, 500)).collect()
}

#[cfg(test)]
mod tests;
