import { useMemo } from 'react';
import { imageScreeningStore } from '../../api/screening-modes';
import { ScreeningPanel } from '../../screening/ScreeningPanel';
import type { WorkspaceController } from '../workspace-controller';

/** Guided screening of the open slide, kept per user and image in `images/screening_modes/`. */
export function SlideScreening({ controller }: { controller: WorkspaceController }) {
  const image = controller.data.image;
  const userId = controller.session.user.id;
  const store = useMemo(() => imageScreeningStore(image.id, userId), [image.id, userId]);
  return (
    <ScreeningPanel
      viewer={controller.viewer?.viewer}
      picture={image}
      store={store}
      objectivePower={image.objectivePower}
    />
  );
}
