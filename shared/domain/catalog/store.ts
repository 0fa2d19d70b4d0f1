/** A physical store the shopper can pick for ordering or scan-and-buy. */
export type Store = {
  id: string;
  name: string;
  address: string;
  location: { lat: number; lng: number };
  /** Opening hours as shown to shoppers, e.g. `08:00-22:00`. */
  openHours: string;
  status: StoreStatus;
};

export const storeStatuses = ['OPEN', 'CLOSED'] as const;
export type StoreStatus = (typeof storeStatuses)[number];

export type Product = {
  id: string;
  storeId: string;
  name: string;
  priceFen: number;
  stock: number;
};

/** Stores in the order shoppers see them: open ones first, then by name. */
export function sortStoresForDisplay(stores: readonly Store[]): Store[] {
  return [...stores].sort((a, b) => (a.status === b.status ? a.name.localeCompare(b.name, 'zh-CN') : a.status === 'OPEN' ? -1 : 1));
}
