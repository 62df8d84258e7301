//! The plugin interface of finsam.
//!
//! A plugin adds analyses, importers, chart kinds or DuckDB functions to finsam without touching the core.
//! This crate does not depend on DuckDB: plugins see a narrow context (run SQL, get Arrow back) that the
//! core implements. For now it defines how plugins are named and registered; the capabilities arrive
//! with the first plugins (the socio-economic calculation, the national follow-up export).

/// A plugin, as listed by `finsam plugins` and `finsam.plugins()`.
pub trait Plugin: Send + Sync {
    /// A short, stable, kebab-case name, e.g. `socio-economic`.
    fn name(&self) -> &'static str;
    /// One sentence on what the plugin adds.
    fn description(&self) -> &'static str;
}

/// The plugins known to a running finsam.
#[derive(Default)]
pub struct Registry {
    plugins: Vec<Box<dyn Plugin>>,
}

impl Registry {
    /// Adds a plugin; a second plugin with a name already taken is refused.
    pub fn register(&mut self, plugin: Box<dyn Plugin>) -> Result<(), String> {
        if self.plugins.iter().any(|p| p.name() == plugin.name()) {
            return Err(format!("a plugin named '{}' is already registered", plugin.name()));
        }
        self.plugins.push(plugin);
        Ok(())
    }

    pub fn plugins(&self) -> impl Iterator<Item = &dyn Plugin> {
        self.plugins.iter().map(|p| p.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Named(&'static str);
    impl Plugin for Named {
        fn name(&self) -> &'static str {
            self.0
        }
        fn description(&self) -> &'static str {
            "test"
        }
    }

    #[test]
    fn names_are_unique() {
        let mut registry = Registry::default();
        registry.register(Box::new(Named("a"))).unwrap();
        assert!(registry.register(Box::new(Named("a"))).unwrap_err().contains("already registered"));
        registry.register(Box::new(Named("b"))).unwrap();
        assert_eq!(registry.plugins().map(|p| p.name()).collect::<Vec<_>>(), ["a", "b"]);
    }
}
