import { DomainError } from '../domain/errors';

/** `deadline`: the function's time ran out while it waited on its dependencies (which one was slow is in the log). */
export type Dependency = 'dynamodb' | 'redis' | 'mq' | 'wechat' | 'wechatpay' | 'deadline';

/**
 * A dependency is down, throttling or too slow, so nothing was decided: the caller may retry shortly. Adapters turn
 * their client's transport, throttling and 5xx errors into this; the HTTP layer answers 503 with `Retry-After`. The
 * dependency and the detail go to the log only: the public message names no internals.
 */
export class DependencyUnavailableError extends DomainError {
  override readonly name = 'DependencyUnavailableError';
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  constructor(
    readonly dependency: Dependency,
    readonly detail: string,
  ) {
    super('a service this request needs is unavailable; try again shortly');
  }
}
