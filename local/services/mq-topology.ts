import type { TopologyDeclaration } from '../mq-broker';
import { declaredTopology } from '../../shared/messages/contracts';

/**
 * What the local broker declares: the contracts' topics and groups, named as the functions started with `env` will
 * name them (`MQ_TOPIC_*`, `MQ_GROUP_*`), in the instance they will address (`MQ_INSTANCE_ID`; none: the default
 * instance). A misspelt name then fails locally with TopicNotExist, as it would on Aliyun.
 */
export function localMqTopology(env: Record<string, string | undefined>, autoCreateTopics = false): TopologyDeclaration {
  return { instances: [env.MQ_INSTANCE_ID ?? ''], ...declaredTopology(env), autoCreateTopics };
}

/** `MQ_AUTO_CREATE_TOPICS`: "true" turns creation on first use on; unset, empty or "false" leaves it off. */
export function autoCreateTopicsFromEnv(env: Record<string, string | undefined>): boolean {
  const raw = env.MQ_AUTO_CREATE_TOPICS ?? '';
  if (raw !== '' && raw !== 'true' && raw !== 'false') throw new Error(`MQ_AUTO_CREATE_TOPICS must be "true" or "false", got "${raw}"`);
  return raw === 'true';
}
