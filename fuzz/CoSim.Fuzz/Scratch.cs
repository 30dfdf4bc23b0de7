namespace CoSim.Fuzz;

/// <summary>A private temporary folder for targets whose reader takes a path; emptied before each input, removed at the end.</summary>
internal sealed class Scratch : IDisposable
{
    public Scratch()
    {
        Root = Path.Combine(Path.GetTempPath(), $"cosim-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Empties the folder and writes <paramref name="input"/> to <paramref name="name"/> in it; returns the file's path.</summary>
    public string Write(Stream input, string name)
    {
        Clear();
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        input.CopyTo(file);
        return path;
    }

    /// <summary>A fresh empty folder inside the scratch folder.</summary>
    public string Folder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private void Clear()
    {
        foreach (var d in Directory.GetDirectories(Root)) Directory.Delete(d, recursive: true);
        foreach (var f in Directory.GetFiles(Root)) File.Delete(f);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
