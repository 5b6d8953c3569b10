import { useState, type SubmitEvent } from 'react';
import { Link, useParams } from 'react-router';
import { collaborationLabel } from '../../access';
import { imageSets, studyStatistics, type StudyRule } from '../../api/resources';
import { ErrorNotice } from '../../components/Notice';
import { field, parseId, plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTitle } from '../../hooks/useTitle';
import { NotFoundPage } from '../NotFoundPage';
import { AgreementSection } from './AgreementSection';
import { ReadersSection } from './ReadersSection';
import { Skeleton } from '../../components/Skeleton';

/**
 * A study's figures for the team admins of an image set: each reader's progress, counts and time,
 * and (blind sets) how much the readers agree. The server decides who may see them (403 otherwise).
 */
export function StudyPage() {
  const setId = parseId(useParams().setId);
  if (setId === null) return <NotFoundPage />;
  return <StudyView setId={setId} />;
}

function StudyView({ setId }: { setId: number }) {
  const [rule, setRule] = useState<StudyRule>({});
  const set = useLoad(() => imageSets.get(setId), [setId]);
  const statistics = useLoad(() => studyStatistics.get(setId, rule), [setId, rule]);
  useTitle(set.data ? `Study of ${set.data.name}` : 'Study');
  const data = statistics.data;

  const apply = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setRule({
      iouThreshold: Number(field(form, 'iou')),
      pointDistance: Number(field(form, 'distance')),
    });
  };

  return (
    <div className="page study-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Image sets</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={`/sets/${setId}`}>{set.data?.name ?? '…'}</Link> <span aria-hidden="true">/</span>{' '}
        <span>Study</span>
      </nav>
      <div className="page-head">
        <h1>Study{set.data ? ` of ${set.data.name}` : ''}</h1>
        {set.data && data ? (
          <span className="muted">
            {collaborationLabel(set.data.collaboration_type)} · {plural(data.readers.length, 'reader')} ·{' '}
            {plural(data.images.length, 'image')}
          </span>
        ) : null}
        {data ? (
          <a className="button" href={studyStatistics.csvUrl(setId, rule)} download>
            Download CSV
          </a>
        ) : null}
      </div>
      <ErrorNotice message={set.error ?? statistics.error} />
      {data === undefined ? (
        statistics.loading ? (
          <Skeleton label="Loading the study…" />
        ) : null
      ) : (
        <>
          <ReadersSection statistics={data} />
          <form className="inline-form study-rule" onSubmit={apply} aria-label="Matching rule">
            <label htmlFor="study-iou">Overlap (IoU) at least</label>
            <input
              id="study-iou"
              name="iou"
              type="number"
              min={0.01}
              max={1}
              step={0.01}
              defaultValue={data.rules.iou_threshold}
            />
            <label htmlFor="study-distance">Points within (px)</label>
            <input
              id="study-distance"
              name="distance"
              type="number"
              min={0}
              max={100000}
              step={1}
              defaultValue={data.rules.point_distance}
            />
            <button type="submit" disabled={statistics.loading}>
              Compare again
            </button>
          </form>
          <AgreementSection statistics={data} />
        </>
      )}
    </div>
  );
}
