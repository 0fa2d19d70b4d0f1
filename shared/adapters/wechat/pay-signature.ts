import type { KeyObject } from 'node:crypto';
import type { SignatureRejectReason } from '../../ports/payment-gateway';
import { verifyLines } from './pay-crypto';

/** Reads a header by its lower-case name. */
export type HeaderLookup = (lowerCaseName: string) => string | undefined;

export type SignatureRejection = { reason: SignatureRejectReason; detail: string };

/** WeChat Pay's replay window: a timestamp more than 5 minutes from our clock is refused, whatever its signature. */
const MAX_CLOCK_SKEW_SECONDS = 300;
const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';
const SIGNED_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;

function malformation(timestamp: string, nonce: string, signature: string, serial: string, signatureType: string | undefined): string | undefined {
  if (!/^\d{1,12}$/.test(timestamp)) return 'Wechatpay-Timestamp is not a Unix time in seconds';
  if (!/^[\x21-\x7e]{1,64}$/.test(nonce)) return 'Wechatpay-Nonce is empty or too long';
  if (signature.length > 1024) return 'Wechatpay-Signature is too long';
  if (!/^[\x21-\x7e]{1,64}$/.test(serial)) return 'Wechatpay-Serial is empty or too long';
  if (signatureType !== undefined && signatureType !== SIGNATURE_TYPE) return `Wechatpay-Signature-Type is not ${SIGNATURE_TYPE}`;
  return undefined;
}

/**
 * Checks a message WeChat Pay signed (an API answer or a notification) in the order docs/protocols/wechat-apis.md section 6 asks:
 * headers present and well-formed, timestamp inside the replay window (before any RSA work), serial in our
 * allow-list (never fetched on demand), then RSA-SHA256 over `timestamp\nnonce\nbody\n` with the raw body bytes.
 * A `WECHATPAY/SIGNTEST/` probe is not special: it fails like any bad signature. Returns undefined when it holds.
 */
export function checkWechatpaySignature(
  header: HeaderLookup,
  rawBody: Buffer,
  publicKeys: ReadonlyMap<string, KeyObject>,
  now: Date,
): SignatureRejection | undefined {
  const [timestamp, nonce, signature, serial] = SIGNED_HEADERS.map((name) => header(name));
  if (timestamp === undefined || nonce === undefined || signature === undefined || serial === undefined) {
    const missing = SIGNED_HEADERS.filter((name) => header(name) === undefined);
    return { reason: 'MISSING_HEADER', detail: `missing ${missing.join(', ')}` };
  }
  const malformed = malformation(timestamp, nonce, signature, serial, header('wechatpay-signature-type'));
  if (malformed) return { reason: 'MALFORMED_HEADER', detail: malformed };

  const skewSeconds = Math.abs(Math.floor(now.getTime() / 1_000) - Number(timestamp));
  if (skewSeconds > MAX_CLOCK_SKEW_SECONDS) return { reason: 'STALE_TIMESTAMP', detail: `timestamp is ${skewSeconds} s away from our clock` };

  const publicKey = publicKeys.get(serial);
  if (!publicKey) return { reason: 'UNKNOWN_SERIAL', detail: `serial ${serial} is not in the allow-list` };

  if (!verifyLines([timestamp, nonce, rawBody], signature, publicKey)) {
    const probe = signature.startsWith(PROBE_PREFIX);
    return { reason: 'BAD_SIGNATURE', detail: probe ? 'WECHATPAY/SIGNTEST/ signature probe' : 'signature does not verify' };
  }
  return undefined;
}
