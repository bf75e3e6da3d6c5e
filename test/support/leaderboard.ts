import { createHash } from 'node:crypto';
import { TestApp } from './app';
import { TestDatabase } from './database';
import { backendToken } from './tokens';

export interface Entry {
  id: number;
  rank: number;
  name: string;
  score: number;
}

/** The top 10 as SQL computes it with the contract's order: what every snapshot must converge to. */
export async function sqlTop10(db: TestDatabase): Promise<Entry[]> {
  const rows = await db.query<{ id: string; name: string; score: string }>('SELECT id, name, score FROM users ORDER BY score DESC, updated_at ASC, id ASC LIMIT 10');
  return rows.map((r, i) => ({ id: Number(r.id), rank: i + 1, name: r.name, score: Number(r.score) }));
}

export const md5 = (data: unknown) => createHash('md5').update(JSON.stringify(data)).digest('hex');

/** Creates users through the API (as the game backend) and returns their ids. */
export async function createUsers(app: TestApp, names: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) {
    const res = await app.request('POST', '/api/users', { body: { name }, token: backendToken() });
    if (res.status !== 201) throw new Error(`create user: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
  return ids;
}

/** Adds points as the game backend (not rate limited); returns the HTTP status and body. */
export function addScore(app: TestApp, userId: number, score: number) {
  return app.request('POST', `/api/users/${userId}/score`, { body: { score }, token: backendToken() });
}

/** Reads a counter (summed over labels matching `labels`) from GET /metrics. */
export async function counter(app: TestApp, name: string, labels = ''): Promise<number> {
  const text: string = (await app.request('GET', '/metrics')).body;
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labels) && !line.startsWith('#'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** Runs `count` tasks with at most `concurrency` in flight (like many clients, without queueing past the DB pool timeout). */
export async function concurrently<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
