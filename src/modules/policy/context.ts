// What every domain service is given: the platform's shared parts plus the policy in force, which
// everything asks. Built once at start by src/app/context.ts.
import type { PlatformContext } from '../../platform/context.js';
import type { Policy } from './model.js';

export interface VowContext extends PlatformContext {
  readonly policy: Policy;
}
