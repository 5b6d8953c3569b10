import { signTileToken } from '@tessera/tiler/token';

/** What the tiler answers for a mosaic job: its size and each crop's features, in job order. */
export interface MosaicAnswer {
  readonly width: number;
  readonly height: number;
  readonly features: number[][];
}

const TOKEN_SECONDS = 3600;

/** The server's side of the tiler's mosaic route (POST /v1/mosaic). */
export class MosaicClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  /**
   * Has the tiler read every crop of the job file at `job`; with `out` it also writes the mosaic there.
   * A 4xx is a fault of the job and final (thrown with the tiler's reason), like a network failure.
   */
  async run(job: string, out?: string): Promise<MosaicAnswer> {
    const token = signTileToken(this.secret, {
      v: 1,
      img: 0,
      src: job,
      ...(out === undefined ? {} : { out }),
      exp: Math.floor(Date.now() / 1000) + TOKEN_SECONDS,
      scope: ['mosaic'],
    });
    const response = await fetch(`${this.baseUrl}/v1/mosaic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, write: out !== undefined }),
    });
    const body = (await response.json().catch(() => ({}))) as Partial<MosaicAnswer> & { error?: string };
    if (!response.ok) throw new Error(body.error ?? `the tiler answered ${response.status} to a mosaic`);
    return body as MosaicAnswer;
  }
}
