// actors/runtime/sim: deterministic simulation of the actor runtime.
export { runSeed, defaultSimOptions, type SimOptions, type SimResult } from './scenario.ts';
export { counterKind, CounterMessage } from './counter.ts';
export { SimScheduler, seededRandom } from './scheduler.ts';
export { World, Gate, SimJetStream, SimCore, SimKv, SimDirectory, SimDatabase, noFaults, type Faults, type PlantedBugs } from './world.ts';
