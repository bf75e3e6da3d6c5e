import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, REQUIRED_SCOPE } from './auth.decorators';
import { JwtVerifier } from './jwt-verifier.service';
import { hasScope, Principal } from './principal';

/** Global guard: every HTTP route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // the gateway authenticates in the handshake
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const principal = await this.verifier.verify(bearerToken(request.headers.authorization));
    const scope = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, targets);
    if (scope && !hasScope(principal, scope)) throw new ForbiddenException(`Token lacks scope ${scope}`);
    request.principal = principal;
    return true;
  }
}

/** Extracts the token of an `Authorization: Bearer <token>` header (never from the query string). */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer +(\S+)$/i.exec(header ?? '');
  if (!match) throw new UnauthorizedException('Missing bearer token');
  return match[1];
}
