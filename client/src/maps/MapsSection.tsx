import type { AnnotationMapKind } from '@tessera/shared';
import { type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorNotice } from '../components/Notice';
import { field, formatTime } from '../format';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';
import { annotationMaps, setTypes } from './maps-api';

/**
 * The set's annotation maps: every annotation of one type as a crop on a grid, in order or with
 * look-alikes together, for checking many annotations at a glance. Making one opens it.
 */
export function MapsSection({ setId }: { setId: number }) {
  const list = useLoad(() => annotationMaps.ofImageSet(setId), [setId]);
  const types = useLoad(() => setTypes(setId), [setId]);
  const create = useAction();
  const navigate = useNavigate();
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    let made = 0;
    void create
      .run(async () => {
        made = (
          await annotationMaps.create({
            image_set: setId,
            annotation_type: Number(field(data, 'type')),
            kind: field(data, 'kind') as AnnotationMapKind,
          })
        ).id;
      })
      .then((ok) => {
        if (ok) void navigate(`/maps/${made}`);
      });
  };
  const rows = list.data?.results ?? [];
  return (
    <section className="panel panel-wide" aria-labelledby="maps-title">
      <h2 id="maps-title">Annotation maps</h2>
      <form className="inline-form" onSubmit={submit} aria-label="Make an annotation map">
        <label htmlFor="map-type">Type</label>
        <select id="map-type" name="type" required>
          {(types.data ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <label htmlFor="map-kind">Layout</label>
        <select id="map-kind" name="kind" defaultValue="grid">
          <option value="grid">In order</option>
          <option value="cluster">Look-alikes together</option>
        </select>
        <button type="submit" className="primary" disabled={create.busy}>
          Make map
        </button>
      </form>
      <ErrorNotice message={create.error ?? list.error} />
      {rows.length === 0 ? null : (
        <ul>
          {rows.map((m) => (
            <li key={m.id}>
              <Link to={`/maps/${m.id}`}>{m.name}</Link>{' '}
              <span className="muted">
                {m.state === 'ready' ? `${m.annotation_count} annotations` : m.state}
                {m.stale ? ' · out of date' : ''} · {formatTime(m.created_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
