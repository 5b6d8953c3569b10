import type { ReactNode } from 'react';
import { useRouteTitle } from '../hooks/useTitle';

/** A route's element with the route's title in the tab (see useRouteTitle). */
export function Titled({ title, children }: { title: string; children: ReactNode }) {
  useRouteTitle(title);
  return children;
}
