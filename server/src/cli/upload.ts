import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface UploadTarget {
  readonly baseUrl: string;
  readonly authorization: string;
}

export interface UploadOutcome {
  readonly file: string;
  readonly status: number;
  readonly body: unknown;
}

/** Prints a one-line progress bar on stderr (only on a terminal, else one line per file). */
class Progress {
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    if (!process.stderr.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const fraction = this.total === 0 ? 1 : done / this.total;
    const width = 30;
    const filled = Math.round(fraction * width);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    process.stderr.write(
      `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}% ` +
        `${mb(done)}/${mb(this.total)} MB`,
    );
  }

  finish(message: string): void {
    process.stderr.write(`${process.stderr.isTTY ? '\r\u001b[2K' : ''}${this.label}: ${message}\n`);
  }
}

/**
 * Uploads one file as EXACT's multipart form (image_set, image_type, file) with a known length, streaming
 * it from disk and drawing progress as bytes leave.
 */
export async function uploadFile(
  target: UploadTarget,
  imageSet: number,
  file: string,
): Promise<UploadOutcome> {
  const size = (await stat(file)).size;
  const boundary = `tessera-${randomBytes(12).toString('hex')}`;
  const name = path.basename(file).replace(/["\r\n]/g, '_');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="image_set"\r\n\r\n${imageSet}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="image_type"\r\n\r\n0\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file_path"; filename="${name}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL('/api/v1/images/images/', target.baseUrl);
  const progress = new Progress(name, size);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<UploadOutcome>((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      headers: {
        authorization: target.authorization,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + size + tail.length),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        const ok = res.statusCode === 201;
        progress.finish(ok ? 'uploaded' : `failed (${res.statusCode ?? 0}) ${text.slice(0, 300)}`);
        resolve({ file, status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    const stream = createReadStream(file);
    stream.on('data', (chunk) => {
      sent += chunk.length;
      progress.update(sent);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      req.end(tail);
    });
    stream.pipe(req, { end: false });
  });
}
