import { Link, useParams } from 'react-router';
import { administers } from '../../access';
import { imageSets, memberships } from '../../api/resources';
import { ErrorNotice } from '../../components/Notice';
import { parseId } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { useTitle } from '../../hooks/useTitle';
import { useSession } from '../../session';
import { NotFoundPage } from '../NotFoundPage';
import { AnnotationTypesSection } from './AnnotationTypesSection';
import { GeneralSection } from './GeneralSection';
import { MembersSection } from './MembersSection';
import { UploadSection } from './UploadSection';

/** An image set's settings for team admins: upload, general, products and types, members. */
export function SettingsPage() {
  const setId = parseId(useParams().setId);
  if (setId === null) return <NotFoundPage />;
  return <SettingsView setId={setId} />;
}

function SettingsView({ setId }: { setId: number }) {
  const session = useSession();
  const loaded = useLoad(async () => {
    const set = await imageSets.get(setId);
    const mine = await memberships.ofUser(session.user.id);
    return { set, isAdmin: administers(session, mine.results, set.team) };
  }, [setId, session]);
  const set = loaded.data?.set;
  useTitle(set ? `Settings of ${set.name}` : 'Settings');

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Image sets</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={`/sets/${setId}`}>{set?.name ?? '…'}</Link> <span aria-hidden="true">/</span>{' '}
        <span>Settings</span>
      </nav>
      <h1>Settings{set ? ` of ${set.name}` : ''}</h1>
      <ErrorNotice message={loaded.error} />
      {set === undefined || loaded.data === undefined ? null : !loaded.data.isAdmin ? (
        <p className="notice" role="alert">
          Only the team’s admins change the settings of this image set.
        </p>
      ) : (
        <div className="settings-grid">
          <UploadSection setId={set.id} />
          <GeneralSection set={set} onSaved={loaded.reload} />
          <AnnotationTypesSection set={set} />
          <MembersSection team={set.team} />
        </div>
      )}
    </div>
  );
}
