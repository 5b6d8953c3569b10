import {
  decodeBoxes,
  decodeSegmentation,
  inputTensor,
  type DecodedRegion,
  type ModelSpec,
  type ScoredBox,
} from '@tessera/shared';
import ort from 'onnxruntime-node';

/** What a model found in one tile, in the tile's input pixels. */
export type TileFindings =
  { kind: 'boxes'; boxes: ScoredBox[] } | { kind: 'regions'; regions: DecodedRegion[] };

/**
 * An uploaded model loaded into onnxruntime (CPU), fed one RGB tile at a time as its spec says,
 * its first output decoded as boxes or as outlined class regions.
 */
export class OnnxSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly spec: ModelSpec,
  ) {}

  /** Loads model bytes; a file onnxruntime cannot read, or one without one image input, is refused. */
  static async load(bytes: Uint8Array, spec: ModelSpec, threads = 1): Promise<OnnxSession> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
      });
    } catch (error) {
      throw new Error(
        `the file is not a model onnxruntime can load: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
      await session.release();
      throw new Error(
        `the model must take one input (it takes ${session.inputNames.length}) and give an output`,
      );
    }
    return new OnnxSession(session, spec);
  }

  /** Runs the model on packed RGB pixels (at most the input size; the rest is padded). */
  async run(rgb: Uint8Array, width: number, height: number, minScore: number): Promise<TileFindings> {
    const { inputWidth, inputHeight, decoding } = this.spec;
    const input = new ort.Tensor('float32', inputTensor(rgb, width, height, this.spec), [
      1,
      3,
      inputHeight,
      inputWidth,
    ]);
    const [inputName] = this.session.inputNames;
    const [outputName] = this.session.outputNames;
    const outputs = await this.session.run({ [inputName ?? '']: input });
    const output = outputs[outputName ?? ''];
    if (!output) throw new Error('the model gave no output');
    const tensor = { data: output.data as ArrayLike<number>, dims: output.dims };
    return decoding.kind === 'boxes'
      ? { kind: 'boxes', boxes: decodeBoxes(tensor, minScore) }
      : { kind: 'regions', regions: decodeSegmentation(tensor, decoding.minArea, minScore) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
