using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.CoSimulation;
using CoSim.Isolation;

// Per-step cost of an isolated FMU: the Tank FMU stepped with one input write and one output read
// per step (the coupling pattern of a system), in process, isolated in a host process (shared
// memory + futex, one round trip), and in process behind a TCP loopback channel with three
// request/response round trips per step (set inputs, doStep, get outputs: a stand-in for a
// proxyfmu-style channel). Prints figures, asserts nothing. Usage: scripts/bench-isolation [FMU] [STEPS]
var root = FindRoot();
var fmuPath = args.Length > 0 ? args[0] : Path.Combine(root, "build", "fmus", "fmi2", "Tank.fmu");
var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
const int repetitions = 5;
var h = SimTime.FromSeconds(1e-3);
var archive = FmuArchive.Open(fmuPath);

Console.WriteLine($"FMU {archive.Model.ModelName} (FMI {archive.Model.FmiVersionText}), {steps:N0} steps of 1 ms, per step: write 1 input, step, read the outputs; best of {repetitions}");
// Spinning needs a free core on each side: on a loaded machine the figures are context switches.
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {load}, .NET {Environment.Version}");
Console.WriteLine();

var inProcess = Best(() => new FmuCoSimulationComponent(archive, "bench", NullLogSink.Instance), u => Loop(u, steps, h));
var isolated = Best(() => new IsolatedFmuComponent(archive, "bench", NullLogSink.Instance), u => Loop(u, steps, h));
var futexOnly = Best(() => new IsolatedFmuComponent(archive, "bench", NullLogSink.Instance, options: new IsolationOptions { Spin = TimeSpan.Zero }),
    u => Loop(u, Math.Min(steps, 50_000), h));
var tcp = BestTcp(archive, Math.Min(steps, 50_000), h);

Console.WriteLine($"{"channel",-44} {"us/step",9} {"overhead us",12}");
Row("in process", inProcess, inProcess);
Row("isolated (shared memory, spin then futex)", isolated, inProcess);
Row("isolated, futex only (spin 0)", futexOnly, inProcess);
Row("in process behind TCP loopback x3 per step", tcp, inProcess);
Console.WriteLine();
Console.WriteLine($"isolation overhead {(isolated - inProcess) * 1e6:F2} us/step (target < 5); TCP x3 stand-in costs {(tcp - inProcess) / Math.Max(isolated - inProcess, 1e-9):F1}x that overhead, {tcp / isolated:F1}x the isolated step (target >= 10x)");
return;

static void Row(string name, double seconds, double baseline) =>
    Console.WriteLine($"{name,-44} {seconds * 1e6,9:F2} {(seconds - baseline) * 1e6,12:F2}");

// Best time per step over the repetitions; the first run warms up (JIT, host start) and is not counted.
static double Best<T>(Func<T> create, Func<T, double> run) where T : IComponent
{
    var best = double.MaxValue;
    for (var r = 0; r <= repetitions; r++)
    {
        using var unit = create();
        unit.Instantiate();
        unit.EnterInitialization(SimTime.Zero, null, null);
        unit.ExitInitialization();
        var perStep = run(unit);
        if (r > 0) best = Math.Min(best, perStep);
    }
    return best;
}

static double Loop(IComponent unit, int steps, SimTime h)
{
    var valve = unit.Variables.Single(v => v.Name == "valve").Index;
    var input = unit.CreateAccessor([valve]);
    var output = unit.CreateAccessor(unit.Variables.Where(v => v.Role == VariableRole.Output).Select(v => v.Index).ToArray());
    var row = new double[output.Variables.Count];
    Span<double> value = stackalloc double[1];
    output.Read(row);
    var clock = Stopwatch.StartNew();
    var t = SimTime.Zero;
    for (var i = 0; i < steps; i++)
    {
        value[0] = (i / 1000) % 2 == 0 ? 1.0 : 0.5;
        input.Write(value);
        unit.Step(t, h);
        output.Read(row);
        t += h;
    }
    return clock.Elapsed.TotalSeconds / steps;
}

// The FMU in process on a server thread; the client sends three small requests per step over a
// loopback TCP connection (Nagle off) and waits for each answer.
static double BestTcp(FmuArchive archive, int steps, SimTime h)
{
    var best = double.MaxValue;
    for (var r = 0; r <= repetitions; r++)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = new Thread(() => Serve(listener, archive, h)) { IsBackground = true };
        server.Start();
        using var client = new TcpClient { NoDelay = true };
        client.Connect(IPAddress.Loopback, port);
        using var stream = client.GetStream();
        var request = new byte[32];
        var response = new byte[64];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            // 1: set the input, 2: doStep, 3: get the outputs (answer carries them)
            for (byte op = 1; op <= 3; op++)
            {
                request[0] = op;
                BinaryPrimitives.WriteDoubleLittleEndian(request.AsSpan(8), (i / 1000) % 2 == 0 ? 1.0 : 0.5);
                stream.Write(request);
                stream.ReadExactly(response);
            }
        }
        var perStep = clock.Elapsed.TotalSeconds / steps;
        request[0] = 0;
        stream.Write(request);
        server.Join();
        if (r > 0) best = Math.Min(best, perStep);
    }
    return best;
}

static void Serve(TcpListener listener, FmuArchive archive, SimTime h)
{
    using var socket = listener.AcceptTcpClient();
    socket.NoDelay = true;
    using var stream = socket.GetStream();
    using var unit = new FmuCoSimulationComponent(archive, "bench", NullLogSink.Instance);
    unit.Instantiate();
    unit.EnterInitialization(SimTime.Zero, null, null);
    unit.ExitInitialization();
    var input = unit.CreateAccessor([unit.Variables.Single(v => v.Name == "valve").Index]);
    var output = unit.CreateAccessor(unit.Variables.Where(v => v.Role == VariableRole.Output).Select(v => v.Index).ToArray());
    var request = new byte[32];
    var response = new byte[64];
    var values = new double[Math.Max(1, output.Variables.Count)];
    var t = SimTime.Zero;
    while (true)
    {
        stream.ReadExactly(request);
        switch (request[0])
        {
            case 0:
                return;
            case 1:
                input.Write([BinaryPrimitives.ReadDoubleLittleEndian(request.AsSpan(8))]);
                break;
            case 2:
                unit.Step(t, h);
                t += h;
                break;
            case 3:
                output.Read(values);
                for (var k = 0; k < values.Length && k < 8; k++) BinaryPrimitives.WriteDoubleLittleEndian(response.AsSpan(8 * k), values[k]);
                break;
        }
        stream.Write(response);
    }
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "CoSim.sln"))) return dir.FullName;
    throw new InvalidOperationException("CoSim.sln not found");
}
