import type { SetVersion, VersionDiff } from '@tessera/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { annotationTypes, images, products, versions } from '../api/resources';
import { ErrorNotice } from '../components/Notice';
import { VersionSelect } from '../components/VersionSelect';
import { useLoad } from '../hooks/useLoad';

type Counts = VersionDiff['totals'];
type Side = number | 'now';

/** "2 added, 1 changed, 0 removed, 1 restored". */
export function describeCounts(c: Counts): string {
  return `${c.added} added, ${c.changed} changed, ${c.removed} removed, ${c.restored} restored`;
}

/** How many annotations are listed per image before the list says "and N more". */
const LISTED_PER_IMAGE = 25;

/** Names of the diff's images and of the set's annotation types. */
async function namesFor(setId: number, diff: VersionDiff) {
  const ids = diff.images.map((i) => i.image);
  const [imagePage, productPage] = await Promise.all([
    ids.length === 0 ? Promise.resolve({ results: [] }) : images.byIds(ids),
    products.ofImageSet(setId),
  ]);
  const typePage = await annotationTypes.ofProducts(productPage.results.map((p) => p.id));
  return {
    images: new Map(imagePage.results.map((i) => [i.id, i.name])),
    types: new Map(typePage.results.map((t) => [t.id, t.name])),
  };
}

/**
 * Compare any two versions of the set (or a version and now): counts per image and annotation type,
 * the differing annotations, and a link that draws the differences over each image.
 */
export function VersionCompare({
  setId,
  versions: list,
}: {
  setId: number;
  versions: readonly SetVersion[];
}) {
  const [from, setFrom] = useState<number>(() => list[list.length - 1]?.id ?? 0);
  const [to, setTo] = useState<Side>('now');
  const diff = useLoad(async () => {
    const result = await versions.diff(from, to);
    return { result, names: await namesFor(setId, result) };
  }, [setId, from, to]);
  const sideName = (side: Side) =>
    side === 'now' ? 'now' : (list.find((v) => v.id === side)?.name ?? `#${side}`);
  return (
    <div className="version-compare">
      <h3 id="compare-title">Compare two versions</h3>
      <div className="inline-form">
        <label htmlFor="compare-from">From</label>
        <VersionSelect
          id="compare-from"
          versions={list}
          value={String(from)}
          onChange={(value) => {
            setFrom(Number(value));
          }}
        />
        <label htmlFor="compare-to">To</label>
        <VersionSelect
          id="compare-to"
          versions={list}
          value={String(to)}
          first={{ value: 'now', label: 'now' }}
          onChange={(value) => {
            setTo(value === 'now' ? 'now' : Number(value));
          }}
        />
      </div>
      <ErrorNotice message={diff.error} />
      {diff.data === undefined ? null : (
        <CompareResult
          diff={diff.data.result}
          names={diff.data.names}
          title={`${sideName(from)} → ${sideName(to)}`}
        />
      )}
    </div>
  );
}

function CompareResult(props: {
  diff: VersionDiff;
  names: { images: Map<number, string>; types: Map<number, string> };
  title: string;
}) {
  const { diff, names } = props;
  const link = (image: number) => `/images/${image}?diff=${String(diff.from)}&to=${String(diff.to)}`;
  return (
    <div data-testid="compare-result">
      <p className="status-line" data-testid="compare-totals">
        {props.title}: {describeCounts(diff.totals)}
        {diff.truncated ? ' (the list below is cut short; the counts are whole)' : ''}
      </p>
      {diff.images.length === 0 ? null : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Image</th>
              <th scope="col">Changes</th>
              <th scope="col">By type</th>
              <th scope="col">Annotations</th>
            </tr>
          </thead>
          <tbody>
            {diff.images.map((image) => (
              <tr key={image.image} data-image={image.image}>
                <td>
                  {names.images.get(image.image) ?? `Image ${image.image}`}
                  <div>
                    <Link to={link(image.image)}>Show on the image</Link>
                  </div>
                </td>
                <td>{describeCounts(image)}</td>
                <td>
                  <ul className="plain-list">
                    {Object.entries(image.by_type).map(([type, counts]) => (
                      <li key={type}>
                        {names.types.get(Number(type)) ?? `type ${type}`}: {describeCounts(counts)}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <ul className="plain-list">
                    {image.annotations.slice(0, LISTED_PER_IMAGE).map((a) => (
                      <li key={a.unique_identifier}>
                        <code>{a.unique_identifier.slice(0, 8)}</code> {a.change}
                        {a.fields.length > 0 ? ` (${a.fields.join(', ')})` : ''}
                      </li>
                    ))}
                    {image.annotations.length > LISTED_PER_IMAGE ? (
                      <li>and {image.annotations.length - LISTED_PER_IMAGE} more</li>
                    ) : null}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
