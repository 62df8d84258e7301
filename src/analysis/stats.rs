//! The statistics behind every figure (Wilson, Newcombe, the pooled z-test, the report's age bands). They
//! are defined in the plugin interface (`finsam_plugin::stats`), so that plugins and the SQL functions of
//! the stats-sql plugin give exactly the core's numbers; cross-checked against statsmodels in the tests.

pub use finsam_plugin::stats::*;
