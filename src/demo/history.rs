//! One client's life, month by month from `customer_since` to `as_of`: the latent state moves,
//! deals are won and lost mid-term, and each contract that reaches its end is renewed, shrunk,
//! grown or lost according to the state 30 days before. Every change of ARR is written to the
//! ledger in the same step as the contract change, so the two can never drift apart.
use super::calendar::{days_between, first_month_start_from, next_month};
use super::clients::{self, Identity};
use super::contracts::{LiveContract, Terms};
use super::random::Dice;
use super::state::{Latent, MonthInputs, MonthState};
use super::{catalog, contacts, pipeline, renewals, snapshots, DemoBook};
use crate::domain::ids::sequential;
use crate::domain::{
    ClientStatus, ContractStatus, Money, Renewal, RenewalStatus, RevenueCategory, RevenueEvent, RevenueKind,
};
use chrono::{DateTime, NaiveDate, Utc};

/// Counters behind `CNT-n`, `RNW-n` and `EXP-n`, numbered from 1 in generation order.
#[derive(Debug, Default)]
pub(super) struct Sequences {
    contracts: i64,
    renewals: i64,
    opportunities: i64,
}

impl Sequences {
    /// The next contract id.
    pub(super) fn contract(&mut self) -> String {
        self.contracts += 1;
        sequential("CNT", self.contracts)
    }

    /// The next renewal id.
    pub(super) fn renewal(&mut self) -> String {
        self.renewals += 1;
        sequential("RNW", self.renewals)
    }

    /// The next opportunity id.
    pub(super) fn opportunity(&mut self) -> String {
        self.opportunities += 1;
        sequential("EXP", self.opportunities)
    }
}

/// A client being simulated; the steps of the generator read and extend it.
pub(super) struct Sim<'a> {
    pub dice: Dice,
    pub who: &'a Identity,
    pub as_of: NaiveDate,
    pub seq: &'a mut Sequences,
    pub book: &'a mut DemoBook,
    pub latent: Latent,
    /// Every month of the client's life so far, snapshotted or not: renewals read it.
    pub states: Vec<MonthState>,
    /// The contract in force.
    pub live: LiveContract,
    /// Date of the last won or lost deal, so deals are spaced out.
    pub last_deal: Option<NaiveDate>,
    /// The latest date anything changed on the account (the client's `updated_at`).
    pub last_change: NaiveDate,
    /// Open opportunities created at `as_of`.
    pub open_opportunities: usize,
    /// Whether a renewal that fell due in the last 30 days is still open (overdue) rather than closed.
    leaves_overdue: bool,
}

/// Simulates `who` and appends all of its rows to `book`.
pub(super) fn simulate(who: &Identity, as_of: NaiveDate, seq: &mut Sequences, book: &mut DemoBook) {
    let mut dice = Dice::new(who.seed);
    let quality = dice.normal(0.0, 1.0);
    let terms = Terms::first(&mut dice, who.start_rank, quality);
    let latent = Latent::new(&mut dice, quality, terms.seats);
    let leaves_overdue = dice.chance(0.3);
    let live = LiveContract::start(seq.contract(), &who.id, who.since, terms);
    let first_arr = live.arr();
    let mut sim = Sim {
        dice,
        who,
        as_of,
        seq,
        book,
        latent,
        states: Vec::new(),
        live,
        last_deal: None,
        last_change: who.since,
        open_opportunities: 0,
        leaves_overdue,
    };
    let new_business = sim.event(who.since, RevenueKind::New, RevenueCategory::Other, first_arr);
    sim.book.revenue_events.push(RevenueEvent {
        contract_id: Some(sim.live.contract.id.clone()),
        ..new_business
    });

    let churned = !sim.run();
    let open_renewal = if churned { None } else { Some(sim.finish_active()) };
    snapshots::emit(sim.book, &who.id, &sim.states, as_of);
    let contacts = contacts::generate(&mut sim.dice, who);
    sim.book.contacts.extend(contacts);

    let latest_health = sim.states.last().map(|s| s.overall);
    let stage = clients::lifecycle(
        churned,
        who.since,
        as_of,
        latest_health,
        open_renewal,
        sim.open_opportunities > 0,
    );
    let status = if churned {
        ClientStatus::Churned
    } else {
        ClientStatus::Active
    };
    let client = clients::client_row(who, sim.live.terms.tier_rank, status, stage, first_arr, sim.last_change);
    sim.book.clients.push(client);
}

impl Sim<'_> {
    /// Runs the months up to `as_of`; false when the client churned.
    fn run(&mut self) -> bool {
        let mut month = first_month_start_from(self.who.since);
        while month <= self.as_of {
            while self.live.end() < month && self.closes(self.live.end()) {
                if !renewals::close(self) {
                    return false;
                }
            }
            let input = MonthInputs {
                seats: self.live.terms.seats,
                payment: self.live.terms.payment,
                usage_pack: self.live.terms.owns(catalog::USAGE_PACK),
                api_suite: self.live.terms.owns("addon_api_suite"),
                months_in: self.states.len() as i64,
            };
            let state = self.latent.step(&mut self.dice, month, &input);
            self.states.push(state);
            super::midterm::maybe_deal(self, month);
            month = next_month(month);
        }
        // A contract may also end between the last month start and `as_of`.
        while self.closes(self.live.end()) {
            if !renewals::close(self) {
                return false;
            }
        }
        true
    }

    /// Whether the renewal due on `due` is closed by `as_of`: those due in the last 30 days
    /// are sometimes still open, which makes them overdue.
    fn closes(&self, due: NaiveDate) -> bool {
        due < self.as_of && !(self.leaves_overdue && days_between(due, self.as_of) <= 30)
    }

    /// Opens the live contract's renewal, adds the open pipeline and stores the contract.
    /// Returns the open renewal's date.
    fn finish_active(&mut self) -> NaiveDate {
        let id = self.seq.renewal();
        self.push_renewal(id, RenewalStatus::Open, None, None);
        pipeline::open_pipeline(self);
        archive(self.book, &self.live, ContractStatus::Active);
        self.live.end()
    }

    /// A ledger entry of this client with no links; callers set the ids they have.
    pub(super) fn event(
        &self,
        on: NaiveDate,
        kind: RevenueKind,
        category: RevenueCategory,
        delta: Money,
    ) -> RevenueEvent {
        RevenueEvent {
            id: 0,
            client_id: self.who.id.clone(),
            occurred_on: on,
            kind,
            category,
            arr_delta: delta,
            contract_id: None,
            opportunity_id: None,
            renewal_id: None,
        }
    }

    /// Stores the live contract's renewal with its current ARR as the target.
    pub(super) fn push_renewal(
        &mut self,
        id: String,
        status: RenewalStatus,
        outcome: Option<Money>,
        closed_at: Option<DateTime<Utc>>,
    ) {
        let contract = &self.live.contract;
        self.book.renewals.push(Renewal {
            id,
            contract_id: contract.id.clone(),
            client_id: self.who.id.clone(),
            renewal_date: contract.renewal_date,
            target_arr: self.live.arr(),
            status,
            outcome_arr: outcome,
            closed_at,
        });
    }
}

/// Stores a contract and its lines as they stand, with its final status.
pub(super) fn archive(book: &mut DemoBook, live: &LiveContract, status: ContractStatus) {
    let mut contract = live.contract.clone();
    contract.status = status;
    book.contracts.push(contract);
    book.contract_items.extend(live.items.iter().cloned());
}
