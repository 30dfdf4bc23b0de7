using CoSim.Core;

namespace CoSim.Fmi.ModelExchange;

/// <summary>One internal connection of a strongly coupled group: the accessors that move its value and the value set last.</summary>
internal sealed class GroupLink(InternalConnection connection, IValueAccessor from, IValueAccessor to, string text)
{
    public InternalConnection Connection { get; } = connection;

    /// <summary>"Member.output -> Member.input", for messages.</summary>
    public string Text { get; } = text;

    /// <summary>The value last written to the input (NaN before the first).</summary>
    public double Last { get; set; } = double.NaN;

    /// <summary>The output's value, through the connection's transform.</summary>
    public double Read()
    {
        Span<double> value = stackalloc double[1];
        from.Read(value);
        return Connection.Transform is { } transform ? transform.Apply(value[0]) : value[0];
    }

    /// <summary>Sets the input to <paramref name="value"/> (<see cref="Last"/> is the caller's to keep).</summary>
    public void Write(double value)
    {
        Span<double> buffer = stackalloc double[1];
        buffer[0] = value;
        to.Write(buffer);
    }
}
