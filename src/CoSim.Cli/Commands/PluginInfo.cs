using System.Runtime.CompilerServices;
using CoSim.Core;
using CoSim.Plugins;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim info|validate PLUGIN.dll</c>: a plugin assembly's component types and their variables, as for an FMU.</summary>
internal static class PluginInfo
{
    /// <summary>Whether the path names a plugin assembly rather than an FMU.</summary>
    public static bool IsPlugin(string path) => PluginAssembly.LooksLikePlugin(path);

    /// <summary>Prints every component type with its variables; exit code 0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Info(string path)
    {
        using var assembly = PluginAssembly.Open(path);
        Console.WriteLine($"Plugin         {assembly.AssemblyName} ({assembly.Path})");
        Console.WriteLine($"Types          {string.Join(", ", assembly.ComponentTypes.Select(t => t.FullName))}");
        foreach (var type in assembly.ComponentTypes)
        {
            using var component = assembly.CreateInstance(type, type.Name);
            Console.WriteLine();
            Console.WriteLine($"Component      {type.FullName}");
            if (type.Description != null) Console.WriteLine($"Description    {type.Description}");
            Console.WriteLine($"State          {(((IComponent)component).CanSaveState ? "get/set state (variable step, rollback)" : "cannot save state")}");
            var rows = component.Variables.Select(v => new[]
            {
                v.Name, v.TypeName, Lower(v.Role), v.Role == VariableRole.Parameter ? "tunable" : v.IsContinuous ? "continuous" : "discrete", v.Start ?? "", v.Unit ?? "", v.Description ?? "",
            }).ToList();
            Table.Print(["Variable", "Type", "Causality", "Variability", "Start", "Unit", "Description"], rows);
        }
        return CliOptions.Success;
    }

    /// <summary>Loads the assembly and makes one instance of each type; exit code 0 when all can run, 1 when one cannot.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Validate(string path)
    {
        PluginAssembly assembly;
        try
        {
            assembly = PluginAssembly.Open(path);
        }
        catch (InputException e) when (File.Exists(path))
        {
            Console.WriteLine("error: " + e.Message);
            Console.WriteLine($"{path}: cannot run (1 error, 0 warnings)");
            return CliOptions.Failed;
        }
        using (assembly)
        {
            var errors = new List<string>();
            foreach (var type in assembly.ComponentTypes)
            {
                try
                {
                    using var component = assembly.CreateInstance(type, type.Name);
                    if (component.Variables.Count == 0) errors.Add($"{type.FullName}: declares no variable");
                }
                catch (InputException e)
                {
                    errors.Add(e.Message);
                }
            }
            foreach (var e in errors) Console.WriteLine("error: " + e);
            var types = assembly.ComponentTypes.Count;
            Console.WriteLine(errors.Count == 0
                ? $"{path}: can run ({types} component type{(types == 1 ? "" : "s")}, 0 warnings)"
                : $"{path}: cannot run ({errors.Count} error{(errors.Count == 1 ? "" : "s")}, 0 warnings)");
            return errors.Count == 0 ? CliOptions.Success : CliOptions.Failed;
        }
    }

    private static string Lower(VariableRole role)
    {
        var s = role.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }
}
