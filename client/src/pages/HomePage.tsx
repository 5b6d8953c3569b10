import type { ImageSet, Team } from '@tessera/shared';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { administers, collaborationLabel } from '../access';
import { imageSets, memberships, products, teams } from '../api/resources';
import { ErrorNotice } from '../components/Notice';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session';
import { field } from '../format';
import { Welcome } from './Welcome';
import { Skeleton } from '../components/Skeleton';

interface TeamGroup {
  readonly team: Team | null;
  readonly sets: ImageSet[];
}

/** The viewer's teams with their sets, then public sets of other teams; names sorted. */
function groupByTeam(allTeams: readonly Team[], sets: readonly ImageSet[]): TeamGroup[] {
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const groups: TeamGroup[] = [...allTeams]
    .sort(byName)
    .map((team) => ({ team, sets: sets.filter((s) => s.team === team.id).sort(byName) }));
  const known = new Set(allTeams.map((t) => t.id));
  const others = sets.filter((s) => !known.has(s.team)).sort(byName);
  if (others.length > 0) groups.push({ team: null, sets: others });
  return groups;
}

/** Teams and their image sets: where a pathologist picks what to work on. */
export function HomePage() {
  const session = useSession();
  const loaded = useLoad(async () => {
    const [teamPage, setPage, mine] = await Promise.all([
      teams.list(),
      imageSets.list(),
      memberships.ofUser(session.user.id),
    ]);
    return { groups: groupByTeam(teamPage.results, setPage.results), mine: mine.results };
  }, [session.user.id]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Image sets</h1>
      </div>
      <Welcome groups={loaded.data?.groups} />
      <ErrorNotice message={loaded.error} />
      {loaded.data === undefined ? (
        loaded.loading ? (
          <Skeleton label="Loading the image sets…" rows={4} />
        ) : null
      ) : loaded.data.groups.length === 0 ? (
        <p className="empty">You are not in any team yet. Ask a team admin to add you.</p>
      ) : (
        loaded.data.groups.map((group) => (
          <TeamSection
            key={group.team?.id ?? 'public'}
            group={group}
            isAdmin={group.team !== null && administers(session, loaded.data?.mine ?? [], group.team.id)}
            onCreated={loaded.reload}
          />
        ))
      )}
    </div>
  );
}

function TeamSection({
  group,
  isAdmin,
  onCreated,
}: {
  group: TeamGroup;
  isAdmin: boolean;
  onCreated: () => void;
}) {
  const title = group.team?.name ?? 'Public image sets of other teams';
  const headingId = `team-${group.team?.id ?? 'public'}`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {group.team !== null ? <span className="badge">{isAdmin ? 'team admin' : 'member'}</span> : null}
      </div>
      {group.sets.length === 0 ? (
        <p className="empty">No image sets yet.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Image set</th>
              <th scope="col" className="num">
                Images
              </th>
              <th scope="col">Mode</th>
              <th scope="col">Description</th>
              {isAdmin ? (
                <th scope="col" className="actions">
                  Admin
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {group.sets.map((set) => (
              <tr key={set.id}>
                <td>
                  <Link to={`/sets/${set.id}`}>{set.name}</Link>
                  {set.public ? <span className="badge">public</span> : null}
                </td>
                <td className="num">{set.images.length}</td>
                <td>{collaborationLabel(set.collaboration_type)}</td>
                <td className="muted clip">{set.description}</td>
                {isAdmin ? (
                  <td className="actions">
                    <Link to={`/sets/${set.id}/settings`} aria-label={`Settings of ${set.name}`}>
                      Settings
                    </Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin && group.team !== null ? <NewImageSetForm team={group.team} onCreated={onCreated} /> : null}
    </section>
  );
}

/**
 * Gives a new set the annotation types of the team's last-used product (the one attached to its most
 * recent set that has types), so it can be drawn on at once; without one the set page asks.
 */
async function attachLastUsedProduct(team: number, setId: number): Promise<void> {
  const candidates = (await products.ofTeam(team)).results.filter((p) => p.annotationtype_set.length > 0);
  const lastUse = (p: { id: number; imagesets: number[] }) =>
    Math.max(0, ...p.imagesets.filter((s) => s !== setId));
  const [latest] = candidates.sort((a, b) => lastUse(b) - lastUse(a) || b.id - a.id);
  if (latest !== undefined && lastUse(latest) > 0)
    await products.setImageSets(latest.id, [...latest.imagesets, setId]);
}

function NewImageSetForm({ team, onCreated }: { team: Team; onCreated: () => void }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = `new-set-${team.id}`;
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = field(new FormData(form), 'name');
    setBusy(true);
    imageSets
      .create({ name, team: team.id })
      .then(async (created) => {
        await attachLastUsedProduct(team.id, created.id);
        return created;
      })
      .then(
        (created) => {
          form.reset();
          setBusy(false);
          onCreated();
          // The new set's page is where its work starts: uploads, types, members.
          void navigate(`/sets/${created.id}`);
        },
        (problem: unknown) => {
          setError(problem instanceof Error ? problem.message : String(problem));
          setBusy(false);
        },
      );
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={inputId}>New image set in {team.name}</label>
      <input id={inputId} name="name" required maxLength={200} placeholder="Name" />
      <button type="submit" disabled={busy}>
        Create
      </button>
      <ErrorNotice message={error} />
    </form>
  );
}
