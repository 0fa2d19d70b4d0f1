import * as z from 'zod';

/**
 * WeChat Pay behaviours that rest on community reports rather than the official documents, or that tests need to
 * bend, each switchable for the whole stand-in (option `payQuirks`) or for one out_trade_no (`POST /__sandbox/pay-quirks`).
 * The defaults are production's behaviour as best known; README.md gives the sources.
 */
export const payQuirksSchema = z.strictObject({
  /** A time_expire earlier than the order time plus this is moved to it (reports: 60 s); 0 honours any future value. */
  minPayWindowSeconds: z.number().int().min(0),
  /** How a NOTPAY trade past its time_expire queries: recent reports say CLOSED, older ones NOTPAY. */
  expiredTradeState: z.enum(['CLOSED', 'NOTPAY']),
  /** Closing an out_trade_no WeChat Pay never saw: reports say 204; 404 ORDER_NOT_EXIST is the alternative. */
  closeUnknownTrade: z.enum(['NO_CONTENT', 'ORDER_NOT_EXIST']),
  /** Whether a query of an unpaid trade echoes attach (reports: only once paid). */
  attachBeforePaid: z.boolean(),
  /** Different refunds of one trade must be this far apart (documented: 1 minute); 0 lifts the rule. */
  refundIntervalSeconds: z.number().int().min(0),
});

export type PayQuirks = z.infer<typeof payQuirksSchema>;

export const DEFAULT_PAY_QUIRKS: PayQuirks = {
  minPayWindowSeconds: 60,
  expiredTradeState: 'CLOSED',
  closeUnknownTrade: 'NO_CONTENT',
  attachBeforePaid: false,
  refundIntervalSeconds: 60,
};

export type QuirkBook = {
  /** The quirks in force for a trade: its own overrides over the stand-in's. */
  of(outTradeNo: string | undefined): PayQuirks;
  override(outTradeNo: string, quirks: Partial<PayQuirks>): PayQuirks;
  clear(outTradeNo?: string): void;
};

export function createQuirkBook(standInWide: Partial<PayQuirks> = {}): QuirkBook {
  const base = payQuirksSchema.parse({ ...DEFAULT_PAY_QUIRKS, ...standInWide });
  const perTrade = new Map<string, Partial<PayQuirks>>();
  const of = (outTradeNo: string | undefined) => ({ ...base, ...(outTradeNo === undefined ? {} : perTrade.get(outTradeNo)) });
  return {
    of,
    override(outTradeNo, quirks) {
      perTrade.set(outTradeNo, { ...perTrade.get(outTradeNo), ...quirks });
      return of(outTradeNo);
    },
    clear(outTradeNo) {
      if (outTradeNo === undefined) perTrade.clear();
      else perTrade.delete(outTradeNo);
    },
  };
}
