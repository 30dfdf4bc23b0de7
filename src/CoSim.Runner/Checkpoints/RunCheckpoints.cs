using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Results;

namespace CoSim.Runner.Checkpoints;

/// <summary>
/// A session's checkpoints: writing them during the run (<c>--checkpoint-every T --checkpoint-dir D</c>: files
/// <c>D/t=150.ckpt</c>) and resuming from one (<c>--resume-from FILE</c>, what <c>cosim resume</c> adds to the
/// recorded arguments). Resuming into the run's own result file moves it aside first (<c>RESULT.resuming</c>),
/// so that the new file starts with its rows up to the checkpoint and the rows after it are written again.
/// </summary>
internal sealed class RunCheckpoints
{
    private const string ResumeOption = "--resume-from";
    private readonly RunOverrides _overrides;
    private readonly IReadOnlyList<string>? _commandLine;
    private string? _movedAside, _movedFrom;
    private Provenance? _run;
    private int _written;
    private long _bytes;
    private TimeSpan _capture, _write;

    private RunCheckpoints(RunOverrides overrides, IReadOnlyList<string>? commandLine)
    {
        _overrides = overrides;
        _commandLine = commandLine;
    }

    /// <summary>The checkpoint to resume from (null: start from the start).</summary>
    public SystemCheckpoint? Resume { get; private set; }

    /// <summary>The earlier result whose rows up to the checkpoint the resumed result starts with.</summary>
    public string? EarlierResult { get; private set; }

    /// <summary>Reads and checks what the overrides ask for, before anything is prepared; <paramref name="spec"/>'s output is known.</summary>
    public static RunCheckpoints Open(RunOverrides overrides, RunSpecification spec, IReadOnlyList<string>? commandLine)
    {
        var c = new RunCheckpoints(overrides, commandLine);
        if (overrides.CheckpointEvery is { } every)
        {
            if (overrides.CheckpointDirectory is not { } dir) throw new InputException("--checkpoint-every needs --checkpoint-dir (the folder for the t=T.ckpt files)");
            if (every <= 0 || !double.IsFinite(every)) throw new InputException($"--checkpoint-every {every.ToString("R", CultureInfo.InvariantCulture)}: must be a positive number of seconds");
            if (File.Exists(dir)) throw new InputException($"--checkpoint-dir {dir}: is a file, not a folder");
        }
        else if (overrides.CheckpointDirectory != null) throw new InputException("--checkpoint-dir is used with --checkpoint-every T");
        if (overrides.ResumeFrom is { } path)
        {
            var (manifest, checkpoint) = CheckpointFile.Read(path);
            if (CheckpointFile.Refusal(path, manifest) is { } refusal) throw new InputException(refusal);
            c.Resume = checkpoint;
            var earlier = Path.GetFullPath(Path.Combine(manifest.Run.WorkingDirectory, manifest.Run.Result));
            if (!File.Exists(earlier)) throw new InputException($"{path}: the run's result file {earlier} is gone: its rows up to t={manifest.Time} s cannot be kept");
            c.EarlierResult = earlier;
            if (spec.Output != null && Path.GetFullPath(spec.Output) == earlier)
            {
                // The recorder creates its file anew: keep the rows to continue from under another name until the run is over.
                c._movedFrom = earlier;
                c._movedAside = earlier + ".resuming";
                File.Move(earlier, c._movedAside, overwrite: true);
                c.EarlierResult = c._movedAside;
            }
        }
        return c;
    }

    /// <summary>The engine's checkpoint policy (null without <c>--checkpoint-every</c>); <paramref name="run"/> gives the provenance once prepared.</summary>
    public CheckpointPolicy? Policy(Func<PreparedRun> run)
    {
        if (_overrides.CheckpointEvery is not { } every) return null;
        var dir = _overrides.CheckpointDirectory!;
        Directory.CreateDirectory(dir);
        var started = DateTime.UtcNow;
        return new CheckpointPolicy(SimTime.FromSeconds(every), checkpoint =>
        {
            var prepared = run();
            _run ??= Provenance.Of(prepared.Specification, prepared.Schedule, WithoutResume(_commandLine ?? ["cosim"]), started, started, null, null) with { Outcome = "running" };
            var writing = System.Diagnostics.Stopwatch.GetTimestamp();
            var file = Path.Combine(dir, CheckpointFile.NameAt(checkpoint.Time));
            CheckpointFile.Write(file, checkpoint, _run);
            _write += System.Diagnostics.Stopwatch.GetElapsedTime(writing);
            _capture += checkpoint.CaptureTime;
            _bytes += new FileInfo(file).Length;
            _written++;
        });
    }

    /// <summary>The summary lines: checkpoints written (count, size, time to take and to write each), the restore of a resumed run.</summary>
    public IEnumerable<string> Summary(PreparedRun run)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (Resume != null && run.Execution.RestoreTime is { } restore)
            yield return $"resumed from the checkpoint at t={Resume.Time.Seconds.ToString("R", CultureInfo.InvariantCulture)} s (restored in {Ms(restore)} ms)";
        if (_written > 0)
            yield return $"checkpoints: {_written} written to {_overrides.CheckpointDirectory} ({(_bytes / _written).ToString(CultureInfo.InvariantCulture)} bytes each; " +
                         $"taken in {Ms(_capture / _written)} ms, written in {Ms(_write / _written)} ms on average)";
    }

    /// <summary>Hands the earlier rows to the resumed run's recorder; a recorder that cannot continue a file is refused.</summary>
    public void Attach(PreparedRun run)
    {
        if (Resume == null) return;
        switch (run.Recorder)
        {
            case CsvRecorder csv:
                csv.ContinueFrom = EarlierResult;
                break;
            case null:
                break;
            default:
                throw new InputException($"resuming into {run.Recorder.Path}: only CSV results can be continued from a checkpoint");
        }
    }

    /// <summary>The run could not be prepared: the result moved aside is put back as it was.</summary>
    public void Abandon()
    {
        if (_movedAside == null) return;
        File.Move(_movedAside, _movedFrom!, overwrite: true);
        _movedAside = null;
    }

    /// <summary>
    /// After the run: the result moved aside is deleted when the run succeeded (the new file holds its rows); after a
    /// failure it stays as <c>RESULT.resuming</c> (the checkpoint can be resumed again from it), said in <paramref name="log"/>.
    /// </summary>
    public void Finish(bool succeeded, ILogSink log, string source)
    {
        if (_movedAside == null) return;
        if (succeeded) File.Delete(_movedAside);
        else
        {
            // A later 'cosim resume' reads the rows from the file the checkpoint names: put the earlier rows back there.
            File.Move(_movedAside, _movedFrom!, overwrite: true);
            log.Log(LogLevel.Warning, source, $"the resumed run failed: {_movedFrom} holds the rows up to the checkpoint again (resume again once the cause is fixed)");
        }
        _movedAside = null;
    }

    /// <summary>The command line without <c>--resume-from FILE</c>: what a checkpoint records as its run.</summary>
    private static List<string> WithoutResume(IReadOnlyList<string> commandLine)
    {
        var result = new List<string>();
        for (var i = 0; i < commandLine.Count; i++)
        {
            if (commandLine[i] == ResumeOption) i++;
            else if (!commandLine[i].StartsWith(ResumeOption + "=", StringComparison.Ordinal)) result.Add(commandLine[i]);
        }
        return result;
    }
}
