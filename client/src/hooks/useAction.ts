import { useCallback, useState } from 'react';

/** A button's or form's write to the server: busy while running, the server's message on failure. */
export interface Action {
  readonly busy: boolean;
  readonly error: string | null;
  /** Runs `work`; resolves true when it succeeded. Errors are kept for display, not thrown. */
  run(work: () => Promise<unknown>): Promise<boolean>;
}

/** State for one kind of write on a page. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
