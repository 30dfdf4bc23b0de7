namespace CoSim.Isolation.Tests;

/// <summary>Finds FMU host processes started by a given parent, by their command line (the channel name carries the parent's pid).</summary>
public static class HostProcesses
{
    /// <summary>Pids of running CoSim.FmuHost processes whose channel was created by <paramref name="parentPid"/>.</summary>
    public static List<int> Of(int parentPid)
    {
        var marker = $"cosim-isolation-{parentPid}-";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("CoSim.FmuHost", StringComparison.Ordinal) && cmdline.Contains(marker, StringComparison.Ordinal) && !IsZombie(dir))
                    found.Add(pid);
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>Running hosts whose parent (the pid in their channel name) no longer exists: orphans.</summary>
    public static List<int> Orphans()
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var at = cmdline.IndexOf("cosim-isolation-", StringComparison.Ordinal);
                if (!cmdline.Contains("CoSim.FmuHost", StringComparison.Ordinal) || at < 0 || IsZombie(dir)) continue;
                var digits = new string(cmdline[(at + "cosim-isolation-".Length)..].TakeWhile(char.IsDigit).ToArray());
                if (int.TryParse(digits, out var parent) && !Directory.Exists($"/proc/{parent}")) found.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>Waits up to <paramref name="timeout"/> until no host of <paramref name="parentPid"/> is left; returns those left.</summary>
    public static List<int> WaitGone(int parentPid, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = Of(parentPid);
            if (left.Count == 0 || DateTime.UtcNow > until) return left;
            Thread.Sleep(50);
        }
    }

    private static bool IsZombie(string dir)
    {
        var status = File.ReadAllText(Path.Combine(dir, "status"));
        return status.Contains("State:\tZ", StringComparison.Ordinal);
    }
}
