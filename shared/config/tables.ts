import * as z from '../schemas/zod';
import { configSection } from './env';

/** Every DynamoDB table the service uses; resources/dynamodb-tables.yml defines them as `<Pascal>Table`. */
export const tableKeys = [
  'users',
  'sessions',
  'couponTemplates',
  'userCoupons',
  'stores',
  'products',
  'carts',
  'orders',
  'payments',
  'refunds',
  'outbox',
  'notices',
  'paymentAnomalies',
  'orderStats',
] as const;
export type TableKey = (typeof tableKeys)[number];

/** `userCoupons` -> `USER_COUPONS_TABLE` */
export function tableEnvName(key: TableKey): string {
  return `${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_TABLE`;
}

/** `userCoupons` -> `wx-shop-local-user-coupons`: the name serverless.yml gives it on the `local` stage. */
export function defaultTableName(key: TableKey, stage = 'local'): string {
  return `wx-shop-${stage}-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const shape = Object.fromEntries(tableKeys.map((key) => [tableEnvName(key), z._default(z.string().check(z.minLength(3)), defaultTableName(key))]));

const tablesSection = configSection('DynamoDB tables', shape);

/** The configured name of a table. */
export function tableName(key: TableKey): string {
  return tablesSection()[tableEnvName(key)] as string;
}
