using System.Runtime.InteropServices;
using CoSim.Isolation;

namespace CoSim.FmuHost;

/// <summary>
/// The child process of an isolated FMU component: <c>CoSim.FmuHost CHANNEL</c>. It opens the
/// shared-memory channel the parent created, creates the FMU component when asked (first request) and
/// serves requests until told to shut down. Standard input is a pipe from the parent that nobody
/// writes: when it reaches end of file the parent has gone (even killed), and the host exits at
/// once, so no host outlives its parent.
/// </summary>
internal static class Program
{
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int code);

    private static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: CoSim.FmuHost CHANNEL (started by CoSim for an isolated FMU; not for direct use)");
            return 2;
        }
        // Ctrl+C in a terminal signals the whole process group: the parent decides when to stop
        // (after the current step), so the host must not die of it first.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        var watcher = new Thread(() => WatchParent(args[0])) { IsBackground = true, Name = "parent watch" };
        watcher.Start();
        using var channel = SharedChannel.Open(args[0]);
        channel.Unlink(); // both sides have it mapped now: nothing is left in /dev/shm whoever dies first
        using var server = new HostServer(channel);
        server.Run();
        return 0;
    }

    private static void WatchParent(string channelPath)
    {
        try
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (input.Read(buffer, 0, buffer.Length) > 0) { }
        }
        catch (IOException)
        {
        }
        // The parent may have died before the channel was opened (and unlinked) by either side.
        try { File.Delete(channelPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        ExitNow(3); // no other cleanup: the FMU may be hung in native code on the main thread
    }
}
