/**
 * A business rule said no. Each subclass has a stable `code` that clients may branch on; the HTTP layer maps
 * codes to statuses in one table (shared/lambda/http-errors.ts). Names are string literals so that they survive
 * minification.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class StoreNotFoundError extends DomainError {
  override readonly name = 'StoreNotFoundError';
  readonly code = 'STORE_NOT_FOUND';
  constructor(readonly storeId: string) {
    super(`store ${storeId} does not exist`);
  }
}

export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
  readonly code = 'UNAUTHORIZED';
}
