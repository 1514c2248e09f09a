export { createTestDatabase, type TestDatabase } from './database';
export {
  type CollectedMessage,
  type ConsumeTopicOptions,
  consumeTopic,
  createTopics,
  kafkaBrokers,
  type TopicCollector,
  uniqueTopicPrefix,
} from './kafka';
export { type TestkitMode, type TestRuntime, testRuntime } from './runtime';
export { type WaitForOptions, waitFor } from './wait-for';
