using System.Collections.Concurrent;
using System.Diagnostics;
using CoSim.Core;

namespace CoSim.Isolation;

/// <summary>
/// One running host process: started with the channel path, its standard input a pipe that only
/// closes when this process ends (the host exits on end of file, so a killed parent leaves no
/// orphan), its output forwarded to the log as debug lines. Hosts still running when this process
/// exits normally are killed.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly Lock _gate = new();
    private string? _lastOutput;

    static HostProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in Running.Values)
            {
                try { p.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
            }
        };
    }

    public HostProcess(string channelPath, string? hostPath, ILogSink log, string component)
    {
        var (file, first) = Resolve(hostPath);
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (first != null) start.ArgumentList.Add(first);
        start.ArgumentList.Add(channelPath);
        // The host needs no tiered-compilation warm-up tricks, but it must not inherit a debugger hook.
        start.Environment.Remove("DOTNET_STARTUP_HOOKS");
        _process = new Process { StartInfo = start };
        DataReceivedEventHandler forward = (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line) return;
            lock (_gate) _lastOutput = line;
            log.Log(LogLevel.Debug, component + " (host)", line);
        };
        _process.OutputDataReceived += forward;
        _process.ErrorDataReceived += forward;
        try
        {
            _process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            _process.Dispose();
            throw new HostFailedException($"cannot start the FMU host '{file} {first}': {e.Message}", component, "start host", null, HostFault.StartFailed);
        }
        Pid = _process.Id;
        Running[Pid] = _process;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last line the host printed (the runtime's own crash report, if any).</summary>
    public string? LastOutput
    {
        get { lock (_gate) return _lastOutput; }
    }

    /// <summary>How the host ended: a signal (exit code 128+N as .NET reports it) or an exit code.</summary>
    public (HostFault Fault, string Reason) DescribeExit()
    {
        _process.WaitForExit(1000); // let the output readers finish
        var code = _process.ExitCode;
        if (code is > 128 and < 128 + 65)
            return (HostFault.Signal, $"the FMU host process (pid {Pid}) died of signal {code - 128} ({SignalName(code - 128)})");
        return (HostFault.Exited, $"the FMU host process (pid {Pid}) exited unexpectedly with code {code}");
    }

    /// <summary>Resident memory of the host (VmRSS), or null when it cannot be read.</summary>
    public long? ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>Waits up to <paramref name="milliseconds"/> for the host to exit by itself.</summary>
    public bool WaitForExit(int milliseconds) => _process.WaitForExit(milliseconds);

    /// <summary>Kills the host (SIGKILL) and waits until it is gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        Running.TryRemove(Pid, out _);
        _process.Dispose();
    }

    private static (string File, string? FirstArgument) Resolve(string? hostPath)
    {
        var path = hostPath
                   ?? (Environment.GetEnvironmentVariable("COSIM_FMU_HOST") is { Length: > 0 } env ? env : null)
                   ?? Path.Combine(AppContext.BaseDirectory, "CoSim.FmuHost.dll");
        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return (path, null);
        if (!File.Exists(path))
            throw new InputException($"the FMU host {path} is missing (isolated units need CoSim.FmuHost next to the program, or COSIM_FMU_HOST)");
        return (DotnetPath(), path);
    }

    /// <summary>The dotnet executable running this process, else the one the SDK names, else dotnet on the PATH.</summary>
    private static string DotnetPath()
    {
        var self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        return "dotnet";
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL",
        11 => "SIGSEGV", 13 => "SIGPIPE", 15 => "SIGTERM", _ => "signal " + signal,
    };
}
