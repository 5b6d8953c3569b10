import { useDeferredValue, useMemo, useState } from 'react';
import { countByType, firstMatches } from '../annotation-filter';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';
import { useUserNames } from './useUserNames';
import { REVIEW_FILTERS, reviewPredicate, type ReviewFilter } from '../review-filter';
import { VerdictBadges } from './VerdictBadges';

/** Rows shown at once; the rest are counted (a list of 100,000 rows helps nobody). */
const SHOWN = 200;

/** Counts per type, a filter by type and a search by label, creator and description; click flies there. */
export function AnnotationList({ controller }: { controller: WorkspaceController }) {
  const s = useWorkspace(controller);
  const [type, setType] = useState<number | 'all'>('all');
  const [search, setSearch] = useState('');
  const [reviewFilter, setReviewFilter] = useState<ReviewFilter>('all');
  // At 100,000 annotations a recount costs tens of milliseconds: React may do it after the frame.
  const version = useDeferredValue(s.version + s.verdictVersion);
  const names = useUserNames(controller, version, peopleOf);
  // The index is mutable: `version` marks its changes.
  const all = useMemo(() => [...controller.index.all()], [controller, version]);
  const counts = useMemo(() => countByType(all), [all]);
  // An image with regions (G4): the regions not loaded are counted from the index, not listed.
  const unloaded = controller.regions?.density;
  const total = all.length + (unloaded?.total ?? 0);
  const matches = useMemo(
    () =>
      firstMatches(
        all,
        {
          type: type === 'all' ? null : type,
          search,
          typeName: (id) => controller.typesById.get(id)?.name ?? '',
          userName: (id) => names.get(id) ?? '',
          keep: reviewPredicate(reviewFilter, controller.review),
        },
        SHOWN,
      ),
    [all, type, search, names, controller, reviewFilter],
  );
  return (
    <section className="panel annotation-list" aria-labelledby="list-heading">
      <h2 id="list-heading">
        Annotations <span data-testid="annotation-total">{total}</span>
      </h2>
      {unloaded !== undefined && unloaded.total > 0 && (
        <p className="hint" data-testid="annotations-not-loaded">
          {unloaded.total.toLocaleString('en')} in parts of the image not loaded: zoom in there to list them.
        </p>
      )}
      <ul className="type-counts" aria-label="Annotations per type">
        {controller.data.types.map((t) => (
          <li key={t.id} data-testid={`count-${t.id}`}>
            <span className="swatch" style={{ background: t.color_code }} aria-hidden="true" /> {t.name}:{' '}
            <strong>{(counts.get(t.id) ?? 0) + (unloaded?.byType.get(t.id) ?? 0)}</strong>
          </li>
        ))}
      </ul>
      <label>
        Type
        <select
          value={type}
          onChange={(e) => {
            setType(e.target.value === 'all' ? 'all' : Number(e.target.value));
          }}
        >
          <option value="all">All types</option>
          {controller.data.types.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Review
        <select
          data-testid="review-filter"
          value={reviewFilter}
          onChange={(e) => {
            setReviewFilter(e.target.value as ReviewFilter);
          }}
        >
          {REVIEW_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Search
        <input
          type="search"
          value={search}
          placeholder="label, creator or description"
          onChange={(e) => {
            setSearch(e.target.value);
          }}
        />
      </label>
      <ol className="annotations" data-testid="annotation-rows">
        {matches.first.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              aria-current={s.selection.has(a.id) ? 'true' : undefined}
              onClick={() => {
                controller.flyTo(a.id);
              }}
            >
              <span
                className="swatch"
                style={{ background: controller.typesById.get(a.record.type)?.color_code }}
              />
              {controller.typesById.get(a.record.type)?.name ?? `type ${a.record.type}`}
              <span className="by">{names.get(a.record.created.by) ?? `user ${a.record.created.by}`}</span>
              {a.record.description ? <span className="description">{a.record.description}</span> : null}
              <VerdictBadges verdicts={controller.review.verdicts(a.id)} names={names} />
            </button>
          </li>
        ))}
      </ol>
      {matches.total > SHOWN ? (
        <p className="hint">{matches.total - SHOWN} more match; narrow the search.</p>
      ) : null}
    </section>
  );
}

/** The creators of the open image's annotations and the people who judged them. */
function* peopleOf(controller: WorkspaceController): Iterable<number> {
  for (const a of controller.index.all()) {
    yield a.record.created.by;
    for (const v of controller.review.verdicts(a.id)) yield v.user;
  }
}
