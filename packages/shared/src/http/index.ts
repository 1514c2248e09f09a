export * from './create-app';
export * from './error-handler';
export * from './http-error';
export * from './internal-auth';
export * from './start-server';
export * from './validate';
