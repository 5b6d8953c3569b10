import type { ReaderStatistics, StudyStatistics } from '@tessera/shared';
import { formatDuration } from '../../format';

/** Each reader's progress: images annotated and opened, annotations per type, time, visits. */
export function ReadersSection({ statistics }: { statistics: StudyStatistics }) {
  const types = statistics.annotation_types;
  const imageCount = statistics.images.length;
  return (
    <section className="panel panel-wide" aria-labelledby="study-readers-title">
      <h2 id="study-readers-title">Readers</h2>
      {statistics.readers.length === 0 ? (
        <p className="empty">No readers yet: add members to the team (Settings, Members).</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Reader</th>
              <th scope="col" className="num">
                Images annotated
              </th>
              <th scope="col" className="num">
                Images opened
              </th>
              <th scope="col" className="num">
                Annotations
              </th>
              {types.map((type) => (
                <th key={type.id} scope="col" className="num">
                  {type.name}
                </th>
              ))}
              <th scope="col" className="num">
                Time
              </th>
              <th scope="col" className="num" title="Openings never closed: their time is not counted">
                Unclosed visits
              </th>
            </tr>
          </thead>
          <tbody>
            {statistics.readers.map((reader) => (
              <ReaderRow key={reader.user} reader={reader} types={types} imageCount={imageCount} />
            ))}
          </tbody>
        </table>
      )}
      {statistics.readers.some((reader) => reader.images.length > 0) ? (
        <PerImageDetails statistics={statistics} />
      ) : null}
      <p className="muted">
        Time is the sum of visits from the image action log: opening an image to leaving it, each visit
        counted up to {formatDuration(statistics.rules.session_cap_seconds)}. A visit never closed (a crashed
        browser) counts no time and shows as unclosed. Deleted annotations and algorithm proposals are not
        counted.
      </p>
    </section>
  );
}

function ReaderRow({
  reader,
  types,
  imageCount,
}: {
  reader: ReaderStatistics;
  types: StudyStatistics['annotation_types'];
  imageCount: number;
}) {
  const counts = new Map(reader.by_type.map((c) => [c.annotation_type, c.count]));
  return (
    <tr data-reader={reader.user}>
      <th scope="row">{reader.username}</th>
      <td className="num">
        {reader.images_annotated} of {imageCount}
      </td>
      <td className="num">{reader.images_opened}</td>
      <td className="num">{reader.annotations}</td>
      {types.map((type) => (
        <td key={type.id} className="num">
          {counts.get(type.id) ?? 0}
        </td>
      ))}
      <td className="num">{formatDuration(reader.seconds)}</td>
      <td className="num">{reader.unclosed_visits}</td>
    </tr>
  );
}

/** Each reader's images one by one (collapsed): where they are and how long each took. */
function PerImageDetails({ statistics }: { statistics: StudyStatistics }) {
  const names = new Map(statistics.images.map((image) => [image.id, image.name]));
  return (
    <details className="study-per-image">
      <summary>Per image</summary>
      <table className="data-table" aria-label="Readers per image">
        <thead>
          <tr>
            <th scope="col">Reader</th>
            <th scope="col">Image</th>
            <th scope="col" className="num">
              Annotations
            </th>
            <th scope="col" className="num">
              Time
            </th>
            <th scope="col" className="num">
              Visits
            </th>
            <th scope="col" className="num">
              Unclosed visits
            </th>
          </tr>
        </thead>
        <tbody>
          {statistics.readers.flatMap((reader) =>
            reader.images.map((image) => (
              <tr key={`${reader.user}-${image.image}`} data-reader-image={`${reader.user}-${image.image}`}>
                <td>{reader.username}</td>
                <td>{names.get(image.image) ?? `image ${image.image}`}</td>
                <td className="num">{image.annotations}</td>
                <td className="num">{formatDuration(image.seconds)}</td>
                <td className="num">{image.visits}</td>
                <td className="num">{image.unclosed_visits}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </details>
  );
}
