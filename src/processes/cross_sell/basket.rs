//! Market-basket counts of 115: who owns what, over the active clients of the whole book.
use crate::processes::facts::{Catalog, ClientFacts};

/// An antecedent counts only when at least this many active clients own it (DESIGN §5.115), so a
/// rule learnt from two clients never drives a recommendation.
pub const MIN_OWNERS: usize = 5;

/// Ownership counts over the active clients, indexed by catalog position.
#[derive(Clone, Debug, PartialEq)]
pub struct MarketBasket {
    /// owners[a] = |active clients owning a|.
    owners: Vec<usize>,
    /// both[a][p] = |active clients owning a and p|.
    both: Vec<Vec<usize>>,
}

/// conf(A→P) with the counts it comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Confidence {
    /// Catalog position of the antecedent A.
    pub antecedent: usize,
    /// |active clients owning A and P|.
    pub co_owners: usize,
    /// |active clients owning A| (≥ [`MIN_OWNERS`]).
    pub owners: usize,
    /// co_owners ÷ owners, unrounded.
    pub value: f64,
}

impl MarketBasket {
    /// Counts ownership (contract items plus the tier product) over the active clients of `clients`,
    /// which must be the whole book whatever client the run reports on.
    pub fn from_book(catalog: &Catalog, clients: &[ClientFacts]) -> MarketBasket {
        let n = catalog.products().len();
        let mut owners = vec![0; n];
        let mut both = vec![vec![0; n]; n];
        for facts in clients.iter().filter(|c| c.is_active()) {
            let owned: Vec<usize> = catalog.owned_indices(facts).into_iter().collect();
            for &a in &owned {
                owners[a] += 1;
                for &p in &owned {
                    both[a][p] += 1;
                }
            }
        }
        MarketBasket { owners, both }
    }

    /// |active clients owning the product at this catalog position|.
    pub fn owners(&self, a: usize) -> usize {
        self.owners[a]
    }

    /// conf(A→P) for every antecedent A in `owned` with at least [`MIN_OWNERS`] owners, strongest first
    /// (then by catalog position): the first one is the fit score.
    pub fn confidences(&self, owned: &[usize], p: usize) -> Vec<Confidence> {
        let mut out: Vec<Confidence> = owned
            .iter()
            .filter(|&&a| a != p && self.owners[a] >= MIN_OWNERS)
            .map(|&a| Confidence {
                antecedent: a,
                co_owners: self.both[a][p],
                owners: self.owners[a],
                value: self.both[a][p] as f64 / self.owners[a] as f64,
            })
            .collect();
        out.sort_by(|x, y| y.value.total_cmp(&x.value).then(x.antecedent.cmp(&y.antecedent)));
        out
    }
}
