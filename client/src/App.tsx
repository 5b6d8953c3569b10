import type { ReactElement } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { MapPage } from './maps/MapPage';
import { SessionProvider } from './session';
import { RequireSession } from './shell/RequireSession';
import { Titled } from './shell/Titled';
import { AccountPage } from './pages/AccountPage';
import { DatasetsPage } from './pages/DatasetsPage';
import { HomePage } from './pages/HomePage';
import { ImageSetPage } from './pages/ImageSetPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { StudyPage } from './pages/study/StudyPage';
import { WorkspacePage } from './pages/WorkspacePage';

/** A route's page under the route's title; pages with a loaded name (a set's) refine it. */
function titled(title: string, page: ReactElement): ReactElement {
  return <Titled title={title}>{page}</Titled>;
}

/** The browser client: sign-in, then the signed-in pages behind the header. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={titled('Sign in', <LoginPage />)} />
          <Route element={<RequireSession />}>
            <Route index element={titled('Image sets', <HomePage />)} />
            <Route path="/sets/:setId" element={titled('Image set', <ImageSetPage />)} />
            <Route path="/sets/:setId/settings" element={titled('Settings', <SettingsPage />)} />
            <Route path="/sets/:setId/study" element={titled('Study', <StudyPage />)} />
            <Route path="/images/:imageId" element={titled('Image', <WorkspacePage />)} />
            <Route path="/maps/:mapId" element={titled('Map', <MapPage />)} />
            <Route path="/datasets" element={titled('Data sets', <DatasetsPage />)} />
            <Route path="/account" element={titled('Account', <AccountPage />)} />
            <Route path="*" element={titled('Not found', <NotFoundPage />)} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
