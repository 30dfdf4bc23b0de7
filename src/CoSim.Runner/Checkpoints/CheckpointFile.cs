using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoSim.Core;
using CoSim.Engine.Execution;

namespace CoSim.Runner.Checkpoints;

/// <summary>
/// What a checkpoint file says about itself: which CoSim build wrote it (a checkpoint is read only by the same
/// build: its blocks are the build's own formats), the run it belongs to as its provenance (arguments, folder,
/// components and input files with their SHA-256, schedule), and the time and step it was taken at.
/// </summary>
public sealed record CheckpointManifest
{
    public int Format { get; init; } = CheckpointFile.Format;
    /// <summary>Identifies the build: the module version ids of CoSim's assemblies, hashed (see <see cref="CheckpointFile.BuildId"/>).</summary>
    public string Build { get; init; } = "";
    public string CosimVersion { get; init; } = "";
    public double Time { get; init; }
    public long TimeTicks { get; init; }
    public long StepIndex { get; init; }
    public long PayloadBytes { get; init; }
    public string PayloadSha256 { get; init; } = "";
    public DateTime CreatedUtc { get; init; }
    /// <summary>The run: its command line, folder, result file, components, inputs and schedule (as the result's provenance has them).</summary>
    public required Provenance Run { get; init; }
}

/// <summary>
/// A checkpoint file: a first line <c>COSIM-CHECKPOINT 1</c>, the manifest as one line of JSON
/// (<see cref="CheckpointManifest"/>), then the <see cref="SystemCheckpoint"/>'s bytes. Written to a temporary file
/// in the same folder and renamed over the target, so that a crash while writing leaves the previous checkpoints whole.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The file format this build writes and reads.</summary>
    public const int Format = 1;

    private const string Magic = "COSIM-CHECKPOINT 1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// This build's identity: SHA-256 of the module version ids of the CoSim assemblies that write checkpoint blocks
    /// (a deterministic build gives the same ids for the same sources; any change of code gives others), first 16 hex digits.
    /// </summary>
    public static string BuildId { get; } = ComputeBuildId();

    private static string ComputeBuildId()
    {
        Type[] anchors =
        [
            typeof(ICheckpointable), typeof(SystemExecution), typeof(CheckpointFile), typeof(Fmi.FmuComponentFactory),
            typeof(Results.CsvRecorder), typeof(Telemetry.Replay.ReplayInput), typeof(Isolation.IsolatedFmuComponent), typeof(Plugins.Sdk.PluginComponent),
        ];
        var ids = string.Join(",", anchors.Select(t => t.Assembly).Distinct().Select(a => a.ManifestModule.ModuleVersionId));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..16];
    }

    /// <summary>The file name of the checkpoint at <paramref name="time"/>: <c>t=150.ckpt</c> (seconds, shortest round-trip form).</summary>
    public static string NameAt(SimTime time) => $"t={time.Seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.ckpt";

    /// <summary>Writes <paramref name="checkpoint"/> with its manifest to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static CheckpointManifest Write(string path, SystemCheckpoint checkpoint, Provenance run)
    {
        byte[] payload;
        using (var buffer = new MemoryStream())
        {
            using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) checkpoint.WriteTo(w);
            payload = buffer.ToArray();
        }
        var manifest = new CheckpointManifest
        {
            Build = BuildId,
            CosimVersion = Provenance.Version,
            Time = checkpoint.Time.Seconds,
            TimeTicks = checkpoint.Time.Ticks,
            StepIndex = checkpoint.StepIndex,
            PayloadBytes = payload.Length,
            PayloadSha256 = Convert.ToHexStringLower(SHA256.HashData(payload)),
            CreatedUtc = DateTime.UtcNow,
            Run = run,
        };
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(Encoding.UTF8.GetBytes(Magic + "\n" + JsonSerializer.Serialize(manifest, Json) + "\n"));
                file.Write(payload);
                file.Flush(flushToDisk: true); // the rename must not reach the disk before the content
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        return manifest;
    }

    /// <summary>Reads the manifest only (fast: the payload is not read).</summary>
    public static CheckpointManifest ReadManifest(string path) => Read(path, withPayload: false).Manifest;

    /// <summary>Reads a checkpoint; throws <see cref="InputException"/> naming the file and what is wrong.</summary>
    public static (CheckpointManifest Manifest, SystemCheckpoint? Checkpoint) Read(string path, bool withPayload = true)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such checkpoint file");
        using var file = File.OpenRead(path);
        var magic = ReadLine(file, 64);
        if (magic != Magic) throw new InputException($"{path}: not a CoSim checkpoint (first line '{Shorten(magic)}', expected '{Magic}')");
        CheckpointManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(ReadLine(file, 16 << 20) ?? "", Json)
                       ?? throw new InputException($"{path}:2: empty checkpoint manifest");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}:2: the checkpoint manifest is not valid JSON: {e.Message}");
        }
        if (manifest.Format != Format) throw new InputException($"{path}: checkpoint format {manifest.Format}; this CoSim reads format {Format}");
        if (!withPayload) return (manifest, null);
        var payload = new byte[file.Length - file.Position];
        file.ReadExactly(payload);
        if (payload.Length != manifest.PayloadBytes || Convert.ToHexStringLower(SHA256.HashData(payload)) != manifest.PayloadSha256)
            throw new InputException($"{path}: the checkpoint is damaged ({payload.Length} bytes after the manifest, {manifest.PayloadBytes} expected, or their SHA-256 differs)");
        using var r = new BinaryReader(new MemoryStream(payload));
        return (manifest, SystemCheckpoint.ReadFrom(r, path));
    }

    /// <summary>
    /// Why this build cannot resume <paramref name="manifest"/> (read from <paramref name="path"/>): another CoSim build, or an input
    /// (system file, FMU or other component file, input table, replayed file) that changed since; null: it can.
    /// </summary>
    public static string? Refusal(string path, CheckpointManifest manifest)
    {
        if (manifest.Build != BuildId)
            return $"{path}: written by another CoSim build ({manifest.CosimVersion}, build {manifest.Build}); this is {Provenance.Version}, build {BuildId}: " +
                   "a checkpoint is resumed by the build that wrote it";
        var run = manifest.Run;
        string InFolder(string p) => Path.Combine(run.WorkingDirectory, p);
        var files = new List<(string What, ProvenanceFile File)>();
        if (run.SystemFile != null) files.Add(("system file", run.SystemFile));
        files.AddRange(run.Components.Where(c => c.Source != null && c.Sha256 != null).Select(c => ($"component '{c.Name}' ({c.Kind})", new ProvenanceFile(c.Source!, c.Sha256))));
        files.AddRange(run.Inputs.Select(i => ("input file", i)));
        foreach (var (what, file) in files)
        {
            if (file.Sha256 == null) continue;
            var full = InFolder(file.Path);
            if (!File.Exists(full)) return $"{path}: {what} {full} is gone";
            var now = Provenance.Sha256Of(full);
            if (now != file.Sha256) return $"{path}: {what} {full} changed since the checkpoint (SHA-256 {file.Sha256[..12]}... then, {now[..12]}... now)";
        }
        return null;
    }

    private static string? ReadLine(Stream s, int max)
    {
        var bytes = new List<byte>();
        for (int b; (b = s.ReadByte()) >= 0;)
        {
            if (b == '\n') return Encoding.UTF8.GetString(bytes.ToArray());
            if (bytes.Count >= max) break;
            bytes.Add((byte)b);
        }
        return bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string Shorten(string? s) => s == null ? "" : s.Length > 40 ? s[..40] + "..." : s;
}
