import { Link } from 'react-router';
import { reviews, users } from '../api/resources';
import { ErrorNotice } from '../components/Notice';
import { plural } from '../format';
import { useLoad } from '../hooks/useLoad';

/**
 * A second-opinion set's review: annotations per state, how many need the viewer, and the disputed
 * annotations with each verdict (a link opens the annotation in the workspace).
 */
export function ReviewSection({ setId }: { setId: number }) {
  const review = useLoad(async () => {
    const [summary, disputes] = await Promise.all([reviews.summary(setId), reviews.disagreements(setId)]);
    const ids = [...new Set(disputes.results.flatMap((d) => d.verdicts.map((v) => v.user)))];
    const people = await users.byIds(ids);
    return { summary, disputes, names: new Map(people.map((u) => [u.id, u.username])) };
  }, [setId]);
  const data = review.data;
  return (
    <section className="panel" aria-labelledby="review-title">
      <h2 id="review-title">Second opinion</h2>
      <ErrorNotice message={review.error} />
      {data === undefined ? null : (
        <>
          <p data-testid="review-summary">
            Agreeing verdicts by others that settle an annotation: {data.summary.required_verifications}.{' '}
            {data.summary.verified} verified, {data.summary.rejected} rejected, {data.summary.disputed}{' '}
            disputed, {data.summary.open} open; {plural(data.summary.needs_my_opinion, 'annotation')} need
            your opinion.
          </p>
          {data.disputes.results.length === 0 ? null : (
            <table className="review-disputes" aria-label="Disputed annotations">
              <thead>
                <tr>
                  <th>Annotation</th>
                  <th>Verdicts</th>
                </tr>
              </thead>
              <tbody>
                {data.disputes.results.map((d) => (
                  <tr key={d.annotation}>
                    <td>
                      <Link to={`/images/${d.image}?annotation=${d.unique_identifier}`}>
                        #{d.annotation} on image {d.image}
                      </Link>
                    </td>
                    <td>
                      {d.verdicts
                        .map(
                          (v) =>
                            `${v.verified ? '✓' : '✗'} ${data.names.get(v.user) ?? `user ${v.user}`}` +
                            (v.user === d.user ? ' (creator)' : ''),
                        )
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.disputes.count > data.disputes.results.length ? (
            <p className="hint">{data.disputes.count - data.disputes.results.length} more disputed.</p>
          ) : null}
        </>
      )}
    </section>
  );
}
