/**
 * What a training run ran on, written into its log's `start` and `resume` lines. Runs are bit-for-bit
 * reproducible with the same code on the same CPU only: on another CPU model (measured: AMD EPYC against
 * Intel Xeon, likely through other SIMD kernels in libtorch and OpenBLAS) float sums change in their last
 * bits, and a run can take another path.
 * The log says which CPU produced it, so a rerun that differs can be told from a bug.
 */
import { cpus } from 'node:os';
import { getNumThreads } from '../tensor/index.js';

interface MachineRecord {
  cpu: string;
  cores: number;
  /** libtorch's intra-op threads. */
  threads: number;
  node: string;
}

export function machineRecord(): MachineRecord {
  const all = cpus();
  return { cpu: all[0]?.model.trim() || 'unknown', cores: all.length, threads: getNumThreads(), node: process.version };
}
