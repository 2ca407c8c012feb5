/** Drift of a dataset from a reference, column by column: the report's shape and the rule that flags a column. */
export interface ColumnDrift {
  column: string;
  kind: 'numeric' | 'categorical';
  rows: { reference: number; current: number };
  nulls: { reference: number; current: number };
  /** Numeric: two-sample KS and the Wasserstein distance; categorical: χ² and Jensen–Shannon distance. PSI for both. */
  ks?: { statistic: number; p_value: number; exact: boolean } | null;
  wasserstein?: number | null;
  chi2?: { statistic: number; df: number; p_value: number } | null;
  jensen_shannon?: number | null;
  psi: number | null;
  /** The test's p-value (KS or χ²). */
  p_value: number | null;
  /** For the overlaid histograms: shares per bin (numeric: 20 equal-width bins over both) or per category (the 30 most frequent, then other). */
  histogram: { labels: string[]; reference: number[]; current: number[] };
}

export interface DriftReport {
  reference: string;
  current: string;
  columns: ColumnDrift[];
  skipped: { column: string; reason: string }[];
}

export interface DriftThresholds {
  /** A column drifted when its test's p-value is below `p` and its PSI is at least `psi`. */
  p: number;
  psi: number;
}

export const DRIFT_THRESHOLDS: DriftThresholds = { p: 0.05, psi: 0.1 };
export const MAX_DRIFT_CATEGORIES = 1000;

/** Whether a column drifted: significant (p below the threshold) and large enough (PSI at or above it). */
export const drifted = (c: ColumnDrift, t: DriftThresholds = DRIFT_THRESHOLDS) =>
  c.p_value !== null && c.p_value < t.p && c.psi !== null && c.psi >= t.psi;
