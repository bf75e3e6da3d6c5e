import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startTestApp } from './support/fixture';

// No Docker engine here: the dashboard, its provisioning and the compose services are checked against each other and the app
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string }[];
}
const dashboard = JSON.parse(read('deploy/grafana/dashboards/scoreboard.json')) as { uid: string; panels: Panel[] };

const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'rate',
  'increase',
  'irate',
  'histogram_quantile',
  'by',
  'without',
  'on',
  'and',
  'or',
  'unless',
]);
/** The metric names a PromQL expression reads: identifiers outside label matchers, grouping clauses, strings and calls. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]).filter((name) => !PROMQL_WORDS.has(name));
}

/** A histogram's series name back to the metric it belongs to. */
const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

describe('observability: the Grafana dashboard and its provisioning', () => {
  it('queries only metrics that /metrics exports (each panel at least one)', async () => {
    const t = await startTestApp();
    const text: string = (await t.request('GET', '/metrics')).body;
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)$/gm)].map((m) => m[1]));
    expect(exported.has('score_submissions_total')).toBe(true); // the control: the exposition was read
    const queried = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => metricNames(target.expr)));
    for (const panel of dashboard.panels)
      expect([panel.title, panel.targets.flatMap((target) => metricNames(target.expr)).length > 0]).toEqual([panel.title, true]);
    expect(queried.filter((name) => !exported.has(name) && !exported.has(family(name)))).toEqual([]);
    // What the issue asks to see
    for (const wanted of [
      'score_submissions_total',
      'http_request_duration_seconds',
      'leaderboard_pushes_total',
      'me_updates_total',
      'leaderboard_connected_sockets',
      'change_feed_delay_seconds',
      'admin_actions_total',
    ]) {
      expect(queried.map(family)).toContain(wanted);
    }
  });

  it('reads metric names out of PromQL (and not functions, labels or keywords)', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{method="POST", route=~".*score.*"}[1m])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNames('sum by (action) (increase(admin_actions_total[5m])) / on(instance) up')).toEqual(['admin_actions_total', 'up']);
  });

  it('is provisioned: the datasource the panels name, the dashboards folder mounted, Prometheus scraping both replicas, all behind the profile', () => {
    const datasource = load(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    const provider = load(read('deploy/grafana/provisioning/dashboards/scoreboard.yml')) as { providers: { options: { path: string } }[] };
    const prometheus = load(read('deploy/prometheus.yml')) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const compose = load(read('docker-compose.yml')) as { services: Record<string, { profiles?: string[]; volumes?: string[] }> };
    expect(new Set(dashboard.panels.map((panel) => panel.datasource.uid))).toEqual(new Set([datasource.datasources[0].uid]));
    expect(datasource.datasources[0].url).toBe('http://prometheus:9090');
    expect(prometheus.scrape_configs[0].static_configs[0].targets).toEqual(['app1:3000', 'app2:3000']);
    const { grafana, prometheus: prom } = compose.services;
    expect([grafana.profiles, prom.profiles]).toEqual([['observability'], ['observability']]);
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
        `./deploy/grafana/dashboards:${provider.providers[0].options.path}:ro`,
      ]),
    );
    expect(prom.volumes).toContain('./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    // The default `docker compose up` is unchanged: only these two carry the profile
    expect(
      Object.entries(compose.services)
        .filter(([, service]) => service.profiles)
        .map(([name]) => name),
    ).toEqual(['prometheus', 'grafana']);
  });
});
