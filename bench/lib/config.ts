/** Sizes of every measurement; `--quick` shrinks them (a rough check in well under a minute and a half). */
export interface BenchConfig {
  readonly quick: boolean;
  /** autocannon warm-up per target before measuring, seconds. */
  readonly warmupS: number;
  /** One interleaved autocannon segment, seconds; each target gets `segmentsPerTarget` of them. */
  readonly segmentS: number;
  readonly segmentsPerTarget: number;
  /** Measured start-to-first-200 repetitions per target (after one unrecorded warm-up start). */
  readonly startReps: number;
  /** Sequential warm requests per target (gateway, bare server). */
  readonly sequentialN: number;
  /** Sequential Lambda Invoke API calls (and GetFunctionConfiguration calls as their floor). */
  readonly invokeN: number;
  readonly inProcessN: number;
  /** Functions of bench/apps/cold requested once each, per module kind (the app has 30 ESM and 30 CommonJS). */
  readonly coldFunctions: number;
  readonly coldGapMs: number;
  /** Naive spawn-per-request baseline runs, per module kind. */
  readonly naiveSpawns: number;
  readonly idleEnvs: number;
  readonly idleWaitMs: number;
  readonly concurrentEnvs: number;
}

export function configFor(quick: boolean): BenchConfig {
  return quick
    ? {
        quick,
        warmupS: 1,
        segmentS: 2,
        segmentsPerTarget: 2,
        startReps: 3,
        sequentialN: 500,
        invokeN: 200,
        inProcessN: 5000,
        coldFunctions: 15,
        coldGapMs: 100,
        naiveSpawns: 5,
        idleEnvs: 10,
        idleWaitMs: 1000,
        concurrentEnvs: 50,
      }
    : {
        quick,
        warmupS: 2,
        segmentS: 4,
        segmentsPerTarget: 2,
        startReps: 7,
        sequentialN: 2000,
        invokeN: 1000,
        inProcessN: 20000,
        coldFunctions: 30,
        coldGapMs: 100,
        naiveSpawns: 15,
        idleEnvs: 10,
        idleWaitMs: 1500,
        concurrentEnvs: 50,
      };
}
