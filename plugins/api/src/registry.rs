//! Plugins, the capabilities they register, and the registry that refuses a name taken twice.

use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::datatypes::DataType;

use crate::{ArgSpec, Args, ChartKind, Context, Output, PluginError};

/// A plugin: a name, a sentence, and the capabilities it registers.
pub trait Plugin: Send + Sync {
    /// A short, stable, kebab-case name, e.g. `socio-economic`.
    fn name(&self) -> &'static str;
    /// One sentence on what the plugin adds.
    fn description(&self) -> &'static str;
    /// Adds the plugin's analyses, SQL functions and tables.
    fn register(&self, registrar: &mut Registrar);
}

/// An analysis: a cohort (or the whole database) and checked arguments in, tables of unprotected numbers
/// out. The core protects the output before anyone sees it.
pub trait Analysis: Send + Sync {
    /// The name people run it by (`finsam run NAME`, `model.run(NAME)`), kebab-case.
    fn name(&self) -> &'static str;
    /// One line for `finsam plugins`.
    fn description(&self) -> &'static str;
    /// The arguments it takes (none by default).
    fn args(&self) -> Vec<ArgSpec> {
        Vec::new()
    }
    /// Whether it works on a cohort (the relation `cohort`); one that works on the whole database (the
    /// state's allocation between federations) says no, and cohort filters are refused for it.
    fn uses_cohort(&self) -> bool {
        true
    }
    /// Runs it; counts go out as `Value::Count` and are protected by the core.
    fn run(&self, ctx: &dyn Context, args: &Args) -> Result<Output, PluginError>;
}

/// An exporter: like an analysis, but its tables are files in a named format (the national follow-up's
/// columns, say), written by the core as XLSX (a sheet per table) or CSV after protecting their counts.
pub trait Exporter: Send + Sync {
    /// The name people export by (`finsam export --format NAME`), kebab-case.
    fn name(&self) -> &'static str;
    /// One line for `finsam plugins`.
    fn description(&self) -> &'static str;
    /// The arguments it takes (none by default).
    fn args(&self) -> Vec<ArgSpec> {
        Vec::new()
    }
    /// Whether it works on a cohort (the relation `cohort`).
    fn uses_cohort(&self) -> bool {
        true
    }
    /// The file types it can be written as, the first the default (`xlsx`, `csv`).
    fn file_types(&self) -> &'static [&'static str] {
        &["xlsx", "csv"]
    }
    /// The tables to write; counts are protected by the core before they are written.
    fn export(&self, ctx: &dyn Context, args: &Args) -> Result<Output, PluginError>;
}

/// A scalar SQL function: Arrow arrays in (one per parameter, of the declared types), one array out. The
/// core registers it in DuckDB, so it works in `finsam sql`, `Model.sql` and `%%finsam`. A NULL in any
/// argument gives NULL without calling the function.
pub trait SqlFunction: Send + Sync {
    /// The SQL name, snake_case.
    fn name(&self) -> &'static str;
    /// One line for `finsam plugins`.
    fn description(&self) -> &'static str;
    /// Parameter names and their Arrow types.
    fn params(&self) -> Vec<(&'static str, DataType)>;
    /// The Arrow type of the result.
    fn returns(&self) -> DataType;
    /// The result for a chunk of rows: one array per parameter in, one array of as many rows out.
    fn invoke(&self, columns: &[ArrayRef]) -> Result<ArrayRef, PluginError>;
}

/// A table a plugin keeps in the database, with the migrations that create and change it. Its name must
/// start with the plugin's name in snake_case and an underscore (`socio_economic_parameter`), so plugins
/// cannot collide with the core or each other. Migrations run in order, each once, when a database is
/// opened for writing, each in one transaction with the record that it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginTable {
    /// The table's name (the plugin's name in snake_case, an underscore, then its own).
    pub name: &'static str,
    /// The SQL that creates and then changes it, in order; never edit one that has shipped, add another.
    pub migrations: Vec<&'static str>,
}

/// One capability, as listed by `finsam plugins`.
#[derive(Clone)]
pub enum Capability {
    /// An analysis (`finsam run`).
    Analysis(Arc<dyn Analysis>),
    /// An exporter (`finsam export --format`).
    Exporter(Arc<dyn Exporter>),
    /// A chart kind (`finsam chart`).
    Chart(Arc<dyn ChartKind>),
    /// A SQL function.
    SqlFunction(Arc<dyn SqlFunction>),
    /// A table of the plugin's own.
    Table(PluginTable),
}

impl Capability {
    /// What kind of capability it is, in words ("analysis", "sql function").
    pub fn kind(&self) -> &'static str {
        match self {
            Capability::Analysis(_) => "analysis",
            Capability::Exporter(_) => "exporter",
            Capability::Chart(_) => "chart",
            Capability::SqlFunction(_) => "sql function",
            Capability::Table(_) => "table",
        }
    }

    /// The name it is called by.
    pub fn name(&self) -> &'static str {
        match self {
            Capability::Analysis(a) => a.name(),
            Capability::Exporter(e) => e.name(),
            Capability::Chart(c) => c.name(),
            Capability::SqlFunction(f) => f.name(),
            Capability::Table(t) => t.name,
        }
    }

    /// One line for `finsam plugins`.
    pub fn description(&self) -> String {
        match self {
            Capability::Analysis(a) => a.description().to_string(),
            Capability::Exporter(e) => format!("{} ({})", e.description(), e.file_types().join(", ")),
            Capability::Chart(c) => format!("{} (draws the analysis {})", c.description(), c.analysis()),
            Capability::SqlFunction(f) => {
                let params = f.params().iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
                format!("{}({params}): {}", f.name(), f.description())
            }
            Capability::Table(t) => format!("{} migration(s)", t.migrations.len()),
        }
    }
}

/// What a plugin registers into.
pub struct Registrar {
    plugin: &'static str,
    capabilities: Vec<Capability>,
}

impl Registrar {
    /// Registers an analysis.
    pub fn analysis(&mut self, analysis: impl Analysis + 'static) {
        self.capabilities.push(Capability::Analysis(Arc::new(analysis)));
    }

    /// Registers a chart kind.
    pub fn chart(&mut self, chart: impl ChartKind + 'static) {
        self.capabilities.push(Capability::Chart(Arc::new(chart)));
    }

    /// Registers an exporter.
    pub fn exporter(&mut self, exporter: impl Exporter + 'static) {
        self.capabilities.push(Capability::Exporter(Arc::new(exporter)));
    }

    /// Registers a SQL function.
    pub fn sql_function(&mut self, function: impl SqlFunction + 'static) {
        self.capabilities.push(Capability::SqlFunction(Arc::new(function)));
    }

    /// Registers a table of the plugin's own, with its migrations.
    pub fn table(&mut self, table: PluginTable) {
        self.capabilities.push(Capability::Table(table));
    }
}

/// A registered plugin with its capabilities.
pub struct Registered {
    /// The plugin's name.
    pub name: &'static str,
    /// One line about it.
    pub description: &'static str,
    /// What it registered.
    pub capabilities: Vec<Capability>,
}

/// The plugins known to a running finsam.
#[derive(Default)]
pub struct Registry {
    plugins: Vec<Registered>,
}

impl Registry {
    /// Adds a plugin and its capabilities. Refused, with nothing added: a plugin name taken twice, an
    /// analysis or SQL function name taken twice (by any plugin), a name that is not kebab-case (plugins,
    /// analyses) or snake_case (SQL functions), and a table outside the plugin's namespace.
    pub fn register(&mut self, plugin: &dyn Plugin) -> Result<(), PluginError> {
        let name = plugin.name();
        if !is_case(name, '-') {
            return Err(PluginError(format!("a plugin name must be lowercase kebab-case; '{name}' is not")));
        }
        if self.plugins.iter().any(|p| p.name == name) {
            return Err(PluginError(format!("a plugin named '{name}' is already registered")));
        }
        let mut registrar = Registrar { plugin: name, capabilities: Vec::new() };
        plugin.register(&mut registrar);
        let prefix = format!("{}_", name.replace('-', "_"));
        for (i, c) in registrar.capabilities.iter().enumerate() {
            let (kind, cname) = (c.kind(), c.name());
            let well_formed = match c {
                Capability::Analysis(_) | Capability::Exporter(_) | Capability::Chart(_) => is_case(cname, '-'),
                Capability::SqlFunction(_) => is_case(cname, '_'),
                Capability::Table(_) => is_case(cname, '_') && cname.starts_with(&prefix),
            };
            if !well_formed {
                let rule = match c {
                    Capability::Analysis(_) | Capability::Exporter(_) | Capability::Chart(_) => "lowercase kebab-case".to_string(),
                    Capability::SqlFunction(_) => "lowercase snake_case".to_string(),
                    Capability::Table(_) => format!("snake_case starting with '{prefix}'"),
                };
                return Err(PluginError(format!("plugin '{name}': the {kind} name '{cname}' must be {rule}")));
            }
            let declared = match c {
                Capability::Analysis(a) => Some(a.args()),
                Capability::Exporter(e) => Some(e.args()),
                _ => None,
            };
            if let Some(declared) = declared {
                if let Some(arg) = declared.iter().find(|s| crate::RESERVED_ARG_NAMES.contains(&s.name) || !is_case(s.name, '_')) {
                    return Err(PluginError(format!(
                        "plugin '{name}': the analysis '{cname}' has an argument named '{}'; argument names are snake_case and not one of {}",
                        arg.name,
                        crate::RESERVED_ARG_NAMES.join(", ")
                    )));
                }
            }
            let clash = registrar.capabilities[..i].iter().chain(self.capabilities()).find(|other| other.kind() == kind && other.name() == cname);
            if clash.is_some() {
                let owner = self.owner(kind, cname).unwrap_or(registrar.plugin);
                return Err(PluginError(format!("plugin '{name}': the {kind} name '{cname}' is already taken by plugin '{owner}'")));
            }
        }
        self.plugins.push(Registered { name, description: plugin.description(), capabilities: registrar.capabilities });
        Ok(())
    }

    /// The registered plugins, in the order they were added.
    pub fn plugins(&self) -> &[Registered] {
        &self.plugins
    }

    fn capabilities(&self) -> impl Iterator<Item = &Capability> {
        self.plugins.iter().flat_map(|p| p.capabilities.iter())
    }

    fn owner(&self, kind: &str, name: &str) -> Option<&'static str> {
        self.plugins.iter().find(|p| p.capabilities.iter().any(|c| c.kind() == kind && c.name() == name)).map(|p| p.name)
    }

    /// The analysis called `name` and the plugin that registered it.
    pub fn analysis(&self, name: &str) -> Option<(&'static str, Arc<dyn Analysis>)> {
        self.plugins.iter().find_map(|p| {
            p.capabilities.iter().find_map(|c| match c {
                Capability::Analysis(a) if a.name() == name => Some((p.name, a.clone())),
                _ => None,
            })
        })
    }

    /// The exporter called `name` and the plugin that registered it.
    pub fn exporter(&self, name: &str) -> Option<(&'static str, Arc<dyn Exporter>)> {
        self.plugins.iter().find_map(|p| {
            p.capabilities.iter().find_map(|c| match c {
                Capability::Exporter(e) if e.name() == name => Some((p.name, e.clone())),
                _ => None,
            })
        })
    }

    /// The chart kind called `name` and the plugin that registered it.
    pub fn chart(&self, name: &str) -> Option<(&'static str, Arc<dyn ChartKind>)> {
        self.plugins.iter().find_map(|p| {
            p.capabilities.iter().find_map(|c| match c {
                Capability::Chart(k) if k.name() == name => Some((p.name, k.clone())),
                _ => None,
            })
        })
    }

    /// The names of every plugin chart kind.
    pub fn chart_names(&self) -> Vec<String> {
        self.capabilities().filter(|c| matches!(c, Capability::Chart(_))).map(|c| c.name().to_string()).collect()
    }

    /// The names of every exporter.
    pub fn exporter_names(&self) -> Vec<String> {
        self.capabilities().filter(|c| matches!(c, Capability::Exporter(_))).map(|c| c.name().to_string()).collect()
    }

    /// The names of every analysis, for "unknown analysis" errors.
    pub fn analysis_names(&self) -> Vec<String> {
        self.capabilities().filter(|c| matches!(c, Capability::Analysis(_))).map(|c| c.name().to_string()).collect()
    }

    /// Every SQL function with its plugin.
    pub fn sql_functions(&self) -> Vec<(&'static str, Arc<dyn SqlFunction>)> {
        self.plugins
            .iter()
            .flat_map(|p| {
                p.capabilities.iter().filter_map(move |c| if let Capability::SqlFunction(f) = c { Some((p.name, f.clone())) } else { None })
            })
            .collect()
    }

    /// Every plugin table with its plugin.
    pub fn tables(&self) -> Vec<(&'static str, PluginTable)> {
        self.plugins
            .iter()
            .flat_map(|p| p.capabilities.iter().filter_map(move |c| if let Capability::Table(t) = c { Some((p.name, t.clone())) } else { None }))
            .collect()
    }
}

/// Lowercase ASCII words joined by `separator`.
fn is_case(name: &str, separator: char) -> bool {
    !name.is_empty()
        && name.split(separator).all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Named(&'static str, &'static str);
    struct Nothing(&'static str);
    impl Analysis for Nothing {
        fn name(&self) -> &'static str {
            self.0
        }
        fn description(&self) -> &'static str {
            "nothing"
        }
        fn run(&self, _: &dyn Context, _: &Args) -> Result<Output, PluginError> {
            Ok(Output::default())
        }
    }
    impl Plugin for Named {
        fn name(&self) -> &'static str {
            self.0
        }
        fn description(&self) -> &'static str {
            "test"
        }
        fn register(&self, r: &mut Registrar) {
            r.analysis(Nothing(self.1));
        }
    }

    #[test]
    fn names_are_unique_and_well_formed() {
        let mut registry = Registry::default();
        registry.register(&Named("a", "run-a")).unwrap();
        assert!(registry.register(&Named("a", "other")).unwrap_err().0.contains("already registered"));
        let clash = registry.register(&Named("b", "run-a")).unwrap_err().0;
        assert!(clash.contains("'run-a' is already taken by plugin 'a'"), "{clash}");
        assert!(registry.register(&Named("B c", "x")).unwrap_err().0.contains("kebab-case"));
        registry.register(&Named("b", "run-b")).unwrap();
        assert_eq!(registry.plugins().iter().map(|p| p.name).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(registry.analysis("run-b").map(|(p, _)| p), Some("b"));
        assert_eq!(registry.analysis_names(), ["run-a", "run-b"]);
    }

    #[test]
    fn tables_live_in_the_plugin_namespace() {
        struct Tabled(&'static str);
        impl Plugin for Tabled {
            fn name(&self) -> &'static str {
                "socio-economic"
            }
            fn description(&self) -> &'static str {
                "t"
            }
            fn register(&self, r: &mut Registrar) {
                r.table(PluginTable { name: self.0, migrations: vec!["CREATE TABLE x (a INT)"] });
            }
        }
        let mut registry = Registry::default();
        let e = registry.register(&Tabled("participant")).unwrap_err().0;
        assert!(e.contains("starting with 'socio_economic_'"), "{e}");
        registry.register(&Tabled("socio_economic_parameter")).unwrap();
        assert_eq!(registry.tables().len(), 1);
    }
}
