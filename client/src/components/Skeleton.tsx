/**
 * Content on its way: nothing during a short wait (no flash), then quiet grey rows where the content
 * will be. Screen readers hear `label` (a status), sighted users see no "Loading..." text.
 */
export function Skeleton({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div className="skeleton" role="status">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <span key={i} className="skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}
