import { useEffect, useRef, useState } from 'react';
import type { SessionInfo } from '@tessera/shared';
import { isTextEntry, keyAction } from '../keyboard';
import { WorkspaceController } from '../workspace-controller';
import type { WorkspaceData } from '../workspace-data';
import { AnnotationList } from './AnnotationList';
import { CollaboratorList } from './CollaboratorList';
import { ConflictPanel } from './ConflictPanel';
import { FilterControls } from './FilterControls';
import { FrameSlider } from './FrameSlider';
import { ImageNavigation } from './ImageNavigation';
import { EiphPanel } from './EiphPanel';
import { JobsPanel } from './JobsPanel';
import { KeepSetOffline } from './KeepSetOffline';
import { ModelPanel } from './ModelPanel';
import { PendingWorkList } from './PendingWorkList';
import { ProposalPanel } from './ProposalPanel';
import { ReaderPicker } from './ReaderPicker';
import { RestoreNotices } from './RestoreNotices';
import { ReviewPanel } from './ReviewPanel';
import { ScaleBar } from './ScaleBar';
import { SlideScreening } from './SlideScreening';
import { ShortcutHelp } from './ShortcutHelp';
import { SelectionPanel } from './SelectionPanel';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import { parseView, VIEW_PARAM } from '../view-link';
import { TypePicker } from './TypePicker';
import { useReview } from './useReview';
import { VersionDiffPanel } from './VersionDiffPanel';

/** The workspace's layout around the viewer; owns the controller for its lifetime. */
export function WorkspaceView(props: { data: WorkspaceData; session: SessionInfo; onRevoked?: () => void }) {
  const viewerRef = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<WorkspaceController | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  // The key handler reads it without being bound again (the dialog then has the keys to itself).
  const helpOpenRef = useRef(false);
  useEffect(() => {
    helpOpenRef.current = helpOpen;
  }, [helpOpen]);
  useEffect(() => {
    const element = viewerRef.current;
    if (element === null) return;
    const created = new WorkspaceController(props.data, props.session, props.onRevoked);
    // Read once, at the open: the link names where the viewer starts, not where it must stay.
    created.attachViewer(
      element,
      parseView(new URLSearchParams(window.location.search).get(VIEW_PARAM), props.data.image),
    );
    setController(created);
    // Exposed for the browser tests and the benchmark (they read what the canvas drew).
    (window as unknown as { tesseraWorkspace?: WorkspaceController }).tesseraWorkspace = created;
    return () => {
      created.destroy();
      setController(null);
    };
  }, [props.data, props.session, props.onRevoked]);
  const review = useReview(controller);
  useEffect(() => {
    if (controller === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTextEntry(e.target) || helpOpenRef.current) return;
      const action = keyAction(e, controller.interaction.drawing);
      if (action === null) return;
      e.preventDefault();
      e.stopPropagation();
      switch (action.kind) {
        case 'digit':
          controller.digit(action.n);
          break;
        case 'relabel':
          controller.relabelTo(action.n);
          break;
        case 'tool':
          controller.setTool(action.tool);
          break;
        case 'brush-size':
          controller.interaction.resizeBrush(action.factor);
          controller.viewer?.requestDraw();
          break;
        case 'help':
          setHelpOpen(true);
          break;
        case 'delete':
          controller.deleteSelection();
          break;
        case 'escape':
          controller.escape();
          break;
        case 'finish':
          controller.interaction.finish();
          controller.viewer?.requestDraw();
          break;
        case 'undo-vertex':
          controller.interaction.undoVertex();
          controller.viewer?.requestDraw();
          break;
        case 'undo':
          controller.undo();
          break;
        case 'redo':
          controller.redo();
          break;
        case 'verdict':
          review.judge(action.verified);
          break;
        case 'next-in-queue':
          review.next();
          break;
      }
    };
    // Capture phase: the viewer's own keys (w/a/s/d, r) must not also act on ours.
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
    };
  }, [controller, review]);
  return (
    <div className="workspace">
      <aside className="workspace-side" aria-label="Image and labels">
        <ImageNavigation data={props.data} />
        <PendingWorkList data={props.data} userId={props.session.user.id} />
        <KeepSetOffline data={props.data} userId={props.session.user.id} />
        {controller && <TypePicker controller={controller} />}
        {controller && <FilterControls controller={controller} />}
        {controller && <SlideScreening controller={controller} />}
      </aside>
      <section className="workspace-center" aria-label="Image viewer">
        {controller && (
          <Toolbar
            controller={controller}
            onHelp={() => {
              setHelpOpen(true);
            }}
          />
        )}
        {controller && <RestoreNotices controller={controller} session={props.session} />}
        <div className="viewer" ref={viewerRef} data-testid="viewer" />
        <div className="viewer-footer">
          {controller && <FrameSlider controller={controller} />}
          {controller && <ScaleBar controller={controller} />}
        </div>
        {controller && <StatusBar controller={controller} />}
      </section>
      <aside className="workspace-side" aria-label="Annotations and people">
        {controller && <ConflictPanel controller={controller} />}
        {controller && <SelectionPanel controller={controller} />}
        {controller && <ProposalPanel controller={controller} />}
        {controller && controller.data.version === undefined && <JobsPanel controller={controller} />}
        {controller && <EiphPanel controller={controller} />}
        {controller && <ModelPanel controller={controller} />}
        {controller && <ReaderPicker controller={controller} session={props.session} />}
        {controller && controller.data.version === undefined && (
          <ReviewPanel controller={controller} review={review} />
        )}
        {controller && <CollaboratorList controller={controller} />}
        {controller && <VersionDiffPanel controller={controller} />}
        {controller && <AnnotationList controller={controller} />}
      </aside>
      <ShortcutHelp
        open={helpOpen}
        onClose={() => {
          setHelpOpen(false);
        }}
      />
    </div>
  );
}
