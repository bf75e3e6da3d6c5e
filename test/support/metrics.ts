import { TestApp } from './app';

/** Reads a counter (summed over the series whose labels contain `labels`) from GET /metrics of an app (or a base URL). */
export async function counter(app: Pick<TestApp, 'request'> | string, name: string, labels = ''): Promise<number> {
  const text: string = typeof app === 'string' ? await (await fetch(`${app}/metrics`)).text() : (await app.request('GET', '/metrics')).body;
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labels) && !line.startsWith('#'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
