export * from './constant-time';
export * from './key-ring';
