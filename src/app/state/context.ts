import { getContext, setContext } from 'svelte';
import type { Workbench } from './workbench.svelte';
import type { EvalState } from './evaluation.svelte';
import type { ReviewState } from './review.svelte';
import type { CompareState } from './compare.svelte';
import type { ModelState } from './models.svelte';
import type { MapState } from './map.svelte';

/** The page's state, made once by App and reached by every view through Svelte's context. */
export interface AppState {
  wb: Workbench;
  ev: EvalState;
  rv: ReviewState;
  cs: CompareState;
  ms: ModelState;
  mp: MapState;
}

const KEY = Symbol('loupe');

/** Called by App while it initialises. */
export const provideApp = (state: AppState): AppState => setContext(KEY, state);

/** The page's state, in a component's initialisation. */
export function useApp(): AppState {
  const state = getContext<AppState | undefined>(KEY);
  if (!state) throw new Error('useApp() outside the app: no state was provided');
  return state;
}
