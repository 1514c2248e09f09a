export * from './env-types';
export * from './load-config';
