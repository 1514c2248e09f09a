export { startEmulator, type RunningEmulator } from './server';
export { EmulatorControl, type ControlChannel, type ControlEvent, type ControlTokens, type ControlUser } from './control-client';
export type { EmulatorOptions, QuotaOptions } from './context';
export type { FaultSpec } from './faults';
export type { DeliveryControls, DeliveryRecord } from './push';
