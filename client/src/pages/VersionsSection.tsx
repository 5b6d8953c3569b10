import type { RestoreReport, SetVersion } from '@tessera/shared';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { exportUrl, versions } from '../api/resources';
import { ErrorNotice, StatusLine } from '../components/Notice';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';
import { field, formatTime } from '../format';
import { describeCounts, VersionCompare } from './VersionCompare';

const FORMATS = [
  { format: 'coco', label: 'COCO' },
  { format: 'geojson', label: 'GeoJSON' },
  { format: 'csv', label: 'CSV' },
] as const;

/**
 * The set's dataset versions: freeze the current annotations under a name, see what changed since each
 * version, and download any version (or the current state) for training. Made and exported by the
 * server (images/set_versions/); versions never change once made.
 */
export function VersionsSection({ setId, isAdmin }: { setId: number; isAdmin: boolean }) {
  const list = useLoad(() => versions.ofImageSet(setId), [setId]);
  // Bumped after a restore (or a new version): every row's "changes since" loads again, no reload.
  const [changes, setChanges] = useState(0);
  const restore = useAction();
  const [restored, setRestored] = useState<string | null>(null);
  const restoreVersion = (version: SetVersion) => {
    if (!window.confirm(`Make the annotations what "${version.name}" holds? Collaborators see it at once.`))
      return;
    setRestored(null);
    let report: RestoreReport | undefined;
    void restore
      .run(async () => {
        report = await versions.restore(version.id);
      })
      .then(() => {
        if (report === undefined) return;
        setRestored(
          `Restored "${version.name}": ${report.created} brought back, ${report.changed} changed, ${report.deleted} deleted.`,
        );
        list.reload();
        setChanges((n) => n + 1);
      });
  };
  const create = useAction();
  const [made, setMade] = useState<string | null>(null);
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = field(data, 'name');
    setMade(null);
    void create
      .run(() => versions.create({ name, description: field(data, 'description'), imagesets: [setId] }))
      .then((ok) => {
        if (!ok) return;
        form.reset();
        setMade(`Version "${name}" made.`);
        list.reload();
        setChanges((n) => n + 1);
      });
  };
  const rows = list.data?.results ?? [];
  return (
    <section className="panel panel-wide" aria-labelledby="versions-title">
      <h2 id="versions-title">Dataset versions</h2>
      <p className="muted">
        Download the annotations as they are now:{' '}
        {FORMATS.map(({ format, label }, index) => (
          <span key={format}>
            {index > 0 ? ' · ' : null}
            <a href={exportUrl({ imageSet: setId }, format)} download>
              {label}
            </a>
          </span>
        ))}
      </p>
      <form className="inline-form" onSubmit={submit} aria-label="Make a version">
        <label htmlFor="version-name">Name</label>
        <input id="version-name" name="name" required maxLength={200} placeholder="e.g. training round 1" />
        <label htmlFor="version-description">Description</label>
        <input id="version-description" name="description" maxLength={10000} />
        <button type="submit" className="primary" disabled={create.busy}>
          Make version
        </button>
      </form>
      <ErrorNotice message={create.error} />
      {made !== null ? <StatusLine>{made}</StatusLine> : null}
      <ErrorNotice message={restore.error} />
      {restored !== null ? <StatusLine>{restored}</StatusLine> : null}
      <ErrorNotice message={list.error} />
      {rows.length === 0 ? (
        list.loading ? null : (
          <p className="empty">No versions yet.</p>
        )
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Made</th>
              <th scope="col">Changes since</th>
              <th scope="col">Download</th>
              {isAdmin ? <th scope="col">Restore</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((version) => (
              <VersionRow
                key={version.id}
                version={version}
                changes={changes}
                {...(isAdmin ? { onRestore: restoreVersion } : {})}
              />
            ))}
          </tbody>
        </table>
      )}
      {rows.length > 0 ? <VersionCompare setId={setId} versions={rows} /> : null}
    </section>
  );
}

function VersionRow(props: { version: SetVersion; changes: number; onRestore?: (v: SetVersion) => void }) {
  const { version, onRestore } = props;
  const diff = useLoad(() => versions.diff(version.id, 'now'), [version.id, props.changes]);
  const totals = diff.data?.totals;
  return (
    <tr data-version={version.id}>
      <td>
        <strong>{version.name}</strong>
        {version.automatic ? <span className="badge">automatic</span> : null}
        {version.description ? <div className="muted">{version.description}</div> : null}
        {version.images[0] === undefined ? null : (
          <div>
            <Link to={`/images/${version.images[0]}?version=${version.id}`}>
              View<span className="visually-hidden"> {version.name}</span> as it was
            </Link>
          </div>
        )}
      </td>
      <td>{formatTime(version.time)}</td>
      <td className="version-changes">
        {totals === undefined ? (diff.error ?? '…') : describeCounts(totals)}
      </td>
      <td>
        {FORMATS.map(({ format, label }, index) => (
          <span key={format}>
            {index > 0 ? ' · ' : null}
            <a
              href={exportUrl({ version: version.id }, format)}
              download
              aria-label={`${label} of ${version.name}`}
            >
              {label}
            </a>
          </span>
        ))}
      </td>
      {onRestore === undefined ? null : (
        <td>
          <button
            type="button"
            className="link-button"
            aria-label={`Restore ${version.name}`}
            onClick={() => {
              onRestore(version);
            }}
          >
            Restore
          </button>
        </td>
      )}
    </tr>
  );
}
