export * from './kafka-propagation';
export * from './start-telemetry';
