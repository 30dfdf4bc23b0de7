using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;

namespace CoSim.Scripting;

/// <summary>
/// The only place that touches Roslyn: compiles a script to an assembly image. Kept apart from
/// <see cref="ScriptHost"/> so that a cache hit never loads the compiler's assemblies.
/// </summary>
internal static class ScriptCompiler
{
    /// <summary>The compiled image (PE with its portable PDB and sources embedded) and the submission's factory method.</summary>
    public sealed record Output(byte[] Image, string EntryType, string EntryMethod);

    public static Output Compile(string scriptPath, string text, ScriptHostOptions options)
    {
        var folder = Path.GetDirectoryName(scriptPath)!;
        var scriptOptions = ScriptOptions.Default
            .WithFilePath(scriptPath)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithImports(options.Imports)
            .AddReferences(References(options))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, folder))
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(folder))
            .WithEmitDebugInformation(true)
            // Unoptimized: every script frame stays on the stack, so a runtime error maps to its line.
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithAllowUnsafe(false);
        var script = CSharpScript.Create(text, scriptOptions, options.GlobalsType);
        var compilation = script.GetCompilation();
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new ScriptCompilationException(Format(errors));

        var embedded = compilation.SyntaxTrees
            .Select(t => t.GetText())
            .Zip(compilation.SyntaxTrees, (source, tree) => (source, tree))
            .Where(p => p.source.CanBeEmbedded && p.tree.FilePath.Length > 0)
            .Select(p => EmbeddedText.FromSource(p.tree.FilePath, p.source));
        using var pe = new MemoryStream();
        var emitted = compilation.Emit(pe, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded), embeddedTexts: embedded);
        if (!emitted.Success) throw new ScriptCompilationException(Format(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var entry = compilation.GetEntryPoint(CancellationToken.None)
                    ?? throw new InvalidOperationException($"{scriptPath}: the compiled script has no entry point");
        var type = entry.ContainingType;
        var typeName = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? $"{ns.ToDisplayString()}.{type.MetadataName}" : type.MetadataName;
        return new Output(pe.ToArray(), typeName, entry.MetadataName);
    }

    private static IEnumerable<MetadataReference> References(ScriptHostOptions options)
    {
        var assemblies = new HashSet<Assembly>
        {
            typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(List<>).Assembly, typeof(Console).Assembly,
            typeof(System.Runtime.GCSettings).Assembly, options.GlobalsType.Assembly,
        };
        foreach (var a in options.References) assemblies.Add(a);
        // What the globals' API exposes (e.g. a RunSpecification from another project) must resolve in the script too.
        foreach (var a in assemblies.ToList())
            foreach (var name in a.GetReferencedAssemblies())
                try
                {
                    assemblies.Add(Assembly.Load(name));
                }
                catch (FileNotFoundException)
                {
                    // A facade the runtime does not ship: nothing in the API can need it.
                }
        return assemblies.Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => MetadataReference.CreateFromFile(a.Location));
    }

    /// <summary><c>file:line:col: error CSxxxx: message</c>, in source order (file, then position).</summary>
    private static List<string> Format(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .Select(d => (span: d.Location.GetMappedLineSpan(), d))
            .OrderBy(p => p.span.Path, StringComparer.Ordinal).ThenBy(p => p.span.StartLinePosition.Line).ThenBy(p => p.span.StartLinePosition.Character)
            .Select(p => p.span.IsValid && p.span.Path.Length > 0
                ? $"{p.span.Path}:{p.span.StartLinePosition.Line + 1}:{p.span.StartLinePosition.Character + 1}: error {p.d.Id}: {p.d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"
                : $"error {p.d.Id}: {p.d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
}
