import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { modelSpecSchema, processingModelUpload, type ProcessingModel } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import { uniqueField } from '../../errors/pg-errors.js';
import type { MultipartUpload } from '../../ingest/multipart.js';
import type { ImageStorage } from '../../ingest/storage.js';
import type { ModelSource, StoredModel } from '../onnx/onnx-model.plugin.js';
import { OnnxSession } from '../onnx/onnx-session.js';
import { ProcessingModelsRepo, processingModelFilters } from './processing-models.repo.js';

const NAME_TAKEN = 'The team already has a model with this name.';

/**
 * A team's ONNX models: team admins upload and delete them, members see and run them, and the ONNX
 * plugin loads only a model of the image's own team.
 */
export class ProcessingModelsService extends ResourceService<ProcessingModel> implements ModelSource {
  readonly name = 'processing_models';
  readonly filters = processingModelFilters;
  readonly relations = { team: 'teams', creator: 'users' };

  constructor(
    private readonly db: Database,
    private readonly storage: ImageStorage,
  ) {
    super();
  }

  list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    return new ProcessingModelsRepo(this.db).list(viewer, filters, page);
  }

  /** Stores an uploaded model after onnxruntime has loaded it; 400 names what is wrong. */
  async upload(viewer: Viewer, upload: MultipartUpload): Promise<number> {
    const [file, ...more] = upload.files;
    try {
      if (!file || more.length > 0 || file.field !== 'file') {
        throw AppError.invalidField('file', 'Send exactly one ONNX file, under the field name "file".');
      }
      const parsed = processingModelUpload.safeParse(upload.fields);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw AppError.invalidField(String(issue?.path[0] ?? 'spec'), issue?.message ?? 'invalid');
      }
      const input = parsed.data;
      await new TeamAccess(this.db).requireAdmin(viewer, input.team, () => invalidPk('team', input.team));
      const session = await OnnxSession.load(await readFile(file.staged.file), input.spec).catch(
        (error: unknown) => {
          throw AppError.invalidField('file', error instanceof Error ? error.message : String(error));
        },
      );
      await session.release();
      const filePath = `.models/${randomUUID()}.onnx`;
      await this.storage.place(file.staged, filePath);
      const repo = new ProcessingModelsRepo(this.db);
      try {
        return await uniqueField('name', NAME_TAKEN, () =>
          repo.insert({
            ...input,
            filePath,
            size: file.staged.size,
            sha256: file.staged.sha256.toString('hex'),
            creator: viewer.id,
          }),
        );
      } catch (error) {
        await rm(this.storage.resolve(filePath), { force: true });
        throw error;
      }
    } finally {
      for (const f of upload.files) await this.storage.discard(f.staged);
    }
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, current.team);
    const repo = new ProcessingModelsRepo(this.db);
    const stored = await repo.stored(id);
    await repo.delete(id);
    if (stored) await rm(this.storage.resolve(stored.filePath), { force: true });
  }

  /** The absolute path of a model's file the viewer may see (the browser runs it itself). */
  async filePath(viewer: Viewer, id: number): Promise<string> {
    if (!(await this.find(viewer, id))) throw AppError.notFound();
    const stored = await new ProcessingModelsRepo(this.db).stored(id);
    if (!stored) throw AppError.notFound();
    return this.storage.resolve(stored.filePath);
  }

  async modelForImage(modelId: number, imageId: number): Promise<StoredModel> {
    const repo = new ProcessingModelsRepo(this.db);
    const stored = await repo.stored(modelId);
    if (!stored || stored.team !== (await repo.teamOfImage(imageId))) {
      throw new Error(`model ${modelId} is not one of the models of the image's team`);
    }
    return {
      id: modelId,
      name: stored.name,
      spec: modelSpecSchema.parse(stored.spec),
      bytes: await readFile(this.storage.resolve(stored.filePath)),
    };
  }
}
