namespace CoSim.Cli;

/// <summary>A one-line progress bar on standard error, shown only when that is a terminal.</summary>
internal sealed class ProgressBar : IDisposable
{
    private long _lastDraw;

    private ProgressBar() { }

    /// <summary>A bar when stderr is an interactive terminal, else null (CI logs stay clean).</summary>
    public static ProgressBar? ForStandardError() => Console.IsErrorRedirected ? null : new ProgressBar();

    public void Report(double fraction)
    {
        var now = Environment.TickCount64;
        if (now - _lastDraw < 100 && fraction < 1) return;
        _lastDraw = now;
        const int width = 40;
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        Console.Error.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,5:0.0}%");
    }

    public void Clear() => Console.Error.Write("\r" + new string(' ', 60) + "\r");

    public void Dispose() { }
}
