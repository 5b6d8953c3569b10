import type { ReactNode } from 'react';

/** An error from the server, announced to screen readers. */
export function ErrorNotice({ message }: { message: string | null }) {
  if (message === null || message === '') return null;
  return (
    <p className="notice notice-error" role="alert">
      {message}
    </p>
  );
}

/** A quiet status line that screen readers read when it changes. */
export function StatusLine({ children }: { children: ReactNode }) {
  return (
    <p className="status-line" role="status">
      {children}
    </p>
  );
}
