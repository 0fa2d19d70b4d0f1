import { createApiClient } from '../../client/api-client';
import { answerProblems } from '../../local/api-document/conformance';

/** The mini-program's typed client, refusing any answer the API document does not describe (status, body, code). */
export function documentedClient(baseUrl: string) {
  return createApiClient({
    baseUrl,
    onAnswer: ({ method, path, status, body }) => {
      const problems = answerProblems(method, path, status, body);
      if (problems.length > 0) throw new Error(`answer differs from docs/openapi.json:\n${problems.join('\n')}`);
    },
  });
}

/** An answer's status and body alone, for a whole-answer `toEqual` (the client's answers also carry `headers`). */
export const statusAndBody = <A extends { status: unknown; body: unknown }>({ status, body }: A) => ({ status, body });
