/**
 * `npm run bench`: builds the service, runs every measurement against its limit in one run, prints the
 * table and writes bench/results/<timestamp>.json and bench/results/latest.md. Options: lib/options.ts.
 */
import { randomBytes } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { createClient } from 'redis';
import { createBenchDatabase } from './lib/database';
import { parseOptions } from './lib/options';
import { runPgbench } from './lib/pgbench';
import { measureAll } from './lib/measure-all';
import { environment, writeResults } from './lib/report';
import { build, stopAllServices } from './lib/service';

const log = (message: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  if (options.build) {
    log('nest build');
    build();
  }
  const secret = randomBytes(32).toString('hex');
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const redis = createClient({ url: options.redisUrl });
  await redis.connect();
  const db = await createBenchDatabase(options.databaseUrl);
  try {
    log(`database ${db.name}: seeding ${options.users} players`);
    await db.seed(options.users);
    log("pgbench: the service's submission statement, one per transaction");
    const pgbench = runPgbench(db.url, options.users, Math.max(5, Math.round(options.duration / 2)));
    log(`pgbench best ${pgbench.best.toFixed(0)} tps at ${pgbench.bestClients} clients (${JSON.stringify(pgbench.byClients)})`);
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: prefix,
      JWT_SECRET: secret,
      SCORE_RATE_LIMIT: '0',
      IP_RATE_LIMIT: '0',
    };
    const { rows, extra } = await measureAll({
      options,
      db,
      env,
      pgbench,
      redis,
      prefix,
      log,
      token: (claims) => sign(claims, secret, { algorithm: 'HS256', expiresIn: 3600 }),
    });
    const versions = {
      PostgreSQL: String((await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`))[0].v),
      Redis: /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?',
    };
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    const args = process.argv.slice(2);
    const command = args.length ? `npm run bench -- ${args.join(' ')}` : 'npm run bench';
    const header = `Measured ${new Date().toISOString().slice(0, 16)}Z with \`${command}\` (${minutes} min). ${environment(versions)}.`;
    const md = writeResults(rows, { options, pgbench, ...extra }, header, extra.notes as string[], !options.only);
    process.stdout.write(`\n${md}\n`);
  } finally {
    await stopAllServices();
    await db.drop();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length) await redis.del(keys);
    await redis.close();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack}\n`);
    process.exit(1);
  },
);
