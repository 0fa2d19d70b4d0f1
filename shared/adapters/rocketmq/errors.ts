import { MqUnavailableError } from '../../ports/messaging';

/** SDK errors carry `.Code` when the broker answered with an XML error; network errors and timeouts do not. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'Code' in error ? String((error as { Code: unknown }).Code) : undefined;
}

/** Turns anything the SDK threw into the port's error, keeping a short reason for the log. */
export function toMqUnavailable(action: string, error: unknown): MqUnavailableError {
  const code = errorCode(error);
  const reason = code ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  return new MqUnavailableError(`${action}: ${reason}`);
}
