import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  binCounts,
  chi2Contingency,
  chi2Sf,
  jensenShannon,
  ks2,
  kolmogorovSf,
  mcnemar,
  pairedT,
  psi,
  quantileEdges,
  tTwoSided,
  wasserstein,
} from '../../src/core/stats/tests';

const golden = JSON.parse(readFileSync(new URL('../fixtures/expected/audit_stats.json', import.meta.url), 'utf8'));
const close = (a: number | null | undefined, b: number, tol = 1e-9) =>
  expect(Math.abs((a ?? NaN) - b)).toBeLessThan(tol * Math.max(1, Math.abs(b)));
const sorted = (v: number[]) => Float64Array.from(v).sort();

describe('compare and drift statistics equal SciPy and statsmodels', () => {
  it('χ² survival', () => {
    for (const c of golden.chi2_sf) close(chi2Sf(c.x, c.df), c.p, 1e-12);
  });
  it("McNemar (exact below 25 discordant rows, corrected χ² above), as statsmodels' mcnemar", () => {
    for (const c of golden.mcnemar) {
      const r = mcnemar(c.a_only, c.b_only);
      expect(r.exact).toBe(c.exact);
      close(r.p_value, c.p, 1e-12);
    }
    expect(mcnemar(0, 0).p_value).toBeNull();
  });
  it("χ² contingency, as scipy's chi2_contingency (Yates when df = 1)", () => {
    for (const c of golden.chi2_contingency) {
      const r = chi2Contingency(c.table)!;
      expect(r.df).toBe(c.df);
      close(r.statistic, c.statistic, 1e-12);
      close(r.p_value, c.p, 1e-12);
    }
  });
  it("two-sample KS (statistic and ks_2samp's exact p), Wasserstein, PSI over the reference's deciles", () => {
    for (const s of golden.samples) {
      const a = sorted(s.a);
      const b = sorted(s.b);
      const r = ks2(a, b)!;
      close(r.statistic, s.ks_statistic, 1e-12);
      expect(r.exact).toBe(true);
      close(r.p_value, s.ks_p_scipy_default, 1e-9);
      close(wasserstein(a, b), s.wasserstein, 1e-12);
      const edges = quantileEdges(a, 10);
      edges.forEach((e, k) => close(e, s.psi_edges[k], 1e-12));
      close(psi(binCounts(a, edges), binCounts(b, edges)), s.psi, 1e-12);
    }
  });
  it("the limiting Kolmogorov distribution (large samples) matches scipy's kstwobign on the goldens", () => {
    for (const s of golden.samples) {
      const m = s.a.length;
      const n = s.b.length;
      close(kolmogorovSf(Math.sqrt((m * n) / (m + n)) * s.ks_statistic), s.ks_p_asymptotic, 1e-12);
    }
    // Both series agree where they meet.
    close(kolmogorovSf(1.18 - 1e-12), kolmogorovSf(1.18), 1e-10);
  });
  it('Jensen–Shannon distance', () => {
    for (const c of golden.jensenshannon) close(jensenShannon(c.p, c.q), c.distance, 1e-12);
  });
});

describe("the paired t-test equals SciPy's ttest_rel", () => {
  const reg = JSON.parse(
    readFileSync(new URL('../fixtures/expected/regression_compare.json', import.meta.url), 'utf8'),
  );
  it("Student's t two-sided p-values, df 1 to 3M", () => {
    for (const c of reg.t_two_sided) close(tTwoSided(c.t, c.df), c.p, 1e-10);
  });
  it('paired t-tests of seeded differences (2 to 442 pairs)', () => {
    for (const c of reg.paired) {
      const r = pairedT(c.b.map((b: number, i: number) => b - c.a[i]));
      expect(r.df).toBe(c.df);
      close(r.statistic, c.statistic, 1e-9);
      close(r.p_value, c.p_value, 1e-9);
      close(r.mean_difference, c.mean_difference, 1e-12);
    }
  });
  it('differences that do not vary have no test', () => {
    expect(pairedT([1, 1, 1]).p_value).toBeNull();
    expect(pairedT([0.5]).statistic).toBeNull();
  });
});
