import { NEUTRAL_FILTERS, GAMMA_FILTER_ID, type ImageFilters } from '../viewer-binding';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

const SLIDERS: { key: Exclude<keyof ImageFilters, 'invert'>; label: string; min: number; max: number }[] = [
  { key: 'brightness', label: 'Brightness', min: 0.2, max: 3 },
  { key: 'contrast', label: 'Contrast', min: 0.2, max: 3 },
  { key: 'gamma', label: 'Gamma', min: 0.2, max: 3 },
  { key: 'saturation', label: 'Saturation', min: 0, max: 3 },
];

/** Brightness, contrast, gamma, saturation and invert of the tiles (annotations keep their colours). */
export function FilterControls({ controller }: { controller: WorkspaceController }) {
  const { filters } = useWorkspace(controller);
  const set = (changes: Partial<ImageFilters>) => {
    controller.setFilters({ ...filters, ...changes });
  };
  // CSS has no gamma filter: an SVG transfer function does it (referenced by id from the canvas).
  const exponent = 1 / filters.gamma;
  return (
    <section className="panel" aria-labelledby="filters-heading">
      <h2 id="filters-heading">Image filters</h2>
      <svg width="0" height="0" aria-hidden="true" style={{ position: 'absolute' }}>
        <filter id={GAMMA_FILTER_ID}>
          <feComponentTransfer>
            <feFuncR type="gamma" exponent={exponent} />
            <feFuncG type="gamma" exponent={exponent} />
            <feFuncB type="gamma" exponent={exponent} />
          </feComponentTransfer>
        </filter>
      </svg>
      {SLIDERS.map((s) => (
        <label key={s.key} className="slider">
          {s.label}
          <input
            type="range"
            min={s.min}
            max={s.max}
            step={0.05}
            value={filters[s.key]}
            onChange={(e) => {
              set({ [s.key]: Number(e.target.value) });
            }}
          />
          <output>{filters[s.key].toFixed(2)}</output>
        </label>
      ))}
      <label>
        <input
          type="checkbox"
          checked={filters.invert}
          onChange={(e) => {
            set({ invert: e.target.checked });
          }}
        />{' '}
        Invert
      </label>
      <button
        type="button"
        onClick={() => {
          controller.setFilters(NEUTRAL_FILTERS);
        }}
      >
        Reset filters
      </button>
    </section>
  );
}
