using System.CommandLine;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;

namespace CoSim.Cli.Commands;

/// <summary><c>--plugin PATH[:Type][=NAME]</c> and <c>--connect FROM=TO</c>: C# plugin components added to a run, and wired.</summary>
internal sealed class PluginOptions
{
    private readonly Option<string[]> _plugin = new("--plugin")
    {
        Description = "Add a component from a C# plugin assembly: PATH.dll[:Type][=NAME] (Type: the component type's name, needed when the assembly offers several; " +
                      "NAME: the instance name, default the type's name). Set its parameters with --set NAME.kp=2, wire it with --connect (repeatable). " +
                      "'cosim info PATH.dll' lists the types and their variables.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> _connect = new("--connect")
    {
        Description = "Connect an output to an input: Component.output=Component.input; replaces a connection the system already has to that input (repeatable).",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Add(_plugin);
        command.Add(_connect);
    }

    /// <summary>Adds the plugin components, then the connections, to <paramref name="spec"/>.</summary>
    public void Apply(ParseResult parse, RunSpecification spec)
    {
        foreach (var p in parse.GetValue(_plugin) ?? []) spec.Components.Add(new ComponentSpec(Request(p)) { Location = "--plugin " + p });
        foreach (var c in parse.GetValue(_connect) ?? [])
        {
            var (from, to) = CliOptions.SplitAssignment("--connect", c, "Component.output=Component.input");
            var target = Variable(c, to.Trim());
            spec.Connections.RemoveAll(x => x.To == target);
            spec.Connections.Add(new Connection(Variable(c, from), target));
        }
    }

    /// <summary>PATH[:Type][=NAME] as a request of kind plugin.</summary>
    internal static ComponentRequest Request(string text)
    {
        var eq = text.LastIndexOf('=');
        var name = eq > 0 ? text[(eq + 1)..].Trim() : null;
        var rest = eq > 0 ? text[..eq] : text;
        var colon = rest.LastIndexOf(':');
        string? type = null;
        if (colon > 0 && !rest[(colon + 1)..].Contains('/') && !rest[(colon + 1)..].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            type = rest[(colon + 1)..].Trim();
            rest = rest[..colon];
        }
        if (rest.Length == 0 || name is "" || type is "") throw new InputException($"--plugin '{text}': expected PATH.dll[:Type][=NAME]");
        if (OnnxInfo.Handles(rest))
            throw new InputException($"--plugin '{text}': {rest} is an ONNX model, not a plugin assembly: use --replace COMPONENT={rest} (in place of a component), " +
                                     "or Component(\"onnx\", ...) in a scenario script (docs/ml.md)");
        name ??= type != null ? type[(type.LastIndexOf('.') + 1)..] : Path.GetFileNameWithoutExtension(rest);
        var options = new Dictionary<string, string>();
        if (type != null) options["type"] = type;
        return new ComponentRequest(name, rest, "plugin") { Options = options };
    }

    private static VariableRef Variable(string option, string text)
    {
        var dot = text.IndexOf('.');
        if (dot <= 0 || dot == text.Length - 1) throw new InputException($"--connect '{option}': '{text}' is not Component.variable");
        return new VariableRef(text[..dot].Trim(), text[(dot + 1)..].Trim());
    }
}
