import type { Product, Store } from '../shared/domain/catalog/store';

/** What `npm start` and the tests load into an empty database. Amounts in fen. */
export const seedStores: Store[] = [
  {
    id: 'store-001',
    name: '静安寺店',
    address: '上海市静安区南京西路1618号',
    location: { lat: 31.2234, lng: 121.4456 },
    openHours: '08:00-22:00',
    status: 'OPEN',
  },
  {
    id: 'store-002',
    name: '陆家嘴店',
    address: '上海市浦东新区世纪大道100号',
    location: { lat: 31.2397, lng: 121.4998 },
    openHours: '07:30-23:00',
    status: 'OPEN',
  },
  {
    id: 'store-003',
    name: '徐家汇店',
    address: '上海市徐汇区虹桥路1号',
    location: { lat: 31.1959, lng: 121.4365 },
    openHours: '09:00-21:00',
    status: 'CLOSED',
  },
];

export const seedProducts: Product[] = seedStores.flatMap((store) => [
  { id: 'latte', storeId: store.id, name: '拿铁', priceFen: 2800, stock: 200 },
  { id: 'americano', storeId: store.id, name: '美式咖啡', priceFen: 2200, stock: 200 },
  { id: 'croissant', storeId: store.id, name: '可颂', priceFen: 1500, stock: 50 },
  { id: 'sandwich', storeId: store.id, name: '火腿三明治', priceFen: 2600, stock: 30 },
]);

/** Coupon templates; `kind` says which flow grants it. */
export const seedCouponTemplates = [
  { templateId: 'tpl-new-user', kind: 'NEW_USER', name: '新人立减券', discountFen: 500, thresholdFen: 2000, validDays: 30 },
  { templateId: 'tpl-order-reward', kind: 'ORDER_REWARD', name: '回购立减券', discountFen: 300, thresholdFen: 2500, validDays: 14 },
];
