//! The state's allocation model (in force since 2016): each federation gets a base amount, the
//! rest of the national amount is divided 75 % by the försörjningsmått and 25 % by population aged 16–64,
//! and a federation whose equity is above a reasonable level gets less.
//!
//! How the equity reduction is sized is a parameter, not a fact of the documents: here the reasonable level
//! is a share of the federation's yearly funding (twice the state's part, since the state pays half), the
//! state holds back its half of the equity above that level, and a year's cut is capped at 10 % in
//! 2016–2017 only, the years that cap applied (the plugin's default; `max_cut` sets another). Amounts held
//! back are not passed on to other federations unless asked. Allocations are shown in whole kronor that add
//! up to the total (largest remainder).

use finsam_plugin::PluginError;

type Result<T> = std::result::Result<T, PluginError>;

#[derive(Debug, Clone, PartialEq)]
pub struct AllocationParams {
    /// The amount to divide, SEK.
    pub amount: f64,
    pub base_per_federation: f64,
    /// The försörjningsmått's weight; population 16–64 has the rest.
    pub support_weight: f64,
    /// Equity up to this share of the federation's yearly funding is reasonable.
    pub reasonable_equity_share: f64,
    /// The largest cut in a year, as a share of the preliminary allocation (`None`: no cap).
    pub max_cut_share: Option<f64>,
    /// Pass what is held back on to the federations without a cut, by their key shares.
    pub redistribute: bool,
    /// The whole country's totals: the key shares are then each federation's share of the nation, and the
    /// base amounts are those of every federation. `None`: the federations given are taken as the whole
    /// (a partial set, which the output says).
    pub national: Option<NationalTotals>,
}

/// What the state divides over: every federation's försörjningsmått and population 16–64, and how many
/// federations there are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NationalTotals {
    pub support_measure: f64,
    pub population_16_64: f64,
    pub federations: u32,
}

impl AllocationParams {
    pub fn new(amount: f64) -> AllocationParams {
        AllocationParams {
            amount,
            base_per_federation: 400_000.0,
            support_weight: 0.75,
            reasonable_equity_share: 0.20,
            max_cut_share: Some(0.10),
            redistribute: false,
            national: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AllocationInput {
    pub federation: String,
    pub support_measure: f64,
    pub population_16_64: f64,
    pub equity_sek: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub input: AllocationInput,
    /// The federation's share of the amount above the base amounts.
    pub key_share: f64,
    pub preliminary: f64,
    pub reasonable_equity: f64,
    pub reduction: f64,
    pub allocation: f64,
}

/// Divides `params.amount` among the federations.
pub fn allocate(inputs: &[AllocationInput], params: &AllocationParams) -> Result<Vec<Allocation>> {
    if inputs.is_empty() {
        return Err(PluginError::new("no allocation inputs: add rows to allocation_input for the year"));
    }
    if !(0.0..=1.0).contains(&params.support_weight) {
        return Err(PluginError::new("the försörjningsmått's weight must lie between 0 and 1"));
    }
    for (name, share) in [("reasonable_equity_share", Some(params.reasonable_equity_share)), ("max_cut", params.max_cut_share)] {
        if let Some(share) = share {
            if !(0.0..=1.0).contains(&share) {
                return Err(PluginError(format!("{name} is a share: it must lie between 0 and 1, not {share}")));
            }
        }
    }
    // Amounts as a state budget can have them: a typo of ten extra digits is refused, not printed.
    const LARGEST_SEK: f64 = 1e12;
    for (name, amount) in [("amount", params.amount), ("base", params.base_per_federation)] {
        if !(0.0..=LARGEST_SEK).contains(&amount) {
            return Err(PluginError(format!("{name} must lie between 0 and 1 000 000 000 000 SEK, not {amount:.0}")));
        }
    }
    let given_support: f64 = inputs.iter().map(|i| i.support_measure).sum();
    let given_population: f64 = inputs.iter().map(|i| i.population_16_64).sum();
    let (federations, support_total, population_total) = match params.national {
        None => (inputs.len(), given_support, given_population),
        Some(n) => {
            // The nation holds at least the federations given: smaller totals are a typing error.
            if (n.federations as usize) < inputs.len() || n.support_measure < given_support || n.population_16_64 < given_population {
                return Err(PluginError(format!(
                    "the national totals ({} federations, försörjningsmått {:.0}, population 16–64 {:.0}) are smaller than those of the {} \
                     federations given ({given_support:.0}, {given_population:.0})",
                    n.federations,
                    n.support_measure,
                    n.population_16_64,
                    inputs.len()
                )));
            }
            (n.federations as usize, n.support_measure, n.population_16_64)
        }
    };
    let bases = params.base_per_federation * federations as f64;
    if params.amount < bases {
        return Err(PluginError(format!(
            "the amount ({:.0} SEK) does not cover the base amounts ({:.0} SEK for {} federations)",
            params.amount, bases, federations
        )));
    }
    if support_total <= 0.0 || population_total <= 0.0 {
        return Err(PluginError::new("the försörjningsmått and the population 16–64 must not all be zero"));
    }
    let rest = params.amount - bases;
    let mut out: Vec<Allocation> = inputs
        .iter()
        .map(|i| {
            let key_share =
                params.support_weight * i.support_measure / support_total + (1.0 - params.support_weight) * i.population_16_64 / population_total;
            let preliminary = params.base_per_federation + rest * key_share;
            let reasonable_equity = params.reasonable_equity_share * 2.0 * preliminary;
            let held_back = 0.5 * (i.equity_sek - reasonable_equity).max(0.0);
            let reduction = match params.max_cut_share {
                Some(cap) => held_back.min(cap * preliminary),
                None => held_back.min(preliminary),
            };
            Allocation { input: i.clone(), key_share, preliminary, reasonable_equity, reduction, allocation: preliminary - reduction }
        })
        .collect();
    if params.redistribute {
        let held: f64 = out.iter().map(|a| a.reduction).sum();
        let uncut: f64 = out.iter().filter(|a| a.reduction == 0.0).map(|a| a.key_share).sum();
        if held > 0.0 && uncut > 0.0 {
            for a in out.iter_mut().filter(|a| a.reduction == 0.0) {
                a.allocation += held * a.key_share / uncut;
            }
        }
    }
    Ok(out)
}

/// Amounts rounded to whole kronor so that they add up to their rounded sum (the largest remainders get the
/// kronor that rounding each one down leaves over).
pub fn whole_kronor(amounts: &[f64]) -> Vec<i64> {
    let target = amounts.iter().sum::<f64>().round() as i64;
    let mut whole: Vec<i64> = amounts.iter().map(|a| a.floor() as i64).collect();
    let mut order: Vec<usize> = (0..amounts.len()).collect();
    order.sort_by(|&i, &j| (amounts[j] - amounts[j].floor()).total_cmp(&(amounts[i] - amounts[i].floor())).then(i.cmp(&j)));
    let short = target - whole.iter().sum::<i64>();
    for &i in order.iter().take(short.max(0) as usize) {
        whole[i] += 1;
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, support: f64, population: f64, equity: f64) -> AllocationInput {
        AllocationInput { federation: name.into(), support_measure: support, population_16_64: population, equity_sek: equity }
    }

    #[test]
    fn base_then_seventy_five_twenty_five() {
        let inputs = [input("a", 300.0, 10_000.0, 0.0), input("b", 100.0, 30_000.0, 0.0)];
        let out = allocate(&inputs, &AllocationParams::new(10_800_000.0)).unwrap();
        // Rest 10 000 000: a = 0.75 * 0.75 + 0.25 * 0.25 = 0.625; b = 0.375.
        assert!((out[0].key_share - 0.625).abs() < 1e-12);
        assert!((out[0].allocation - (400_000.0 + 6_250_000.0)).abs() < 1e-6);
        assert!((out[1].allocation - (400_000.0 + 3_750_000.0)).abs() < 1e-6);
        let total: f64 = out.iter().map(|a| a.allocation).sum();
        assert!((total - 10_800_000.0).abs() < 1e-6, "without equity above the level everything is shared out");
    }

    #[test]
    fn equity_above_the_reasonable_level_is_cut_and_capped() {
        let inputs = [input("rich", 100.0, 10_000.0, 5_000_000.0), input("poor", 100.0, 10_000.0, 0.0)];
        let params = AllocationParams::new(4_800_000.0);
        let out = allocate(&inputs, &params).unwrap();
        // Each preliminary 2 400 000; reasonable equity 0.2 * 4 800 000 = 960 000; half the excess is
        // 2 020 000, capped at 10 % = 240 000.
        assert!((out[0].reduction - 240_000.0).abs() < 1e-6);
        assert_eq!(out[1].reduction, 0.0);
        let uncapped = allocate(&inputs, &AllocationParams { max_cut_share: None, ..params.clone() }).unwrap();
        assert!((uncapped[0].reduction - 2_020_000.0).abs() < 1e-6);
        let shared = allocate(&inputs, &AllocationParams { redistribute: true, ..params }).unwrap();
        assert!((shared[1].allocation - 2_640_000.0).abs() < 1e-6);
    }

    /// One federation of a nation of 80: its key share is its share of the nation (not 1), and the base
    /// amounts of all 80 come off the national amount first.
    #[test]
    fn national_totals_make_key_shares_of_the_nation() {
        let inputs = [input("a", 300.0, 10_000.0, 0.0)];
        let national = NationalTotals { support_measure: 3_000.0, population_16_64: 400_000.0, federations: 80 };
        let params = AllocationParams { national: Some(national), max_cut_share: None, ..AllocationParams::new(100_000_000.0) };
        let out = allocate(&inputs, &params).unwrap();
        let share = 0.75 * 300.0 / 3_000.0 + 0.25 * 10_000.0 / 400_000.0;
        assert!((out[0].key_share - share).abs() < 1e-12);
        assert!((out[0].preliminary - (400_000.0 + (100_000_000.0 - 80.0 * 400_000.0) * share)).abs() < 1e-6);
        // Without them the one federation is the whole: a key share of 1.
        let alone = allocate(&inputs, &AllocationParams { max_cut_share: None, ..AllocationParams::new(100_000_000.0) }).unwrap();
        assert!((alone[0].key_share - 1.0).abs() < 1e-12);
        // National totals below the federations given are refused.
        let small = NationalTotals { support_measure: 100.0, ..national };
        assert!(allocate(&inputs, &AllocationParams { national: Some(small), ..AllocationParams::new(100_000_000.0) }).is_err());
    }

    #[test]
    fn whole_kronor_add_up_to_the_total() {
        let amounts = [100.2, 200.7, 300.6, 0.5];
        let whole = whole_kronor(&amounts);
        assert_eq!(whole.iter().sum::<i64>(), 602);
        assert_eq!(whole, [100, 201, 301, 0], "the two largest remainders get the two kronor left over");
    }

    #[test]
    fn refuses_what_cannot_be_divided() {
        assert!(allocate(&[], &AllocationParams::new(1e6)).is_err());
        let err = allocate(&[input("a", 1.0, 1.0, 0.0)], &AllocationParams::new(100.0)).unwrap_err().to_string();
        assert!(err.contains("does not cover the base amounts"), "{err}");
    }
}
