using System.Diagnostics;
using System.Globalization;
using CoSim.Engine.Execution;
using Spectre.Console;

namespace CoSim.Cli;

/// <summary>
/// Progress of a run on standard error. On a terminal: a live Spectre.Console bar with simulated
/// time, steps/s, real-time factor and ETA, cleared at the end. Otherwise (a log, a pipe, CI): plain
/// lines, one at every 10 % of simulated time once the steps have taken more than
/// <see cref="QuietFor"/> (quick runs stay quiet; initialization does not count), and at most <see cref="PlainInterval"/> apart;
/// Spectre's own non-terminal output prints almost nothing. Either way <see cref="Finish"/> prints one
/// summary line.
/// </summary>
internal sealed class ProgressBar
{
    /// <summary>A plain-text run shorter than this prints no periodic line.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(1);

    /// <summary>Longest time between two plain lines of a long run.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _plain;
    private readonly bool _live;
    // Rates and the quiet period count from the first step's report: initialization is not stepping.
    private readonly Stopwatch _stepping = new();
    private double _firstFraction = -1;
    private StepSchedule? _schedule; // null: only the fraction is known (a scenario script, a sweep's cases)
    private ProgressTask? _task;
    private int _lastDecile;
    private TimeSpan _lastLine;

    private ProgressBar(TextWriter plain, bool live)
    {
        _plain = plain;
        _live = live;
    }

    /// <summary>A live bar when standard error is an interactive terminal, else plain lines to it.</summary>
    public static ProgressBar ForStandardError() => new(Console.Error, live: !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive);

    /// <summary>Runs <paramref name="body"/> (the simulation) with the bar shown for <paramref name="schedule"/> (null: fractions only, e.g. a scenario whose schedule the script decides).</summary>
    public T Run<T>(StepSchedule? schedule, Func<T> body)
    {
        _schedule = schedule;
        if (!_live) return body();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask("starting", maxValue: 1.0);
                try
                {
                    return body();
                }
                finally
                {
                    _task.StopTask();
                }
            });
    }

    /// <summary>Learns the schedule once the run is prepared (a run started with <see cref="Run{T}"/>(null, ...)): rates and times are then shown.</summary>
    public void Show(StepSchedule schedule) => _schedule = schedule;

    /// <summary>The engine's progress callback: <paramref name="fraction"/> of the simulated interval is done.</summary>
    public void Report(double fraction)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        if (_firstFraction < 0)
        {
            _firstFraction = fraction;
            _stepping.Start();
        }
        var elapsed = _stepping.Elapsed;
        if (_task != null)
        {
            _task.Value = fraction;
            _task.Description = Markup.Escape(Describe(fraction, elapsed));
            return;
        }
        var decile = (int)(fraction * 10);
        var due = elapsed >= QuietFor && (decile > _lastDecile || elapsed - _lastLine >= PlainInterval);
        if (!due || fraction >= 1) return; // 100 % is the summary's
        _lastDecile = decile;
        _lastLine = elapsed;
        _plain.WriteLine($"progress: {fraction * 100:0}%{(_schedule == null ? "" : " " + Describe(fraction, elapsed))}, ETA {Eta(fraction, elapsed)}");
    }

    /// <summary>The closing line: steps, simulated and wall time, steps/s and real-time factor.</summary>
    public void Finish(RunReport report)
    {
        var wall = report.WallTime.TotalSeconds;
        var simulated = (report.EndTime - (_schedule?.Start ?? report.EndTime)).Seconds;
        _plain.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"progress: done, {report.Statistics.Steps} steps to t={report.EndTime.Seconds:0.###} s in {wall:0.###} s wall ({Rate(report.Statistics.Steps, wall)} steps/s, real time x{Rate(simulated, wall)})"));
    }

    private string Describe(double fraction, TimeSpan elapsed)
    {
        if (_schedule is not { } schedule) return "running";
        var seconds = elapsed.TotalSeconds;
        var span = (schedule.Stop - schedule.Start).Seconds;
        var done = fraction - _firstFraction; // since the stopwatch started
        return string.Create(CultureInfo.InvariantCulture,
            $"t={schedule.Start.Seconds + fraction * span:0.###} of {schedule.Stop.Seconds:0.###} s, {Rate(done * schedule.StepCount, seconds)} steps/s, real time x{Rate(done * span, seconds)}");
    }

    private string Eta(double fraction, TimeSpan elapsed)
    {
        var done = fraction - _firstFraction;
        return done <= 0 ? "unknown" : TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds * (1 - fraction) / done)).ToString("c", CultureInfo.InvariantCulture);
    }

    private static string Rate(double amount, double seconds) =>
        seconds <= 0 ? "-" : (amount / seconds).ToString(amount / seconds >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
