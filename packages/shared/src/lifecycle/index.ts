export * from './run-service';
export * from './shutdown-stack';
export * from './service-runtime';
