import { useState, useSyncExternalStore } from 'react';
import { sameJson, type EditableField } from '@tessera/shared';
import { ConflictLog, type Conflict } from '../conflict-log';
import { LiveDocument } from '../live-document';
import type { WorkspaceController } from '../workspace-controller';
import { useUserNames } from './useUserNames';

const FIELD_WORDS: Record<EditableField, string> = {
  vector: 'position or shape',
  type: 'label',
  description: 'description',
  deleted: 'deletion',
  meta: 'meta data',
};

const NO_CONFLICTS: readonly Conflict[] = [];
const noLog = { subscribe: () => () => undefined, getConflicts: () => NO_CONFLICTS };

/** The users whose values won this session's conflicts (for their names). */
function winnersOf(controller: WorkspaceController): number[] {
  if (!(controller.live instanceof LiveDocument)) return [];
  return controller.live.conflicts.getConflicts().flatMap((c) => (c.winner === null ? [] : [c.winner]));
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString();
}

/**
 * This session's conflicts on the image (C1-C3, docs/SPEC-collab.md): whose value replaced which of
 * this user's values, whether theirs was the older edit, and "Apply mine" to write this user's again.
 */
export function ConflictPanel({ controller }: { controller: WorkspaceController }) {
  const log = controller.live instanceof LiveDocument ? controller.live.conflicts : noLog;
  const conflicts = useSyncExternalStore(log.subscribe, log.getConflicts);
  const names = useUserNames(controller, conflicts.length, winnersOf);
  const [problem, setProblem] = useState<string | null>(null);
  if (conflicts.length === 0) return null;

  const applyMine = (conflict: Conflict) => {
    if (!(log instanceof ConflictLog)) return;
    const written = controller.editor.change(new Map([[conflict.annotation, ConflictLog.mine(conflict)]]));
    const record = controller.index.get(conflict.annotation)?.record as Record<string, unknown> | undefined;
    const holdsMine = conflict.fields.every((f) => record !== undefined && sameJson(record[f.field], f.mine));
    if (written.length > 0 || holdsMine) {
      log.markApplied(conflict.seq);
      setProblem(null);
    } else setProblem('Your values no longer fit this annotation (its type changed or it is gone).');
  };

  return (
    <section className="panel conflicts" aria-labelledby="conflicts-heading" data-testid="conflicts">
      <h2 id="conflicts-heading">Conflicts ({conflicts.length})</h2>
      <p className="hint">Your changes that someone else&apos;s change made at the same time replaced.</p>
      {problem !== null ? <p role="alert">{problem}</p> : null}
      <ol className="conflict-log" aria-live="polite">
        {conflicts.map((c) => {
          const who = c.winner === null ? 'someone' : (names.get(c.winner) ?? `user ${c.winner}`);
          const type = controller.typesById.get(controller.index.get(c.annotation)?.record.type ?? -1);
          return (
            <li
              key={c.seq}
              data-testid="conflict"
              data-annotation={c.annotation}
              data-winner={c.winner ?? ''}
            >
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  controller.flyTo(c.annotation);
                }}
              >
                {type?.name ?? 'Annotation'} {c.annotation.slice(0, 8)}
              </button>
              : your {c.fields.map((f) => FIELD_WORDS[f.field]).join(', ')} replaced by{' '}
              <strong data-testid="conflict-winner">{who}</strong>
              {c.theirsAt !== null ? <> (their edit of {clock(c.theirsAt)})</> : null}
              {c.olderThanMine ? (
                <span className="conflict-older" data-testid="conflict-older">
                  {' '}
                  older than yours{c.mineAt !== null ? ` of ${clock(c.mineAt)}` : ''}: it was made offline
                </span>
              ) : null}
              {c.fields.map((f) =>
                f.field === 'description' && typeof f.mine === 'string' ? (
                  <blockquote key={f.field} className="conflict-text" data-testid="conflict-text">
                    {f.mine}
                  </blockquote>
                ) : null,
              )}{' '}
              {c.applied ? (
                <span className="conflict-applied">Yours applied again</span>
              ) : (
                <button
                  type="button"
                  disabled={controller.live.readOnly}
                  onClick={() => {
                    applyMine(c);
                  }}
                >
                  Apply mine
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
