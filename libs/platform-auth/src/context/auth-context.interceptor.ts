import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import { authContextOfExecution, runWithAuthContext } from './auth-context.storage.js';

/**
 * Runs the rest of the invocation (pipes, handler, everything it calls) with the verified
 * `AuthContext` in AsyncLocalStorage, so `AuthContextAccessor` works anywhere in the call tree.
 * Registered app-wide by `PlatformAuthModule`.
 */
@Injectable()
export class AuthContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const auth = authContextOfExecution(context);
    if (auth === undefined) return next.handle();
    return new Observable((subscriber) =>
      runWithAuthContext(auth, () => next.handle().subscribe(subscriber)),
    );
  }
}
