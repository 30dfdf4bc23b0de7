using CoSim.Fuzz;
using SharpFuzz;

// cosim-fuzz TARGET            : the AFL++ loop (scripts/fuzz starts it under afl-fuzz)
// cosim-fuzz TARGET FILE...    : runs the target once per file, outside AFL (to reproduce a finding)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: cosim-fuzz TARGET [FILE...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}
using var scratch = new Scratch();
if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
    {
        using var input = File.OpenRead(file);
        target(input, scratch);
        Console.WriteLine($"{file}: no finding");
    }
    return 0;
}
// Out of process: a stack overflow or a hang in a reader is caught as a crash or a timeout of the child, not lost with the loop.
Fuzzer.OutOfProcess.Run(stream => target(stream, scratch));
return 0;
