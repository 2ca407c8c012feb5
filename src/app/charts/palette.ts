import { interpolateBlues, interpolateRdBu } from 'd3';

/**
 * One categorical palette for classes everywhere (Okabe–Ito, colour-blind safe, then Paul Tol's
 * muted set), so a class has the same colour in every chart. Past 16 classes colours repeat.
 */
const CLASS_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
  '#332288',
  '#88CCEE',
  '#44AA99',
  '#117733',
  '#999933',
  '#DDCC77',
  '#CC6677',
  '#882255',
];

export const classColour = (i: number) => CLASS_COLOURS[i % CLASS_COLOURS.length];

/** Sequential scale for heatmaps (0…1). */
export const heat = (t: number) => interpolateBlues(0.08 + 0.92 * Math.max(0, Math.min(1, t)));

/** Diverging scale for deltas (−1…1): worse is warm, better is cool. */
export const delta = (t: number) => interpolateRdBu(0.5 + 0.5 * Math.max(-1, Math.min(1, t)));

/** Metric colours for precision / recall / F1 bars (Paul Tol's bright, distinct from the class hues by role). */
export const METRIC_COLOURS = { precision: '#4477AA', recall: '#CCBB44', f1: '#AA3377' } as const;

/** Text that stays readable on a heat cell. */
export const inkOn = (t: number) => (t > 0.55 ? '#ffffff' : '#1d2330');
