/**
 * A request-level failure, answered as one XML `<Error>` body. The Node SDK ignores the HTTP status and throws
 * whenever the body's root is `<Error>`, so every failure must carry one (protocol note 3.1, 11.3).
 */
export class MqError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'MqError';
  }
}

/** Out-of-range or malformed parameter; the wording follows the MNS "should between" messages. */
export const invalidArgument = (message: string) => new MqError('InvalidArgument', 400, message);

export const malformedXml = (message: string) => new MqError('MalformedXML', 400, `The XML you provided was not well-formed: ${message}`);

/** "No messages" is an error, never an empty `<Messages>` (the SDK would crash reading it). */
export const messageNotExist = () => new MqError('MessageNotExist', 404, 'Message not exist.');

export const invalidRequestUrl = (target: string) => new MqError('InvalidRequestURL', 400, `The request URL ${target} is invalid.`);

/** One failed handle of an ack, commit or rollback: listed in `<Errors>`, the other handles still apply. */
export type HandleError = { code: 'ReceiptHandleError' | 'MessageNotExist'; message: string; receiptHandle: string };

export const handleMalformed = (receiptHandle: string): HandleError => ({
  code: 'ReceiptHandleError',
  message: 'The receipt handle you provide is not valid.',
  receiptHandle,
});

export const handleExpired = (receiptHandle: string): HandleError => ({
  code: 'MessageNotExist',
  message: 'The message of this receipt handle does not exist or the handle has expired.',
  receiptHandle,
});
