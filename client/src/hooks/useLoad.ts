import { useCallback, useEffect, useRef, useState } from 'react';

/** What useLoad() gives a page: the data once loaded, the error message, and a way to load again. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  readonly loading: boolean;
  /** Loads again (after a change); keeps showing the old data meanwhile. */
  readonly reload: () => void;
}

/**
 * Runs `load` when the keys change and on reload(); answers that arrive after a newer request started
 * are dropped, so a slow old answer never overwrites a new one.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loader = useRef(load);
  // Declared before the loading effect, so it runs first and the load sees this render's function.
  useEffect(() => {
    loader.current = load;
  });

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    loader.current().then(
      (value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (problem: unknown) => {
        if (ticket !== latest.current) return;
        setError(problem instanceof Error ? problem.message : String(problem));
        setLoading(false);
      },
    );
    // The keys are the caller's dependencies; `load` itself is read through a ref so an inline
    // function does not reload on every render.
  }, [...keys, generation]);

  const reload = useCallback(() => {
    setGeneration((n) => n + 1);
  }, []);
  return { data, error, loading, reload };
}
