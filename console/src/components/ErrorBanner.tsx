import { describeError } from '../format';

/** An error as the operator sees it: what went wrong in their words, and the API's code and message. */
export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {title ? `${title}：` : ''}
      {describeError(error)}
    </p>
  );
}
