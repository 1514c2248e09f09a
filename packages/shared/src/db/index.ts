export * from './migrations';
export * from './outbox';
export * from './pool';
