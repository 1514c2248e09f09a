export * from './counter-at-zero';
export * from './service-metrics';
