import type { Dataset, DatasetInstance, Team } from '@tessera/shared';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { administers } from '../access';
import { datasets, memberships, teams } from '../api/resources';
import { ErrorNotice } from '../components/Notice';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';
import { plural } from '../format';
import { useSession } from '../session';
import { Skeleton } from '../components/Skeleton';

/**
 * `/datasets`: the server's predefined data sets, each with its description page (source, licence,
 * counts, label scheme), and for team admins a way to set one up in a team as a new image set.
 */
export function DatasetsPage() {
  const session = useSession();
  const catalogue = useLoad(() => datasets.list(), []);
  const admin = useLoad(async () => {
    const [all, mine] = await Promise.all([teams.list(), memberships.ofUser(session.user.id)]);
    return all.results.filter((team) => administers(session, mine.results, team.id));
  }, [session]);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Data sets</h1>
        <span className="muted">Ready-made image sets with annotations, to explore or to train on.</span>
      </div>
      <ErrorNotice message={catalogue.error ?? admin.error} />
      {catalogue.data === undefined ? (
        catalogue.loading ? (
          <Skeleton label="Loading the data sets…" />
        ) : null
      ) : (
        catalogue.data.results.map((d) => <DatasetPanel key={d.name} dataset={d} teams={admin.data ?? []} />)
      )}
    </div>
  );
}

function DatasetPanel({ dataset, teams: adminTeams }: { dataset: Dataset; teams: readonly Team[] }) {
  const setUp = useAction();
  const [made, setMade] = useState<DatasetInstance | null>(null);
  const titleId = `dataset-${dataset.name}`;
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setMade(null);
    let created: DatasetInstance | undefined;
    void setUp
      .run(async () => {
        created = await datasets.instantiate(dataset.name, {
          team: Number(data.get('team')),
          seed: Number(data.get('seed') ?? 1),
        });
      })
      .then(() => {
        if (created !== undefined) setMade(created);
      });
  };
  return (
    <section className="panel panel-wide dataset" aria-labelledby={titleId}>
      <h2 id={titleId}>{dataset.title}</h2>
      <p>{dataset.summary}</p>
      <p className="description">{dataset.description}</p>
      <dl className="facts">
        <dt>Images</dt>
        <dd>{dataset.image_count}</dd>
        <dt>Annotations</dt>
        <dd>{dataset.annotation_count}</dd>
        <dt>Source</dt>
        <dd>{dataset.source}</dd>
        <dt>Licence</dt>
        <dd>{dataset.licence}</dd>
        <dt>Labels</dt>
        <dd>
          <ul className="labels" aria-label={`Labels of ${dataset.title}`}>
            {dataset.labels.map((label) => (
              <li key={label.name}>
                <span className="swatch" style={{ background: label.color_code }} aria-hidden="true" />
                {label.name}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {!dataset.available ? (
        <p className="muted">
          Not available on this server: {dataset.unavailable_reason ?? 'unknown reason'}
        </p>
      ) : adminTeams.length === 0 ? (
        <p className="muted">Team admins can set this data set up in their team.</p>
      ) : (
        <form className="inline-form" onSubmit={submit} aria-label={`Set up ${dataset.title}`}>
          <label htmlFor={`${titleId}-team`}>Team</label>
          <select id={`${titleId}-team`} name="team" defaultValue={adminTeams[0]?.id}>
            {adminTeams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          {dataset.kind === 'generated' ? (
            <>
              <label htmlFor={`${titleId}-seed`}>Seed</label>
              <input id={`${titleId}-seed`} name="seed" type="number" min={0} defaultValue={1} />
            </>
          ) : null}
          <button type="submit" className="primary" disabled={setUp.busy}>
            {setUp.busy ? 'Setting up…' : 'Set up'}
          </button>
        </form>
      )}
      <ErrorNotice message={setUp.error} />
      {made !== null ? (
        <p role="status">
          Set up with {plural(made.images.length, 'image')} and {plural(made.annotations, 'annotation')}:{' '}
          <Link to={`/sets/${made.image_set}`}>open the image set</Link> (images are ready once processed).
        </p>
      ) : null}
    </section>
  );
}
