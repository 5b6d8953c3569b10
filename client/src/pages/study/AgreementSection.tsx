import type { PairAgreement, StudyStatistics } from '@tessera/shared';

const figure = (value: number | null) => (value === null ? '—' : value.toFixed(2));

/**
 * How much the readers of a blind set agree: a matrix of pairwise Cohen's kappa and F1, and Fleiss'
 * kappa of all readers. Other sets have none: their readers see each other's annotations.
 */
export function AgreementSection({ statistics }: { statistics: StudyStatistics }) {
  const agreement = statistics.agreement;
  const names = new Map(statistics.readers.map((r) => [r.user, r.username]));
  const name = (id: number) => names.get(id) ?? `user ${id}`;
  return (
    <section className="panel panel-wide" aria-labelledby="study-agreement-title">
      <h2 id="study-agreement-title">Agreement</h2>
      {agreement === null ? (
        <p className="empty">
          Agreement is measured in blind image sets only: here readers see each other’s annotations.
        </p>
      ) : agreement.pairs.length === 0 ? (
        <p className="empty">Agreement needs two readers with annotations.</p>
      ) : (
        <>
          <AgreementMatrix pairs={agreement.pairs} name={name} />
          <p className="study-fleiss">
            {agreement.fleiss === null
              ? 'Fleiss’ kappa needs three or more readers.'
              : `Fleiss’ kappa of all ${agreement.fleiss.readers} readers: ${figure(agreement.fleiss.kappa)} (${agreement.fleiss.items} items)`}
          </p>
        </>
      )}
      <p className="muted">
        Annotations of two readers on the same image (and frame) are paired when their bounding boxes overlap
        with an IoU of at least {statistics.rules.iou_threshold}, or, for points, when they are at most{' '}
        {statistics.rules.point_distance} px apart; the best overlaps are paired first, each annotation once.
        Cohen’s kappa compares the classes of all items, an annotation the other reader has no match for
        counting as their “none”; the kappa of matched pairs compares only the classes of what both marked. F1
        is 2 × matched / (both readers’ annotations). Image-level labels pair with each other (the same class
        first).
      </p>
    </section>
  );
}

function AgreementMatrix({ pairs, name }: { pairs: PairAgreement[]; name: (id: number) => string }) {
  const readers = [...new Set(pairs.flatMap((p) => [p.reader_a, p.reader_b]))].sort((a, b) => a - b);
  const pairOf = (a: number, b: number) =>
    pairs.find((p) => (p.reader_a === a && p.reader_b === b) || (p.reader_a === b && p.reader_b === a));
  return (
    <table className="data-table agreement-matrix" aria-label="Pairwise agreement">
      <thead>
        <tr>
          <th scope="col">Cohen’s kappa · F1</th>
          {readers.map((r) => (
            <th key={r} scope="col">
              {name(r)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {readers.map((row) => (
          <tr key={row}>
            <th scope="row">{name(row)}</th>
            {readers.map((column) => {
              const pair = row === column ? undefined : pairOf(row, column);
              return (
                <td
                  key={column}
                  className="num"
                  data-pair={pair ? `${row}-${column}` : undefined}
                  title={
                    pair
                      ? `${pair.matched} matched, ${row === pair.reader_a ? pair.only_a : pair.only_b} only ${name(row)}, ${row === pair.reader_a ? pair.only_b : pair.only_a} only ${name(column)}; kappa of matched pairs ${figure(pair.kappa_matched)}`
                      : undefined
                  }
                >
                  {pair ? `${figure(pair.kappa)} · ${figure(pair.f1)}` : '—'}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
