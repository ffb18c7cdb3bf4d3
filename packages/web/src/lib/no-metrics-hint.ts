/** Why a metrics page can be empty although traces exist. */
export const NO_METRICS_HINT =
  'Metrics are derived by the ingester from spans as they arrive (not from stored traces), a trace window after its last span; they are off when Ariadne runs with --processors none.';
