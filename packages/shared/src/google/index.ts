export * from './access-token-client';
export * from './classify-google-error';
export * from './google-call-labels';
export * from './google-env';
