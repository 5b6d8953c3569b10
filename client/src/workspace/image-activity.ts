import { ImageAction } from '@tessera/shared';
import { currentCsrfToken } from '../api/http';

/** Sends one entry of EXACT's image action log; `keepalive` lets it outlive a closing page. */
function record(imageId: number, action: number): void {
  void fetch('/api/v1/annotations/log_image_actions/', {
    method: 'POST',
    credentials: 'same-origin',
    keepalive: true,
    headers: { 'content-type': 'application/json', 'x-csrf-token': currentCsrfToken() },
    body: JSON.stringify({ image: imageId, action }),
  }).catch(() => undefined); // the log is a record, not something the user waits for or must see fail
}

/**
 * Records that the user opened the image, and that they closed it: when the workspace goes (another
 * image, another page) or the page is hidden for good (tab closed, navigation away). Answers the stop
 * function for the workspace's cleanup; it records the closing once.
 */
export function logImageActivity(imageId: number): () => void {
  record(imageId, ImageAction.opened);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    window.removeEventListener('pagehide', close);
    record(imageId, ImageAction.closed);
  };
  window.addEventListener('pagehide', close);
  return close;
}
