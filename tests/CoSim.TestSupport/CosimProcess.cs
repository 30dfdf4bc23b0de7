using System.Diagnostics;

namespace CoSim.TestSupport;

/// <summary>Result of running the real <c>cosim</c> command in a child process.</summary>
public sealed record CosimResult(int ExitCode, string StdOut, string StdErr, bool Crashed)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>
/// Runs the built <c>cosim.dll</c> (copied beside the test assembly by its project reference) in a
/// child process, so that a crashing FMU takes down only that process.
/// </summary>
public static class CosimProcess
{
    public static CosimResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, TimeSpan.FromMinutes(2), args);

    /// <summary>Starts <c>cosim</c> without waiting (output discarded), for tests that stop or kill it themselves; the caller disposes it.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "cosim.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        psi.Environment["DOTNET_EnableCrashReport"] = "0";
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    public static CosimResult Run(string workingDirectory, TimeSpan timeout, params string[] args) => Run(workingDirectory, timeout, null, args);

    /// <summary>As <see cref="Run(string, TimeSpan, string[])"/>, with extra environment variables for the child (e.g. glibc's malloc checks).</summary>
    public static CosimResult Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "cosim.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("cosim.dll is not beside the tests; reference CoSim.Cli", dll);
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        psi.Environment["DOTNET_EnableCrashReport"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"cosim {string.Join(' ', args)} did not finish within {timeout}");
        }
        p.WaitForExit();
        // A process killed by a signal reports 128 + signal number (SIGSEGV = 11, SIGABRT = 6).
        return new CosimResult(p.ExitCode, stdout.Result, stderr.Result, p.ExitCode >= 128);
    }
}
