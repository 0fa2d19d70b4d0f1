import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderTopology } from '../../scripts/mq-topology';
import { declaredTopology, topics } from '../../shared/messages/contracts';

// The README's deploy walkthrough tells an operator which topics and groups to create on Aliyun; `npm run
// mq:topology` prints them from shared/messages/contracts.ts. The copy in the README must be that output.

const REPO = join(__dirname, '..', '..');
const readmeBlock = () => /<!-- mq-topology:begin -->\n([\s\S]*?)\n<!-- mq-topology:end -->/.exec(readFileSync(join(REPO, 'README.md'), 'utf8'))?.[1];

describe('the MQ topology of a deploy', () => {
  it('is listed in the README exactly as the script prints it', () => {
    expect(readmeBlock()).toBe(renderTopology());
  });

  it('names every declared topic with its Aliyun message type, and every group', () => {
    const printed = renderTopology();
    const { topics: declared, groups } = declaredTopology({});
    expect(declared).toHaveLength(Object.keys(topics).length);
    const type = { normal: '普通消息', delayed: '定时/延时消息', ordered: '分区顺序消息', transactional: '事务消息' };
    for (const topic of declared) expect(printed).toMatch(new RegExp(`^\\| \`${topic.name}\` \\| [^|]*${type[topic.kind]}`, 'm'));
    for (const group of groups) expect(printed).toMatch(new RegExp(`^\\| \`${group}\` \\|`, 'm'));
  });

  it('is what `npm run mq:topology` prints', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'mq:topology'], { cwd: REPO });
    expect(stdout.trimEnd()).toBe(renderTopology());
  }, 30_000);
});
