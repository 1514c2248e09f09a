export * from './access-token-client';
export * from './classify-google-error';
export * from './google-env';
