import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { PENDING_EVENT, pendingWork, type PendingWork } from '../offline-registry';
import type { WorkspaceData } from '../workspace-data';

/**
 * The images whose changes this browser still has to send (kept in IndexedDB; they go when the
 * server is reachable again and the image's document is open): one line per image, with a link.
 */
export function PendingWorkList({ data, userId }: { data: WorkspaceData; userId: number }) {
  const [work, setWork] = useState<PendingWork[]>(() => pendingWork(userId));
  useEffect(() => {
    const reread = () => {
      setWork(pendingWork(userId));
    };
    reread();
    window.addEventListener(PENDING_EVENT, reread);
    window.addEventListener('storage', reread);
    return () => {
      window.removeEventListener(PENDING_EVENT, reread);
      window.removeEventListener('storage', reread);
    };
  }, [userId]);
  if (work.length === 0) return null;
  const names = new Map(data.siblings.map((image) => [image.id, image.name]));
  return (
    <section className="panel pending-work" aria-labelledby="pending-heading" data-testid="pending-work">
      <h2 id="pending-heading">Not yet saved on the server</h2>
      <ul className="image-list">
        {work.map((w) => (
          <li key={w.document} data-image={w.imageId}>
            {w.imageId === data.image.id ? (
              <span>{names.get(w.imageId) ?? `Image ${w.imageId}`} (this image)</span>
            ) : (
              <Link to={`/images/${w.imageId}`}>{names.get(w.imageId) ?? `Image ${w.imageId}`}</Link>
            )}
            : {w.pending} change{w.pending === 1 ? '' : 's'}
          </li>
        ))}
      </ul>
    </section>
  );
}
