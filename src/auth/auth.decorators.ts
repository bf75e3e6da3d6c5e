import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal } from './principal';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_SCOPE = 'auth:scope';

/** Open route: no token needed. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Route needs a token whose `scope` contains this scope (otherwise 403). */
export const RequireScope = (scope: string) => SetMetadata(REQUIRED_SCOPE, scope);

/** The verified caller of the current request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
