/**
 * The zod values of the settings files (a training config, a model directory's config.json), each
 * refusing with a message that says what it expects: "expected a positive integer", not zod's own words.
 */
import { z } from 'zod';

const POS_INT = 'expected a positive integer';
const NONNEG_INT = 'expected a non-negative integer';
const POS_NUM = 'expected a positive number';
const NONNEG_NUM = 'expected a number ≥ 0';
const PROB = 'expected a number in [0, 1)';
const BOOL = 'expected true or false';

export const posInt = () => z.number({ error: POS_INT }).int({ error: POS_INT }).positive({ error: POS_INT });
export const nonNegInt = () => z.number({ error: NONNEG_INT }).int({ error: NONNEG_INT }).nonnegative({ error: NONNEG_INT });
export const posNum = () => z.number({ error: POS_NUM }).positive({ error: POS_NUM });
export const nonNegNum = () => z.number({ error: NONNEG_NUM }).nonnegative({ error: NONNEG_NUM });
export const prob = () => z.number({ error: PROB }).min(0, { error: PROB }).lt(1, { error: PROB });
export const bool = () => z.boolean({ error: BOOL });

/** A block of settings given as something else (`--set data=3`): zod's own words name its types. */
export const BLOCK = { error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? 'expected an object of settings' : undefined) };
