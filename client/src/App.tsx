import { BrowserRouter, Route, Routes } from 'react-router';
import { SessionProvider } from './session';
import { RequireSession } from './shell/RequireSession';
import { AccountPage } from './pages/AccountPage';
import { DatasetsPage } from './pages/DatasetsPage';
import { HomePage } from './pages/HomePage';
import { ImageSetPage } from './pages/ImageSetPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { StudyPage } from './pages/study/StudyPage';
import { WorkspacePage } from './pages/WorkspacePage';

/** The browser client: sign-in, then the signed-in pages behind the header. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<RequireSession />}>
            <Route index element={<HomePage />} />
            <Route path="/sets/:setId" element={<ImageSetPage />} />
            <Route path="/sets/:setId/settings" element={<SettingsPage />} />
            <Route path="/sets/:setId/study" element={<StudyPage />} />
            <Route path="/images/:imageId" element={<WorkspacePage />} />
            <Route path="/datasets" element={<DatasetsPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
