/**
 * The compiled app as a child process, shared by the fault tests and the benchmark (bench/lib/service.ts):
 * no Jest here, so bench can import it.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';
import { TEST_JWT_SECRET } from './tokens';
import { waitUntil } from './wait';

const ROOT = resolve(__dirname, '..', '..');

export interface AppBuild {
  mainJs: string;
  remove(): void;
}

/** Compiles src/ once into test-artifacts/ (ignored by git), next to a link to public/, for running the app as a process. */
export async function buildApp(): Promise<AppBuild> {
  const outDir = join(ROOT, 'test-artifacts', `faults-build-${process.pid}-${Date.now()}`);
  mkdirSync(outDir, { recursive: true });
  symlinkSync(join(ROOT, 'public'), join(outDir, 'public'));
  await promisify(execFile)(
    join(ROOT, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', outDir, '--incremental', 'false'],
    { cwd: ROOT },
  );
  return { mainJs: join(outDir, 'main.js'), remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface AppProcess {
  url: string;
  process: ChildProcess;
  /** Everything the app wrote (the last 20 kB), for a failing test's message. */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface AppProcessOptions {
  /** Start from this process's environment (the bench: PATH, NODE_OPTIONS, ...) rather than a clean one. */
  inheritEnv?: boolean;
  /** Node flags before main.js, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Also copy the app's stderr to ours (the bench shows the service's warnings as they come). */
  echoStderr?: boolean;
  timeoutMs?: number;
}

/** Runs a built app (`node main.js`) on a spare port and waits until GET /health answers 200. */
export async function startAppProcess(mainJs: string, env: Record<string, string>, options: AppProcessOptions = {}): Promise<AppProcess> {
  const port = await freePort();
  const base = options.inheritEnv ? process.env : { PATH: process.env.PATH ?? '' };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), mainJs], {
    cwd: join(mainJs, '..'),
    env: { ...base, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr.on('data', (chunk) => {
    output = (output + chunk).slice(-20_000);
    if (options.echoStderr) process.stderr.write(chunk);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    `the app on port ${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}: ${output}`);
      return fetch(`${url}/health`).then(
        (res) => res.status === 200,
        () => false,
      );
    },
    options.timeoutMs ?? 30_000,
    100,
  );
  return {
    url,
    process: child,
    output: () => output,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Ids of the live processes whose parent is `pid` (Linux /proc), e.g. the workers of a cluster primary. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so parse after the last ')'
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') children.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return children;
}

/** True while a process with this id exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
