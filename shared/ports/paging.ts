import { DomainError } from '../domain/errors';

/** A page cursor that this service did not issue for this caller (altered, or another user's). */
export class InvalidCursorError extends DomainError {
  override readonly name = 'InvalidCursorError';
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('cursor is not one this service issued for you; start again without it');
  }
}

export type Page<T> = { items: T[]; nextCursor?: string };
