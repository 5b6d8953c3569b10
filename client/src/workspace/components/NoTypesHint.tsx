import { Link } from 'react-router';

/** Why Draw is off on a set without annotation types, and where a team admin adds them. */
export function NoTypesHint({ setId }: { setId: number }) {
  return (
    <p className="hint" data-testid="no-types-hint">
      Nothing to draw yet: this image set has no annotation types. A team admin adds them in{' '}
      <Link to={`/sets/${setId}/settings#types-title`}>the set&apos;s settings</Link>.
    </p>
  );
}
