// Fixtures wait mostly for child `cosim` processes and the browser: two at a time, each in its own folder.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
