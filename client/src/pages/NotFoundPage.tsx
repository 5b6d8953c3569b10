import { Link } from 'react-router';
import { useTitle } from '../hooks/useTitle';

/** Unknown addresses, and ids that are not ids. */
export function NotFoundPage() {
  useTitle('Not found');
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>There is nothing at this address, or you may not see it.</p>
      <Link to="/">Back to the image sets</Link>
    </div>
  );
}
