import type { ComponentChildren } from 'preact';

/** A labelled input with the API's validation message for it, if any. */
export function Field({ label, error, children }: { label: string; error?: string | undefined; children: ComponentChildren }) {
  return (
    <label class={error ? 'field invalid' : 'field'}>
      <span>{label}</span>
      {children}
      {error ? <small class="field-error">{error}</small> : null}
    </label>
  );
}
