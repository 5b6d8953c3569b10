import { useEffect, useState, type SubmitEvent } from 'react';
import { memberships, users } from '../../api/resources';
import { ErrorNotice } from '../../components/Notice';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session';
import { field } from '../../format';

/** The members of the set's team: add by user name, make admin, remove. */
export function MembersSection({ team }: { team: number }) {
  const session = useSession();
  const loaded = useLoad(() => memberships.ofTeam(team), [team]);
  const change = useAction();
  const add = useAction();
  // The admin box shows the new value at once; the list reload (or a refusal) settles it.
  const [pendingAdmin, setPendingAdmin] = useState(new Map<number, boolean>());
  useEffect(() => {
    setPendingAdmin(new Map());
  }, [loaded.data]);

  const addMember = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const username = field(data, 'username').trim();
    void add
      .run(async () => {
        const user = await users.byUsername(username);
        if (user === undefined) throw new Error(`There is no user named “${username}”.`);
        await memberships.create({ team, user: user.id, is_admin: data.get('is_admin') === 'on' });
      })
      .then((ok) => {
        if (!ok) return;
        form.reset();
        loaded.reload();
      });
  };

  const rows = [...(loaded.data?.results ?? [])].sort((a, b) =>
    a.user.username.localeCompare(b.user.username),
  );
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Team members</h2>
      <p className="muted small">Members annotate every image set of the team; admins also manage them.</p>
      <ErrorNotice message={loaded.error} />
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Team admin</th>
            <th scope="col" className="actions">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((membership) => (
            <tr key={membership.id}>
              <td>
                {membership.user.username}
                {membership.user.id === session.user.id ? <span className="muted"> (you)</span> : null}
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${membership.user.username} is a team admin`}
                  checked={pendingAdmin.get(membership.id) ?? membership.is_admin}
                  disabled={change.busy}
                  onChange={(event) => {
                    const isAdmin = event.target.checked;
                    setPendingAdmin((map) => new Map(map).set(membership.id, isAdmin));
                    void change
                      .run(() => memberships.setAdmin(membership.id, isAdmin))
                      .then((ok) => {
                        if (ok) {
                          loaded.reload();
                          return;
                        }
                        setPendingAdmin((map) => {
                          const next = new Map(map);
                          next.delete(membership.id);
                          return next;
                        });
                      });
                  }}
                />
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="danger"
                  disabled={change.busy}
                  onClick={() => {
                    if (!window.confirm(`Remove ${membership.user.username} from the team?`)) return;
                    void change.run(() => memberships.remove(membership.id)).then(loaded.reload);
                  }}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNotice message={change.error} />
      <form className="inline-form" onSubmit={addMember}>
        <label htmlFor="member-username">Add user</label>
        <input id="member-username" name="username" required autoComplete="off" placeholder="User name" />
        <label className="choice">
          <input type="checkbox" name="is_admin" /> <span>as admin</span>
        </label>
        <button type="submit" disabled={add.busy}>
          Add
        </button>
      </form>
      <ErrorNotice message={add.error} />
    </section>
  );
}
