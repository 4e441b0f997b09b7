//! When a renewal's probability *crosses* the at-risk line (DESIGN 117/118: below 0.60): the
//! scheduler compares each forecast with where the renewal stood last time, so a renewal that
//! stays below is announced once, and one that recovers and falls again is announced again.
use std::collections::HashMap;

/// Below this forecast probability a renewal is at risk.
pub const AT_RISK_BELOW: f64 = 0.60;

/// Where a renewal stood at the last look.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskWatch {
    pub renewal_id: String,
    pub below: bool,
    /// How many times it has crossed below the line (each crossing one alert).
    pub crossings: u32,
}

/// What changed since the last look.
#[derive(Debug, Default, PartialEq)]
pub struct Transitions {
    /// Renewals that fell below the line: (renewal, probability, crossing number from 1).
    pub crossed: Vec<(String, f64, u32)>,
    /// Renewals that were below and are at or above it again (re-armed, no alert).
    pub recovered: Vec<String>,
    /// The watch rows to write: the crossed below, the recovered above.
    pub changed: Vec<RiskWatch>,
}

impl Transitions {
    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
    }
}

/// Compares this look's `(renewal, probability)` forecasts with the `watches` of earlier looks.
/// Renewals without a forecast this time (closed, out of the window) keep their watch.
pub fn transitions(forecasts: &[(String, f64)], watches: &HashMap<String, RiskWatch>) -> Transitions {
    let mut result = Transitions::default();
    for (renewal_id, probability) in forecasts {
        let below = *probability < AT_RISK_BELOW;
        let watch = watches.get(renewal_id);
        let crossings = watch.map_or(0, |w| w.crossings);
        let was_below = watch.is_some_and(|w| w.below);
        if below == was_below {
            continue;
        }
        if below {
            result.crossed.push((renewal_id.clone(), *probability, crossings + 1));
        } else {
            result.recovered.push(renewal_id.clone());
        }
        result.changed.push(RiskWatch {
            renewal_id: renewal_id.clone(),
            below,
            crossings: crossings + u32::from(below),
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(forecasts: &[(&str, f64)], watches: &mut HashMap<String, RiskWatch>) -> Transitions {
        let forecasts: Vec<(String, f64)> = forecasts.iter().map(|(id, p)| (id.to_string(), *p)).collect();
        let t = transitions(&forecasts, watches);
        for w in &t.changed {
            watches.insert(w.renewal_id.clone(), w.clone());
        }
        t
    }

    #[test]
    fn a_renewal_is_announced_when_it_falls_below_and_again_only_after_it_recovered() {
        let mut watches = HashMap::new();
        // 0.65 is above the line: nothing; 0.40 falls below: crossing 1.
        assert!(look(&[("R1", 0.65)], &mut watches).is_empty());
        assert_eq!(look(&[("R1", 0.40)], &mut watches).crossed, [("R1".into(), 0.40, 1)]);
        // Staying below is not news, however often the scheduler looks.
        assert!(look(&[("R1", 0.25)], &mut watches).is_empty());
        // Exactly 0.60 is not below: recovered, re-armed, no alert.
        let recovered = look(&[("R1", 0.60)], &mut watches);
        assert_eq!(
            (recovered.crossed.len(), recovered.recovered),
            (0, vec!["R1".to_owned()])
        );
        assert!(look(&[("R1", 0.80)], &mut watches).is_empty());
        // Falling again is the second crossing.
        assert_eq!(look(&[("R1", 0.59)], &mut watches).crossed, [("R1".into(), 0.59, 2)]);
        // A renewal missing from a look (closed) keeps where it stood.
        assert!(look(&[], &mut watches).is_empty());
        assert_eq!((watches["R1"].below, watches["R1"].crossings), (true, 2));
    }
}
