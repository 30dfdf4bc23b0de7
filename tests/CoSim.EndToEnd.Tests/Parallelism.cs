// Each end-to-end test spends most of its time waiting for a child `cosim` process (runtime start-up,
// JIT); fixtures run two at a time. They share nothing but the read-only example FMUs: every fixture
// writes into its own temporary folder, and the FMU extraction cache tolerates concurrent processes
// (unpack beside, then rename). Tests within a fixture stay sequential (their instance fields are per fixture).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
