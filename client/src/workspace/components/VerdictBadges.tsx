import type { Verification } from '@tessera/shared';

/** Each person's verdict on an annotation as a tick or cross with their name (for the list's rows). */
export function VerdictBadges(props: {
  verdicts: readonly Verification[];
  names: ReadonlyMap<number, string>;
}) {
  if (props.verdicts.length === 0) return null;
  return (
    <span className="verdict-badges">
      {props.verdicts.map((v) => {
        const name = props.names.get(v.user) ?? `user ${v.user}`;
        return (
          <span
            key={v.user}
            className={v.verified ? 'verdict accept' : 'verdict reject'}
            title={`${name} ${v.verified ? 'accepted' : 'rejected'} it`}
          >
            {v.verified ? '✓' : '✗'} {name}
          </span>
        );
      })}
    </span>
  );
}
