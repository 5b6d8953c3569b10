import { useEffect, useState } from 'react';
import { restoreNotice, type RestoreNotice, type SessionInfo } from '@tessera/shared';
import { formatTime } from '../../format';
import type { WorkspaceController } from '../workspace-controller';

/** Reads a live document's stateless message as a restore notice (anything else is not ours). */
function parseNotice(payload: string): RestoreNotice | null {
  try {
    const parsed = restoreNotice.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Tells whoever has the image open that a team admin restored a dataset version over it (the server
 * sends a stateless message on the live document after the restore's edits): who, which version.
 */
export function RestoreNotices({
  controller,
  session,
}: {
  controller: WorkspaceController;
  session: SessionInfo;
}) {
  const [notice, setNotice] = useState<RestoreNotice | null>(null);
  useEffect(() => {
    const provider = controller.live.provider;
    if (provider === null) return;
    const onStateless = ({ payload }: { payload: string }) => {
      const parsed = parseNotice(payload);
      if (parsed !== null) setNotice(parsed);
    };
    provider.on('stateless', onStateless);
    return () => {
      provider.off('stateless', onStateless);
    };
  }, [controller]);
  if (notice === null) return null;
  const who = notice.by.id === session.user.id ? 'You' : notice.by.username;
  return (
    <div className="restore-notice" role="status" data-testid="restore-notice">
      {who} restored version “{notice.version.name}” ({formatTime(notice.at)}): the annotations are now as
      that version holds them.{' '}
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setNotice(null);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
