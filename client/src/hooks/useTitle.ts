import { useEffect, useLayoutEffect } from 'react';

/** The tab's text for a page title ('' names the app alone). */
export function documentTitle(title: string): string {
  return title === '' ? 'Tessera' : `${title} · Tessera`;
}

/** Names the page in the browser tab (and for screen readers announcing navigation). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = documentTitle(title);
  }, [title]);
}

/**
 * The route's own title, set by the route table before the page's effects run (layout effects run
 * first), so a page that knows a better name (the set's, once loaded) still has the last word.
 */
export function useRouteTitle(title: string): void {
  useLayoutEffect(() => {
    document.title = documentTitle(title);
  }, [title]);
}
