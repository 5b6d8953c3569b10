import { useEffect, useState } from 'react';
import { users } from '../../api/resources';
import type { WorkspaceController } from '../workspace-controller';

/**
 * Names of the users `idsOf` names (creators, reviewers), fetched once per new id whenever `version`
 * moves; unknown ones stay unnamed.
 */
export function useUserNames(
  controller: WorkspaceController,
  version: number,
  idsOf: (controller: WorkspaceController) => Iterable<number>,
): ReadonlyMap<number, string> {
  const [names, setNames] = useState<ReadonlyMap<number, string>>(
    new Map([[controller.session.user.id, controller.session.user.username]]),
  );
  useEffect(() => {
    const wanted = new Set<number>();
    for (const id of idsOf(controller)) if (!names.has(id)) wanted.add(id);
    if (wanted.size === 0) return;
    const ids = [...wanted].slice(0, 500);
    let current = true;
    users.byIds(ids).then(
      (found) => {
        if (!current) return;
        const next = new Map(names);
        for (const id of ids) next.set(id, `user ${id}`);
        for (const u of found) next.set(u.id, u.username);
        setNames(next);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [controller, version, names, idsOf]);
  return names;
}
