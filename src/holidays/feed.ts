import { z, type Infer } from '../util/zod.js';
import { parseIsoDate } from '../planning/dates.js';
import type { Holiday } from '../planning/plan.js';

export const DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type Division = (typeof DIVISIONS)[number];

const event = z.object({
  title: z.string().check(z.trim(), z.minLength(1, 'title is empty')),
  date: z.string().check(z.refine((d) => parseIsoDate(d) !== null, { message: 'is not a real YYYY-MM-DD date' })),
  notes: z.optional(z.string()),
  bunting: z.optional(z.boolean()),
});

const division = z.object({ division: z.string(), events: z.array(event) });

export const feedSchema = z.object({
  'england-and-wales': division,
  scotland: division,
  'northern-ireland': division,
});

export type Feed = Infer<typeof feedSchema>;

export class FeedError extends Error {
  override name = 'FeedError';
}

/** Validates a parsed feed; the error names the first few places that are wrong. */
export function validateFeed(data: unknown): Feed {
  const result = feedSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new FeedError(`bank holiday feed is malformed: ${problems.join('; ')}${more}`);
}

export function parseFeed(text: string): Feed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FeedError(`bank holiday feed is not JSON: ${(error as Error).message}`);
  }
  return validateFeed(data);
}

export function holidaysOf(feed: Feed, which: Division): Holiday[] {
  return feed[which].events.map(({ date, title }) => ({ date, title }));
}
