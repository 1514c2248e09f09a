export { type AccessTokenServerOptions, startAccessTokenServer } from './access-token-server';
export { type TestPublisherOptions, testPublisher } from './test-publisher';
