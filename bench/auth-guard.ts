/**
 * In-process A/B of the per-request authentication cost (issue 11): the service's guard (JwtVerifier, jsonwebtoken
 * with KeyObject keys) against the design card's @nestjs/passport AuthGuard + passport-jwt strategy with the same
 * keys. Interleaved rounds (A B A B …) so the shared machine's drift hits both alike; prints µs per guard pass,
 * the ratio, and the difference as a share of one event loop at the submission rate of the last full bench run.
 *   npx ts-node --transpile-only bench/auth-guard.ts [--passes 20000] [--rounds 8] [--rate 3753]
 */
import 'reflect-metadata';
import { CanActivate, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { decode, sign } from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { JwtAuthGuard } from '../src/auth/jwt-auth.guard';
import { JwtVerifier } from '../src/auth/jwt-verifier.service';
import { parseConfig } from '../src/config/app-config';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] || fallback) || fallback;
const PASSES = arg('passes', 20_000);
const ROUNDS = arg('rounds', 8);
const SUBMISSIONS_PER_SECOND = arg('rate', 3753); // bench/results/latest.md, group commit, 64 connections

const SECRET = 'bench-secret-that-is-long-enough-for-production-0123';
const verifier = new JwtVerifier(parseConfig({ JWT_SECRET: SECRET, DATABASE_URL: 'postgres://bench/none' }));
const reflector = new Reflector();

/** The same claims check as JwtVerifier, for the passport variant. */
function principal(payload: Record<string, unknown>) {
  if (typeof payload.exp !== 'number') throw new UnauthorizedException('Token has no exp');
  return {
    sub: typeof payload.sub === 'string' ? payload.sub : undefined,
    scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
    exp: payload.exp,
  };
}

class PassportJwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(keys: JwtVerifier['keys']) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The key pinned to the token's algorithm, as JwtVerifier picks it (KeyObjects, never a string secret)
      secretOrKeyProvider: (_request: unknown, raw: string, done: (error: unknown, key?: string | Buffer) => void) => {
        const key = keys.get(decode(raw, { complete: true })?.header.alg as 'HS256');
        // passport-jwt's types say string | Buffer; it hands the key to jsonwebtoken, which takes KeyObjects
        return key ? done(null, key as unknown as Buffer) : done(new UnauthorizedException('Invalid token'));
      },
      algorithms: ['HS256', 'RS256', 'ES256'],
      jsonWebTokenOptions: { clockTolerance: 30 },
    });
  }
  validate(payload: Record<string, unknown>) {
    return principal(payload);
  }
}
new PassportJwtStrategy(verifier.keys); // registers itself with passport

class PassportGuard extends AuthGuard('jwt') {
  handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) throw error instanceof UnauthorizedException ? error : new UnauthorizedException('Invalid token');
    return user;
  }
}

class ScoresController {
  submit(this: void): void {}
}
const token = sign({ sub: '42' }, SECRET, { algorithm: 'HS256', expiresIn: 3600 });
const context = (): ExecutionContext => {
  const request = {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    method: 'POST',
    url: '/api/users/42/score',
  };
  const host = new ExecutionContextHost([request, {}], ScoresController, ScoresController.prototype.submit);
  host.setType('http');
  return host;
};

async function time(guard: CanActivate): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < PASSES; i++) if (!(await guard.canActivate(context()))) throw new Error('refused');
  return Number(process.hrtime.bigint() - start) / 1000 / PASSES;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const current = new JwtAuthGuard(reflector, verifier);
  const passport = new PassportGuard();
  await time(current); // warm-up of both paths
  await time(passport);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    a.push(await time(current));
    b.push(await time(passport));
    console.log(
      `round ${round + 1}: current ${a[round].toFixed(2)} µs, passport ${b[round].toFixed(2)} µs, ratio ${(b[round] / a[round]).toFixed(2)}`,
    );
  }
  const [ma, mb] = [median(a), median(b)];
  const share = ((mb - ma) * SUBMISSIONS_PER_SECOND) / 1e6;
  console.log(
    `median µs per guard pass: current ${ma.toFixed(2)}, passport ${mb.toFixed(2)} (ratio ${(mb / ma).toFixed(2)}, +${(mb - ma).toFixed(2)} µs)`,
  );
  console.log(`median of the rounds' ratios: ${median(b.map((value, i) => value / a[i])).toFixed(2)}`);
  console.log(
    `at ${SUBMISSIONS_PER_SECOND} submissions/s that is ${(share * 100).toFixed(1)}% of one event loop: throughput cost ≈ ${((share / (1 + share)) * 100).toFixed(1)}% (limit 10%)`,
  );
  await secondAppInTheSameProcess(passport, current);
}

/**
 * passport keeps strategies in one process-wide registry (@nestjs/passport's AuthGuard always authenticates through
 * it): a second app in the same process — as the e2e tests boot them, with other keys — replaces the first app's.
 */
async function secondAppInTheSameProcess(passport: CanActivate, current: CanActivate): Promise<void> {
  const other = new JwtVerifier(
    parseConfig({ JWT_SECRET: 'another-apps-secret-long-enough-for-production-0123', DATABASE_URL: 'postgres://bench/none' }),
  );
  new PassportJwtStrategy(other.keys);
  const outcome = (guard: CanActivate) =>
    Promise.resolve(guard.canActivate(context())).then(
      () => 'accepted',
      (error: Error) => `refused (${error.message})`,
    );
  console.log(
    `after a second app registered its strategy: the first app's own token is ${await outcome(passport)} by passport, ${await outcome(current)} by JwtVerifier`,
  );
}

void main();
