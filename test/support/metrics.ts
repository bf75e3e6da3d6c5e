import { TestApp } from './app';

/** Reads a counter (summed over the series whose labels contain `labels`) from GET /metrics. */
export async function counter(app: Pick<TestApp, 'request'>, name: string, labels = ''): Promise<number> {
  const text: string = (await app.request('GET', '/metrics')).body;
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labels) && !line.startsWith('#'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
