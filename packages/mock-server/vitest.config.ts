import { vitestBase } from '../../vitest.base';

export default vitestBase;
