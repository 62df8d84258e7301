//! The one list of the plugins built into finsam, each behind a default-on cargo feature.

use finsam_plugin::{Plugin, Registry};

// One push per plugin, each behind its feature.
#[allow(clippy::vec_init_then_push)]
pub(super) fn plugins() -> Vec<&'static dyn Plugin> {
    #[allow(unused_mut)]
    let mut plugins: Vec<&'static dyn Plugin> = Vec::new();
    #[cfg(feature = "plugin-allocation")]
    plugins.push(&finsam_allocation::AllocationPlugin);
    #[cfg(feature = "plugin-stats-sql")]
    plugins.push(&finsam_stats_sql::StatsSqlPlugin);
    #[cfg(feature = "plugin-uppfoljning")]
    plugins.push(&finsam_uppfoljning::UppfoljningPlugin);
    #[cfg(feature = "plugin-age-sex")]
    plugins.push(&finsam_age_sex::AgeSexPlugin);
    #[cfg(feature = "plugin-socioeconomic")]
    plugins.push(&finsam_socioeconomic::SocioEconomicPlugin);
    plugins
}

pub(super) fn registry() -> Result<Registry, String> {
    let mut registry = Registry::default();
    for plugin in plugins() {
        registry.register(plugin).map_err(|e| format!("plugin '{}': {e}", plugin.name()))?;
    }
    Ok(registry)
}
