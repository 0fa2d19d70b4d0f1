// Prints the topics and groups to create on the Aliyun RocketMQ instance, from the one declaration of them
// (shared/messages/contracts.ts). The README's deploy walkthrough holds this output; test/deploy/mq-topology.test.ts
// keeps the two equal. Run: npm run mq:topology
import { declaredTopology, messageContracts, topics, consumerGroups, type DeliveryKind } from '../shared/messages/contracts';

/** The message type to pick when creating the topic (Aliyun topics are typed and carry one kind only). */
const aliyunMessageType: Record<DeliveryKind, string> = {
  normal: 'Normal (普通消息)',
  delayed: 'Scheduled/delayed (定时/延时消息)',
  ordered: 'Partitionally ordered (分区顺序消息)',
  transactional: 'Transactional (事务消息)',
};

const code = (text: string) => `\`${text}\``;
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function table(header: string[], rows: string[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

/**
 * The topics and groups under the names deployed functions use: serverless.yml sets no `MQ_TOPIC_*` / `MQ_GROUP_*`
 * (test/deploy/prod-package.test.ts checks it), so they are the declaration's defaults.
 */
export function renderTopology(): string {
  const declared = declaredTopology({});
  const topicRows = Object.entries(topics).map(([key, topic], i) => {
    const { name, kind } = declared.topics[i] as { name: string; kind: DeliveryKind };
    const tags = Object.values(messageContracts).filter((contract) => contract.topic === key).map((contract) => code(contract.tag));
    return [code(name), aliyunMessageType[kind], tags.join(', '), code(topic.env)];
  });
  const groupRows = Object.values(consumerGroups).map((group, i) => [code(declared.groups[i] as string), code(group.env)]);
  return [table(['Topic', 'Message type', 'Tags', 'Renamed by'], topicRows), table(['Group ID (protocol HTTP)', 'Renamed by'], groupRows)].join('\n\n');
}

if (require.main === module) console.log(renderTopology());
