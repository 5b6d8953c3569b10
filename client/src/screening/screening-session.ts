// Guided screening of one picture (a slide, or an annotation map's mosaic): the user's plan of fields
// (screening-plan.ts), kept on the server per user and picture through a ScreeningStore, so the next
// visit on any device resumes at the same field. Moves are sent one after another in order.
import type { ScreeningPlanWrite } from '../api/screening-modes';
import type { Rect } from '../workspace/geometry';
import {
  fieldSizeFor,
  nextField,
  planFields,
  previousField,
  readProgress,
  toScreeningTiles,
  toStoredPlan,
  type ScreeningProgress,
} from './screening-plan';

/** A plan as the server answers it (tiles unchecked: readProgress checks them). */
export type StoredScreening = Omit<ScreeningPlanWrite, 'screening_tiles'> & {
  screening_tiles: Record<string, unknown>;
};

/** Where one user's screening of one picture is kept (EXACT's screening-mode fields). */
export interface ScreeningStore {
  /** The user's stored plan, or null when they have none. */
  load(): Promise<StoredScreening | null>;
  /** Stores a new plan, replacing any earlier one; answers it as stored. */
  start(plan: ScreeningPlanWrite): Promise<StoredScreening>;
  /** Moves to field `index`; `plan` is the whole plan after the move (that field marked screened). */
  moveTo(index: number, plan: ScreeningPlanWrite): Promise<unknown>;
}

/** The picture screened: its full-resolution size in pixels. */
export interface ScreeningPicture {
  readonly width: number;
  readonly height: number;
}

/** What screening needs of the viewer. */
export interface ScreeningViewer {
  /** The viewer's size in screen pixels, or null before the image opened. */
  size(): { width: number; height: number } | null;
  /** Shows one field of the image (fitted into the viewer). */
  show(field: Rect): void;
  /** The plan or position changed: redraw the navigator's shading. */
  changed(): void;
}

export interface ScreeningSnapshot {
  /** Null until loaded, and when the user has no plan for this image. */
  readonly progress: ScreeningProgress | null;
  readonly loaded: boolean;
  /** Whether the keys and the navigator follow the plan (a plan resumes active). */
  readonly active: boolean;
  readonly error: string | null;
}

/** Image pixels per screen pixel the user may choose (1 is the scan's own resolution). */
export const ZOOM_FACTORS = [1, 2, 4, 8, 16] as const;

/** The name of a zoom: the objective's magnification when the scan names it, else a percentage. */
export function zoomName(factor: number, objectivePower: number): string {
  return objectivePower > 0 ? `${+(objectivePower / factor).toFixed(2)}×` : `${+(100 / factor).toFixed(2)}%`;
}

/** One user's screening of one picture. */
export class ScreeningSession {
  private snapshot: ScreeningSnapshot = { progress: null, loaded: false, active: false, error: null };
  private readonly listeners = new Set<() => void>();
  /** The moves not yet answered, sent one after another so the server sees them in order. */
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly picture: ScreeningPicture,
    private readonly store: ScreeningStore,
    private readonly viewer: ScreeningViewer,
  ) {}

  getSnapshot = (): ScreeningSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Reads the user's plan; an unfinished one resumes at its field. */
  async load(): Promise<void> {
    try {
      const mode = await this.store.load();
      const progress = mode === null ? null : readProgress(mode, this.picture.width, this.picture.height);
      const unfinished = progress !== null && progress.screened.size < progress.fields.length;
      this.update({ progress, loaded: true, active: unfinished, error: null });
      if (unfinished) this.showCurrent();
    } catch (e) {
      this.update({ loaded: true, error: messageOf(e) });
    }
  }

  /** Starts a new plan at a zoom (replacing the user's earlier one of this image) at its first field. */
  async start(factor: number): Promise<void> {
    const size = this.viewer.size();
    if (size === null) return;
    const field = fieldSizeFor(size.width, size.height, factor);
    let plan;
    try {
      plan = planFields(this.picture.width, this.picture.height, field.width, field.height);
    } catch (e) {
      this.update({ error: messageOf(e) });
      return;
    }
    const write = {
      screening_tiles: toScreeningTiles(plan, new Set([0])),
      x_steps: plan.xSteps,
      y_steps: plan.ySteps,
      x_resolution: plan.fieldWidth,
      y_resolution: plan.fieldHeight,
      current_index: 0,
    };
    try {
      await this.sending;
      const saved = await this.store.start(write);
      this.update({
        progress: readProgress(saved, this.picture.width, this.picture.height),
        active: true,
        error: null,
      });
      this.showCurrent();
    } catch (e) {
      this.update({ error: messageOf(e) });
    }
  }

  /** Steps to the next (+1) or previous (-1) field in EXACT's order, marking it screened. */
  step(direction: 1 | -1): void {
    const progress = this.snapshot.progress;
    if (!this.snapshot.active || progress === null) return;
    const count = progress.fields.length;
    const index =
      direction === 1 ? nextField(progress.current, count) : previousField(progress.current, count);
    this.moveTo(index);
  }

  /** Goes to one field (the navigator's click, the keys), marking it screened. */
  moveTo(index: number): void {
    const progress = this.snapshot.progress;
    if (progress === null || index < 0 || index >= progress.fields.length) return;
    const screened = new Set(progress.screened).add(index);
    const moved = { ...progress, current: index, screened };
    this.update({ progress: moved, active: true });
    this.showCurrent();
    if (index === progress.current && progress.screened.has(index)) return;
    const plan = toStoredPlan(moved);
    this.sending = this.sending
      .then(() => this.store.moveTo(index, plan))
      .then(
        () => {
          if (this.snapshot.error !== null) this.update({ error: null });
        },
        (e: unknown) => {
          this.update({ error: `The position was not saved: ${messageOf(e)}` });
        },
      );
  }

  /** Shows the current field again (after the user panned away). */
  showCurrent(): void {
    const progress = this.snapshot.progress;
    const field = progress?.fields[progress.current];
    if (field !== undefined) this.viewer.show(field);
  }

  /** Pauses (keys and shading off) or resumes the plan on this visit; the plan itself stays. */
  setActive(active: boolean): void {
    if (this.snapshot.progress === null) return;
    this.update({ active });
    if (active) this.showCurrent();
  }

  /** Resolves when every move made so far has been answered (tests and page leaving). */
  settled(): Promise<unknown> {
    return this.sending;
  }

  private update(changes: Partial<ScreeningSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    this.viewer.changed();
    for (const listener of this.listeners) listener();
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
