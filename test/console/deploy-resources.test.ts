import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';
import { CONSOLE_CSP } from '../../local/console/static-files';

// resources/console.yml as CloudFormation will read it (short tags kept as their tag and value): the console's bucket
// stays private behind its distribution, which serves the page and the API from one origin with the local CSP.
const REPO = join(__dirname, '..', '..');
const tags = ['GetAtt', 'Sub', 'Ref', 'Select', 'Split'].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => ({ [name]: value }) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => ({ [name]: value }) },
]) as unknown as Tags;
const template = parse(readFileSync(join(REPO, 'resources', 'console.yml'), 'utf8'), { customTags: tags });
const resources = template.Resources;
const distribution = resources.ConsoleDistribution.Properties.DistributionConfig;

describe('resources/console.yml', () => {
  it('is part of the stack', () => {
    expect(readFileSync(join(REPO, 'serverless.yml'), 'utf8')).toContain('${file(resources/console.yml)}');
  });

  it('keeps the bucket private: public access blocked, readable only by this distribution and only under console/', () => {
    expect(Object.values(resources.ConsoleBucket.Properties.PublicAccessBlockConfiguration)).toEqual([true, true, true, true]);
    const [statement, ...others] = resources.ConsoleBucketPolicy.Properties.PolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: { Sub: '${ConsoleBucket.Arn}/console/*' } });
    expect(statement.Condition.StringEquals['AWS:SourceArn'].Sub).toContain('${ConsoleDistribution}');
  });

  it('serves /console* from the bucket (GET and HEAD) with the CSP of the local gateway, and the rest from the API uncached', () => {
    const [consoleBehavior, ...others] = distribution.CacheBehaviors;
    expect(others).toEqual([]);
    expect(consoleBehavior).toMatchObject({ PathPattern: 'console*', TargetOriginId: 'console', AllowedMethods: ['GET', 'HEAD'], ResponseHeadersPolicyId: { Ref: 'ConsoleHeadersPolicy' } });
    expect(resources.ConsoleHeadersPolicy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toBe(CONSOLE_CSP);
    expect(distribution.DefaultCacheBehavior).toMatchObject({ TargetOriginId: 'api', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' });
    expect(distribution.Origins.map((origin: { Id: string }) => origin.Id)).toEqual(['console', 'api']);
  });
});
