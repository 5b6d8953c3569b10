// Each user's screening state of an image (EXACT's `images/screening_modes/`): the fields of the plan,
// which are screened, and where the user is.
import type { Page, ScreeningMode } from '@tessera/shared';
import { api } from './http';
import { query } from './resources';

/** What a plan writes: EXACT's fields (the server marks the tile at `current_index` screened). */
export interface ScreeningPlanWrite {
  screening_tiles: Record<
    string,
    { Screened: boolean; x_min: number; y_min: number; x_max: number; y_max: number }
  >;
  x_steps: number;
  y_steps: number;
  x_resolution: number;
  y_resolution: number;
  current_index: number;
}

export const screeningModes = {
  /** The user's own screening state of an image, or null when they have none. */
  mine: async (image: number, user: number): Promise<ScreeningMode | null> =>
    (await api<Page<ScreeningMode>>('GET', `/images/screening_modes/${query({ image, user })}`)).results[0] ??
    null,
  create: (image: number, plan: ScreeningPlanWrite) =>
    api<ScreeningMode>('POST', '/images/screening_modes/', { image, ...plan }),
  replace: (id: number, plan: ScreeningPlanWrite) =>
    api<ScreeningMode>('PATCH', `/images/screening_modes/${id}/`, plan),
  /** Moves to a field; the server marks it screened, as EXACT does. */
  moveTo: (id: number, index: number) =>
    api<ScreeningMode>('PATCH', `/images/screening_modes/${id}/`, { current_index: index }),
};

/**
 * A user's screening of an image as the screening session keeps it: created on the first plan, then
 * replaced; a move only sends the index (the server marks that tile screened).
 */
export function imageScreeningStore(image: number, user: number) {
  let id: number | null = null;
  return {
    load: async () => {
      const mode = await screeningModes.mine(image, user);
      id = mode?.id ?? null;
      return mode;
    },
    start: async (plan: ScreeningPlanWrite) => {
      const saved =
        id === null ? await screeningModes.create(image, plan) : await screeningModes.replace(id, plan);
      id = saved.id;
      return saved;
    },
    moveTo: (index: number) =>
      id === null
        ? Promise.reject(new Error('No screening plan to move in.'))
        : screeningModes.moveTo(id, index),
  };
}
