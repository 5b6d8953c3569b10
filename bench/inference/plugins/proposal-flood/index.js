// bench/inference/live.js's load: a job that writes `total` box proposals, `batch` per call, through
// the plugin API's one write path, as the cell detector does tile by tile, without reading pixels
// (so the time is the write path's, not detection's).
import { z } from 'zod';

const proposalFlood = {
  name: 'proposal-flood',
  description: 'Writes `total` box proposals on a grid over the image, `batch` per write.',
  settings: z.strictObject({
    total: z.int().min(1).max(200_000),
    batch: z.int().min(1).max(50_000).default(1000),
  }),
  async run(context) {
    const { total, batch } = context.job.settings;
    const annotationType = context.annotationTypes[0]?.id;
    const columns = Math.ceil(Math.sqrt(total));
    const step = Math.max(1, Math.floor(Math.min(context.image.width, context.image.height) / columns));
    for (let from = 0; from < total; from += batch) {
      context.signal.throwIfAborted();
      const proposals = [];
      for (let i = from; i < Math.min(total, from + batch); i++) {
        const x = (i % columns) * step;
        const y = Math.floor(i / columns) * step;
        const size = Math.max(1, step - 1);
        proposals.push({
          annotationType,
          vector: { x1: x, y1: y, x2: x + size, y2: y + size },
          score: (i % 100) / 100,
        });
      }
      await context.writeProposals(proposals);
      await context.progress(Math.min(total, from + batch) / total);
    }
    return { summary: `wrote ${total} proposals in batches of ${batch}` };
  },
};

export default function activate() {
  return { jobs: [proposalFlood] };
}
