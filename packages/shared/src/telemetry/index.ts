export * from './kafka-propagation';
export * from './server-span';
export * from './start-telemetry';
