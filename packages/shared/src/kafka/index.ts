export * from './build-envelope';
export * from './connection';
export * from './consumer';
export * from './errors';
export * from './publisher';
export * from './topics-admin';
