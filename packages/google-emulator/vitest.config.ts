import { vitestConfig } from '../../vitest.base';
export default vitestConfig('@gcal-sync/google-emulator');
