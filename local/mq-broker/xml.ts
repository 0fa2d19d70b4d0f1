import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { malformedXml, type HandleError } from './errors';

/** Success bodies use the namespace with a trailing slash, `<Error>` bodies the one without (protocol note 3). */
const NS_SUCCESS = 'http://mq.aliyuncs.com/doc/v1/';
const NS_ERROR = 'http://mq.aliyuncs.com/doc/v1';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Node sends CDATA, Java entity-escaped text, Go no namespace and no declaration (protocol note 4.1, 11.7): a
// namespace-blind parser that keeps text exactly (no trimming, no number parsing) reads all three. htmlEntities makes
// it decode numeric character references (`&#20013;`), which Java may send.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => name === 'ReceiptHandle',
});

function parseRoot(xml: string, root: string): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw malformedXml(valid.err.msg);
  const document = parser.parse(xml) as Record<string, unknown>;
  const element = document[root];
  if (element === undefined) throw malformedXml(`the root element must be <${root}>`);
  // `<ReceiptHandles></ReceiptHandles>` parses to the empty string.
  return typeof element === 'object' && element !== null ? (element as Record<string, unknown>) : {};
}

function textOf(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformedXml(`<${name}> must hold text only, once`);
  return value;
}

export type PublishRequest = { body: string | undefined; tag: string; properties: string };

export function parsePublishRequest(xml: string): PublishRequest {
  const message = parseRoot(xml, 'Message');
  return {
    body: textOf(message.MessageBody, 'MessageBody'),
    tag: textOf(message.MessageTag, 'MessageTag') ?? '',
    properties: textOf(message.Properties, 'Properties') ?? '',
  };
}

export function parseReceiptHandles(xml: string): string[] {
  const handles = parseRoot(xml, 'ReceiptHandles').ReceiptHandle;
  if (!Array.isArray(handles)) return [];
  return handles.map((h) => textOf(h, 'ReceiptHandle') ?? '');
}

/** Escapes text content; `>` too, so that a body holding `]]>` stays well-formed. */
export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const element = (name: string, value: string | number): string => `<${name}>${escapeXml(String(value))}</${name}>`;

export type PublishResult = { messageId: string; bodyMd5: string; receiptHandle?: string };

export function publishResultXml(result: PublishResult): string {
  const handle = result.receiptHandle === undefined ? '' : element('ReceiptHandle', result.receiptHandle);
  return `${DECLARATION}<Message xmlns="${NS_SUCCESS}">${element('MessageId', result.messageId)}${element('MessageBodyMD5', result.bodyMd5)}${handle}</Message>`;
}

/** One delivered message; every time and count is an integer (the SDKs parse them as long/int). */
export type DeliveredMessage = {
  messageId: string;
  receiptHandle: string;
  bodyMd5: string;
  body: string;
  publishTime: number;
  firstConsumeTime: number;
  nextConsumeTime: number;
  consumedTimes: number;
  tag: string;
  properties: string;
};

function messageXml(m: DeliveredMessage): string {
  return [
    '<Message>',
    element('MessageId', m.messageId),
    element('ReceiptHandle', m.receiptHandle),
    element('MessageBodyMD5', m.bodyMd5),
    element('MessageBody', m.body),
    element('PublishTime', Math.floor(m.publishTime)),
    element('FirstConsumeTime', Math.floor(m.firstConsumeTime)),
    element('NextConsumeTime', Math.floor(m.nextConsumeTime)),
    element('ConsumedTimes', m.consumedTimes),
    element('MessageTag', m.tag),
    m.properties === '' ? '' : element('Properties', m.properties),
    '</Message>',
  ].join('');
}

export const messagesXml = (messages: DeliveredMessage[]): string =>
  `${DECLARATION}<Messages xmlns="${NS_SUCCESS}">${messages.map(messageXml).join('')}</Messages>`;

/** Per-handle failures of ack/commit/rollback, in the shape of protocol note 9.3. */
export function handleErrorsXml(errors: HandleError[]): string {
  const items = errors.map((e) => `<Error>${element('ErrorCode', e.code)}${element('ErrorMessage', e.message)}${element('ReceiptHandle', e.receiptHandle)}</Error>`);
  return `${DECLARATION}<Errors xmlns="${NS_SUCCESS}">${items.join('')}</Errors>`;
}

/** The request-level error body, declaration and namespace exactly as the real service writes them (note 7.1). */
export function errorXml(code: string, message: string, requestId: string, hostId: string): string {
  return [
    '<?xml version="1.0" ?>',
    `<Error xmlns="${NS_ERROR}">`,
    `  ${element('Code', code)}`,
    `  ${element('Message', message)}`,
    `  ${element('RequestId', requestId)}`,
    `  ${element('HostId', hostId)}`,
    '</Error>',
  ].join('\n');
}
