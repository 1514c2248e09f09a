import { vitestConfig } from '../../vitest.base';

export default vitestConfig('contract-testkit');
