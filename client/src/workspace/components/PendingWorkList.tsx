import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { sendPendingWork } from '../background-documents';
import { PENDING_EVENT, pendingWork, type PendingWork } from '../offline-registry';
import { documentName, type WorkspaceData } from '../workspace-data';

/**
 * The images whose changes this browser still has to send (kept in IndexedDB; they go when the
 * server is reachable again): one line per image, with a link. Whenever the page is online, the other
 * images' changes are sent in the background (the open image's go through its workspace).
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
  const openDocument = documentName(data.image, data.imageSet, userId);
  useEffect(() => {
    const send = () => {
      if (navigator.onLine) void sendPendingWork(userId, openDocument);
    };
    send();
    window.addEventListener('online', send);
    return () => {
      window.removeEventListener('online', send);
    };
  }, [userId, openDocument]);
  if (work.length === 0) return null;
  const names = new Map(data.siblings.map((image) => [image.id, image.name]));
  // An image with regions may wait in several of its documents: one line per image.
  const byImage = new Map<number, PendingWork>();
  for (const w of work) {
    const seen = byImage.get(w.imageId);
    byImage.set(w.imageId, seen === undefined ? w : { ...seen, pending: seen.pending + w.pending });
  }
  return (
    <section className="panel pending-work" aria-labelledby="pending-heading" data-testid="pending-work">
      <h2 id="pending-heading">Not yet saved on the server</h2>
      <ul className="image-list">
        {[...byImage.values()].map((w) => (
          <li key={w.imageId} data-image={w.imageId}>
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
