export type { EmulatorOptions, QuotaOptions } from './context';
export {
  type ControlChannel,
  type ControlEvent,
  type ControlTokens,
  type ControlUser,
  EmulatorControl,
} from './control-client';
export type { FaultSpec } from './faults';
export type { DeliveryControls, DeliveryRecord } from './push';
export { type RunningEmulator, startEmulator } from './server';
