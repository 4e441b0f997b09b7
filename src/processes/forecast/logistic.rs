//! L2-regularised logistic regression fitted by Newton's method (IRLS), small enough to read.
//!
//! Features are standardized (mean 0, scale 1; means and scales kept for prediction), so the
//! penalty treats them alike; the intercept is not penalised. The objective minimised is
//! −Σ [y log p + (1 − y) log(1 − p)] + λ/2 · Σ w_j². With λ > 0 it is strictly convex, so the
//! coefficients stay finite even on separable data. Written by hand rather than pulling in
//! linfa-logistic (and ndarray) for seven features: the whole method is ~100 lines and tested.

/// A fitted model. Weights are per standard deviation of their feature.
#[derive(Clone, Debug, PartialEq)]
pub struct LogisticFit {
    pub intercept: f64,
    pub weights: Vec<f64>,
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
    /// Newton steps taken.
    pub iterations: usize,
}

const MAX_ITERATIONS: usize = 100;
const TOLERANCE: f64 = 1e-10;

/// The logistic function, stable for large |z|.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl LogisticFit {
    /// Contribution of each feature to the log-odds relative to the training mean:
    /// w_j × (x_j − mean_j) ÷ scale_j.
    pub fn contributions(&self, x: &[f64]) -> Vec<f64> {
        (0..self.weights.len())
            .map(|j| self.weights[j] * (x[j] - self.means[j]) / self.scales[j])
            .collect()
    }

    /// The log-odds of a positive label.
    pub fn log_odds(&self, x: &[f64]) -> f64 {
        self.intercept + self.contributions(x).iter().sum::<f64>()
    }

    /// The probability of a positive label.
    pub fn probability(&self, x: &[f64]) -> f64 {
        sigmoid(self.log_odds(x))
    }
}

/// Fits on `rows` (equal lengths) and `labels` with penalty `l2` ≥ 0. `None` when there are no
/// rows or the system is singular (λ = 0 with a constant feature or perfect separation).
pub fn fit(rows: &[Vec<f64>], labels: &[bool], l2: f64) -> Option<LogisticFit> {
    let n = rows.len();
    let k = rows.first()?.len();
    if n != labels.len() || rows.iter().any(|r| r.len() != k) {
        return None;
    }
    let (means, scales) = standardization(rows, k);
    // Design matrix with a leading 1 for the intercept.
    let x: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            std::iter::once(1.0)
                .chain((0..k).map(|j| (r[j] - means[j]) / scales[j]))
                .collect()
        })
        .collect();
    let y: Vec<f64> = labels.iter().map(|&l| if l { 1.0 } else { 0.0 }).collect();
    let mut beta = vec![0.0; k + 1];
    let rate = (y.iter().sum::<f64>() / n as f64).clamp(1e-3, 1.0 - 1e-3);
    beta[0] = (rate / (1.0 - rate)).ln();
    let mut loss = objective(&x, &y, &beta, l2);
    for iteration in 1..=MAX_ITERATIONS {
        let (gradient, hessian) = derivatives(&x, &y, &beta, l2);
        let step = solve(hessian, gradient)?;
        // Halve the step until the objective does not increase (Newton can overshoot early on).
        let mut scale = 1.0;
        let (next, next_loss) = loop {
            let candidate: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b - scale * s).collect();
            let candidate_loss = objective(&x, &y, &candidate, l2);
            if candidate_loss <= loss + 1e-12 || scale < 1e-6 {
                break (candidate, candidate_loss);
            }
            scale /= 2.0;
        };
        let moved = step.iter().map(|s| (scale * s).abs()).fold(0.0, f64::max);
        beta = next;
        loss = next_loss;
        if moved < TOLERANCE || !loss.is_finite() {
            return finish(beta, means, scales, iteration);
        }
    }
    finish(beta, means, scales, MAX_ITERATIONS)
}

fn finish(beta: Vec<f64>, means: Vec<f64>, scales: Vec<f64>, iterations: usize) -> Option<LogisticFit> {
    if beta.iter().any(|b| !b.is_finite()) {
        return None;
    }
    Some(LogisticFit {
        intercept: beta[0],
        weights: beta[1..].to_vec(),
        means,
        scales,
        iterations,
    })
}

/// Column means and population standard deviations; a constant column gets scale 1.
fn standardization(rows: &[Vec<f64>], k: usize) -> (Vec<f64>, Vec<f64>) {
    let n = rows.len() as f64;
    let means: Vec<f64> = (0..k).map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n).collect();
    let scales = (0..k)
        .map(|j| {
            let variance = rows.iter().map(|r| (r[j] - means[j]).powi(2)).sum::<f64>() / n;
            if variance.sqrt() > 1e-12 {
                variance.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    (means, scales)
}

fn objective(x: &[Vec<f64>], y: &[f64], beta: &[f64], l2: f64) -> f64 {
    let data: f64 = x
        .iter()
        .zip(y)
        .map(|(row, &label)| {
            let z = dot(row, beta);
            // log(1 + e^z) − y·z, written to avoid overflow.
            let softplus = if z > 0.0 {
                z + (-z).exp().ln_1p()
            } else {
                z.exp().ln_1p()
            };
            softplus - label * z
        })
        .sum();
    data + 0.5 * l2 * beta[1..].iter().map(|b| b * b).sum::<f64>()
}

/// Gradient Xᵀ(p − y) + λw and Hessian XᵀWX + λI (no penalty on the intercept).
fn derivatives(x: &[Vec<f64>], y: &[f64], beta: &[f64], l2: f64) -> (Vec<f64>, Vec<Vec<f64>>) {
    let m = beta.len();
    let mut gradient = vec![0.0; m];
    let mut hessian = vec![vec![0.0; m]; m];
    for (row, &label) in x.iter().zip(y) {
        let p = sigmoid(dot(row, beta));
        let w = p * (1.0 - p);
        for a in 0..m {
            gradient[a] += (p - label) * row[a];
            for b in 0..m {
                hessian[a][b] += w * row[a] * row[b];
            }
        }
    }
    for j in 1..m {
        gradient[j] += l2 * beta[j];
        hessian[j][j] += l2;
    }
    (gradient, hessian)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves A·s = b by Gaussian elimination with partial pivoting; `None` when singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let m = b.len();
    for col in 0..m {
        let pivot = (col..m).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..m {
            let factor = a[row][col] / a[col][col];
            let (upper, lower) = a.split_at_mut(row);
            for (target, source) in lower[0][col..].iter_mut().zip(&upper[col][col..]) {
                *target -= factor * source;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut s = vec![0.0; m];
    for row in (0..m).rev() {
        let tail: f64 = (row + 1..m).map(|c| a[row][c] * s[c]).sum();
        s[row] = (b[row] - tail) / a[row][row];
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_feature(xs: &[f64]) -> Vec<Vec<f64>> {
        xs.iter().map(|&x| vec![x]).collect()
    }

    /// x ∈ {−1, +1}, four each; y = 1 for 1 of 4 at −1 and 3 of 4 at +1 (so mean 0, scale 1).
    fn noisy() -> (Vec<Vec<f64>>, Vec<bool>) {
        let xs = [-1.0, -1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0];
        let ys = [true, false, false, false, true, true, true, false];
        (one_feature(&xs), ys.to_vec())
    }

    #[test]
    fn unpenalised_fit_on_a_noisy_set_recovers_the_group_rates() {
        let (rows, labels) = noisy();
        let fit = fit(&rows, &labels, 0.0).unwrap();
        // Maximum likelihood: p(−1) = 1/4 and p(+1) = 3/4, so w = ln 3 and the intercept is 0.
        assert!((fit.weights[0] - 3f64.ln()).abs() < 1e-9, "{fit:?}");
        assert!(fit.intercept.abs() < 1e-9);
        assert!((fit.probability(&[1.0]) - 0.75).abs() < 1e-9);
        assert!((fit.probability(&[-1.0]) - 0.25).abs() < 1e-9);
    }

    #[test]
    fn penalised_fit_on_a_noisy_set_solves_its_stationarity_equation() {
        let (rows, labels) = noisy();
        let fit = fit(&rows, &labels, 1.0).unwrap();
        // By symmetry the intercept is 0 and w solves Σx(y − σ(wx)) = λw, i.e. 2 − 4·tanh(w/2) = w.
        let (mut lo, mut hi) = (0.0f64, 2.0f64);
        for _ in 0..200 {
            let mid = (lo + hi) / 2.0;
            if 2.0 - 4.0 * (mid / 2.0).tanh() - mid > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assert!((fit.weights[0] - lo).abs() < 1e-9, "{} vs {lo}", fit.weights[0]);
        assert!(fit.weights[0] < 3f64.ln(), "the penalty shrinks the weight");
        assert!(fit.intercept.abs() < 1e-9);
    }

    #[test]
    fn separable_set_gets_finite_coefficients_thanks_to_the_penalty() {
        let rows = one_feature(&[0.1, 0.2, 0.3, 0.7, 0.8, 0.9]);
        let labels = [false, false, false, true, true, true];
        let fit = fit(&rows, &labels, 1.0).unwrap();
        assert!(fit.weights[0].is_finite() && fit.weights[0] > 0.0);
        assert!(fit.probability(&[0.9]) > 0.5 && fit.probability(&[0.1]) < 0.5);
        // The intercept is unpenalised: the fitted probabilities sum to the positives.
        let total: f64 = rows.iter().map(|r| fit.probability(r)).sum();
        assert!((total - 3.0).abs() < 1e-8);
    }

    #[test]
    fn without_penalty_a_separable_set_does_not_produce_a_model() {
        let rows = one_feature(&[0.1, 0.2, 0.3, 0.7, 0.8, 0.9]);
        let labels = [false, false, false, true, true, true];
        let fit = fit(&rows, &labels, 0.0);
        assert!(fit.is_none_or(|f| f.weights[0] > 20.0), "weights grow without bound");
    }

    #[test]
    fn constant_features_are_harmless_with_a_penalty() {
        let rows = vec![vec![1.0, 0.0], vec![1.0, 1.0], vec![1.0, 0.0], vec![1.0, 1.0]];
        let fit = fit(&rows, &[false, true, true, true], 0.5).unwrap();
        assert_eq!(fit.scales[0], 1.0);
        assert!(fit.weights[0].abs() < 1e-12);
    }

    #[test]
    fn sigmoid_is_stable_at_the_extremes() {
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
        assert_eq!(sigmoid(0.0), 0.5);
    }
}
