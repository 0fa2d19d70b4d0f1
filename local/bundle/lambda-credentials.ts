// Swapped in at bundle time for @aws-sdk/credential-provider-node (serverless.yml custom.esbuild.alias). On Lambda the
// execution role's credentials are always in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), so the default provider chain's other sources (profiles, SSO, STS web identity, process,
// instance metadata) and the nested STS and SSO clients they bring (about 100 KB minified) are dead weight there.
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
