//! Cumulative incidence with a competing event (Aalen–Johansen): the share who have become self-supporting by
//! month N when leaving the intervention without self-support ends the chance of seeing it.
//!
//! Kaplan–Meier for time to self-support treats an exit without self-support as censoring, which assumes those
//! who left would have become self-supporting as often as those who stayed; 1 − S(t) then overstates the share.
//! Aalen–Johansen counts such exits as a competing event instead: F(t) = Σ S(tⱼ₋) · dⱼ / nⱼ over event times
//! tⱼ ≤ t, with S the Kaplan–Meier curve for "either event" (lifelines' `AalenJohansenFitter`). The interval
//! is Greenwood-type variance (Collett, *Modelling Survival Data in Medical Research*, 3rd ed., p. 411, as
//! lifelines and SAS compute it), mapped through log(−log F).

use super::stats::Z95;
use super::survival::{entered_before, Observation};

/// One time at which someone had the event, the competing event or left observation.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidenceStep {
    /// Days since the start (or, for a life table on published counts, the end of the interval).
    pub time: f64,
    /// At risk just before `time` (a life table's effective number exposed may be fractional).
    pub at_risk: f64,
    /// The event of interest at `time`.
    pub events: f64,
    /// The competing event at `time`.
    pub competing: f64,
    /// The share with neither event just before `time`.
    pub before: f64,
    /// The cumulative incidence of the event of interest just after `time`.
    pub incidence: f64,
}

/// An Aalen–Johansen estimate: the steps in time order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Incidence {
    /// The estimate at each time with events, in order.
    pub steps: Vec<IncidenceStep>,
}

impl Incidence {
    /// From individual observations, with delayed entry as in the Kaplan–Meier curve: `event` is the event of
    /// interest, `competing` the competing one, neither is censoring.
    pub fn fit(observations: &[Observation]) -> Incidence {
        let mut sorted: Vec<&Observation> = observations.iter().collect();
        sorted.sort_by(|a, b| a.days.total_cmp(&b.days));
        let mut entries: Vec<f64> = observations.iter().map(|o| o.entry).collect();
        entries.sort_by(f64::total_cmp);
        let mut groups = Vec::new();
        let mut i = 0;
        while i < sorted.len() {
            let time = sorted[i].days;
            let at_risk = entries.partition_point(|e| entered_before(*e, time)).saturating_sub(i) as f64;
            let (mut events, mut competing) = (0.0, 0.0);
            while i < sorted.len() && sorted[i].days == time {
                if sorted[i].event {
                    events += 1.0;
                } else if sorted[i].competing {
                    competing += 1.0;
                }
                i += 1;
            }
            groups.push((time, at_risk, events, competing));
        }
        Incidence::from_counts(groups)
    }

    /// From (time, at risk, events, competing events) per time in order: the individual estimate above, or a
    /// life table on published counts between the months shown.
    pub fn from_counts(groups: impl IntoIterator<Item = (f64, f64, f64, f64)>) -> Incidence {
        let (mut survival, mut incidence) = (1.0_f64, 0.0_f64);
        let mut steps = Vec::new();
        for (time, at_risk, events, competing) in groups {
            let before = survival;
            if at_risk > 0.0 {
                incidence += before * events / at_risk;
                survival *= (1.0 - (events + competing) / at_risk).max(0.0);
            }
            steps.push(IncidenceStep { time, at_risk, events, competing, before, incidence });
        }
        Incidence { steps }
    }

    /// The cumulative incidence at `days` and its 95 % interval (none where F is 0 or 1, or nothing varies).
    pub fn at(&self, days: f64) -> (f64, Option<f64>, Option<f64>) {
        let upto = self.steps.partition_point(|s| s.time <= days);
        if upto == 0 {
            return (0.0, None, None);
        }
        let f = self.steps[upto - 1].incidence;
        if f <= 0.0 || f >= 1.0 {
            return (f, None, None);
        }
        let variance = self.variance(upto);
        let se = variance.sqrt() / (f * f.ln().abs());
        if !se.is_finite() {
            return (f, None, None);
        }
        let transformed = (-f.ln()).ln();
        let bound = |z: f64| (-(transformed + z).exp()).exp();
        (f, Some(bound(Z95 * se)), Some(bound(-Z95 * se)))
    }

    /// Var F(t) with t the time of step `upto − 1`: the sum over j of (F(t) − F(tⱼ))² dⱼ / (nⱼ (nⱼ − dⱼ))
    /// plus S(tⱼ₋)² d₁ⱼ (nⱼ − d₁ⱼ) / nⱼ³ minus 2 (F(t) − F(tⱼ)) S(tⱼ₋) d₁ⱼ / nⱼ², with dⱼ all events and d₁ⱼ
    /// those of interest. A time where everyone at risk had an event adds nothing to the first sum (its
    /// term is 0 · ∞ at t itself; Greenwood's variance skips it the same way).
    fn variance(&self, upto: usize) -> f64 {
        let f = self.steps[upto - 1].incidence;
        let mut variance = 0.0;
        for s in &self.steps[..upto] {
            let (n, d, d1) = (s.at_risk, s.events + s.competing, s.events);
            if n <= 0.0 {
                continue;
            }
            let gap = f - s.incidence;
            if n > d {
                variance += gap * gap * d / (n * (n - d));
            }
            variance += s.before * s.before * d1 * (n - d1) / (n * n * n);
            variance -= 2.0 * gap * s.before * d1 / (n * n);
        }
        variance.max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(days: f64, kind: u8) -> Observation {
        Observation { days, event: kind == 1, competing: kind == 2, key: 0, entry: 0.0 }
    }

    /// By hand: times 1 (event), 2 (competing), 3 (censored), 4 (event), 5 (competing), n = 5.
    /// F(1) = 1/5; S after 2 = 4/5 · 3/4 = 3/5; F(4) = 1/5 + 3/5 · 1/2 = 1/2.
    #[test]
    fn aalen_johansen_by_hand() {
        let fit = Incidence::fit(&[obs(1.0, 1), obs(2.0, 2), obs(3.0, 0), obs(4.0, 1), obs(5.0, 2)]);
        assert_eq!(fit.at(0.5).0, 0.0);
        assert!((fit.at(1.0).0 - 0.2).abs() < 1e-12);
        assert!((fit.at(3.5).0 - 0.2).abs() < 1e-12);
        assert!((fit.at(4.0).0 - 0.5).abs() < 1e-12);
        assert!((fit.at(10.0).0 - 0.5).abs() < 1e-12);
        let (f, low, high) = fit.at(4.0);
        assert!(low.unwrap() < f && f < high.unwrap());
    }

    /// Without a competing event the cumulative incidence is 1 − Kaplan–Meier.
    #[test]
    fn without_competing_events_it_is_one_minus_kaplan_meier() {
        let data = [(3.0, true), (5.0, false), (5.0, true), (8.0, true), (9.0, false), (12.0, true)];
        let km = crate::analysis::survival::Curve::fit(&data);
        let aj = Incidence::fit(&data.iter().map(|&(d, e)| obs(d, u8::from(e))).collect::<Vec<_>>());
        for t in [2.0, 3.0, 6.0, 8.0, 10.0, 12.0] {
            assert!((aj.at(t).0 - (1.0 - km.survival_at(t))).abs() < 1e-12, "t = {t}");
        }
    }

    /// The variance by hand at t = 1 (one step: n = 5, d = d₁ = 1): S₋² d₁ (n − d₁) / n³ = 4/125.
    #[test]
    fn variance_by_hand() {
        let fit = Incidence::fit(&[obs(1.0, 1), obs(2.0, 2), obs(3.0, 0), obs(4.0, 1), obs(5.0, 2)]);
        assert!((fit.variance(1) - 4.0 / 125.0).abs() < 1e-15);
    }
}
