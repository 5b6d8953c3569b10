import { useEffect } from 'react';

/** Names the page in the browser tab (and for screen readers announcing navigation). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title === '' ? 'Tessera' : `${title} · Tessera`;
  }, [title]);
}
