import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBenchDatabase } from './database';
import { boot, Context, elsewhere, submissions } from './measure';
import { ROOT } from './proc';

const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });

/**
 * The service as it was at `ref` (before the change feed): checked out in a temporary git worktree, installed and
 * built there, booted against its own fresh database, seeded by its own seed, and measured like the main row.
 * The worktree and the database are removed afterwards.
 */
export async function baselineSubmissions(ctx: Context, ref: string) {
  const dir = join(tmpdir(), `scoreboard-baseline-${process.pid}-${Date.now().toString(36)}`);
  ctx.log(`baseline ${ref}: git worktree in ${dir}, npm ci, nest build`);
  run('git', ['worktree', 'add', '--detach', dir, ref], ROOT);
  try {
    run('npm', ['ci', '--no-audit', '--no-fund'], dir);
    run('npx', ['nest', 'build'], dir);
    const db = await createBenchDatabase(ctx.options.databaseUrl, { migrate: false });
    try {
      ctx.log(`baseline ${ref}: database ${db.name}, its own seed of ${ctx.options.users} players`);
      run(process.execPath, ['dist/seed/seed.cli.js', '--users', String(ctx.options.users)], dir, { DATABASE_URL: db.url });
      await db.query('ANALYZE');
      const target = elsewhere(ctx, db, 'baseline', { mainJs: join(dir, 'dist', 'main.js'), rankIndex: 'legacy' });
      const service = await boot(target);
      try {
        return await submissions(target, service);
      } finally {
        await service.stop();
      }
    } finally {
      await db.drop();
    }
  } finally {
    run('git', ['worktree', 'remove', '--force', dir], ROOT);
  }
}
