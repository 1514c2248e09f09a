export * from './run-service';
export * from './service-runtime';
export * from './shutdown-stack';
