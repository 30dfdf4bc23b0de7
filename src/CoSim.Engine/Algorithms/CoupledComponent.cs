using System.Diagnostics;
using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Algorithms;

/// <summary>
/// A compiled connection into one input slot: <c>input = Factor * source.Outputs[SourceSlot] + Offset</c>.
/// <paramref name="Continuous"/> is false for a discrete (sampled, piecewise-constant) source: its
/// jumps are events, not coupling error a smaller step would reduce. <paramref name="Feedthrough"/>
/// is true when the input feeds some output of its own component directly.
/// </summary>
public readonly record struct Incoming(CoupledComponent Source, int SourceSlot, int TargetSlot, double Factor, double Offset, bool Continuous = true, bool Feedthrough = true);

/// <summary>
/// A component as the master algorithms see it: one buffer of the inputs the engine manages
/// (connected inputs and inputs written by manipulators) and one of the outputs it reads
/// (connected outputs and every observed variable), each moved in one batched call, so that a
/// step allocates nothing and every value crosses the native boundary once.
/// <para>
/// Input precedence, per input slot and every time the inputs are computed: the connection's
/// value (or, unconnected, the last value a manipulator set, else the start value), then the
/// manipulator's override if one is installed.
/// </para>
/// <para>
/// The buffers are the engine's working state and change only through the phase methods the algorithms call:
/// compute and write the inputs (<see cref="ComputeInputs"/> and its variants, <see cref="WriteInputs"/>,
/// <see cref="Hold"/>), step (<see cref="Step"/>), read the outputs, published at once (<see cref="ReadOutputs()"/>)
/// or kept pending until every component of a parallel step has stepped (<see cref="ReadPendingOutputs"/>,
/// <see cref="PublishPendingOutputs"/>).
/// </para>
/// </summary>
public sealed class CoupledComponent
{
    private readonly IInputOverride?[] _overrides;
    private readonly bool[] _connected;
    private int _overrideCount;

    internal CoupledComponent(SystemComponent component, int index, int[] inputVars, bool[] connected, int[] outputVars)
    {
        Component = component;
        Instance = component.Instance;
        Index = index;
        InputVars = inputVars;
        OutputVars = outputVars;
        Inputs = new double[inputVars.Length];
        ManipulatedInputs = new double[inputVars.Length];
        HeldInputs = new double[inputVars.Length];
        _connected = connected;
        _overrides = new IInputOverride?[inputVars.Length];
        Outputs = new double[outputVars.Length];
        PendingOutputs = new double[outputVars.Length];
        SweepStartOutputs = new double[outputVars.Length];
        InputAccessor = Instance.CreateAccessor(inputVars);
        OutputAccessor = Instance.CreateAccessor(outputVars);
        Multiple = component.StepMultiple;
    }

    public SystemComponent Component { get; }
    /// <summary>The component itself.</summary>
    public IComponent Instance { get; }
    /// <summary>Position in the system's component list.</summary>
    public int Index { get; }
    public string Name => Instance.Name;
    /// <summary>Variable indices of the managed inputs, ascending.</summary>
    public int[] InputVars { get; }
    /// <summary>Variable indices of the read outputs (connected or observed), ascending.</summary>
    public int[] OutputVars { get; }
    /// <summary>Values of the managed inputs, as last computed (and written to the component).</summary>
    internal double[] Inputs { get; }
    /// <summary>Unconnected inputs: the value a manipulator last set (initially the start value).</summary>
    internal double[] ManipulatedInputs { get; }
    /// <summary>Published values of the read outputs: what consumers and observers see.</summary>
    internal double[] Outputs { get; }
    /// <summary>Outputs read after a parallel step, published once every component has stepped.</summary>
    internal double[] PendingOutputs { get; }
    /// <summary>The published outputs at the start of the current system step (Gauss-Seidel's mean hold).</summary>
    internal double[] SweepStartOutputs { get; }
    /// <summary>Whether the component has already stepped in the current Gauss-Seidel sweep.</summary>
    internal bool SteppedThisSweep { get; private set; }
    /// <summary>The inputs written at the start of the component's current step and held over it.</summary>
    internal double[] HeldInputs { get; }
    internal IValueAccessor InputAccessor { get; }
    internal IValueAccessor OutputAccessor { get; }
    public Incoming[] Incoming { get; internal set; } = [];
    /// <summary>Multi-rate: the component steps every <c>Multiple</c> base steps.</summary>
    public int Multiple { get; }
    /// <summary>Whether some connected output depends directly on some connected input.</summary>
    public bool HasFeedthrough { get; internal set; }
    /// <summary>
    /// Whether some output the engine reads (connected or observed) depends directly on a connected input:
    /// after a step, its inputs at the new point must be written before its outputs are read again.
    /// </summary>
    public bool RefreshAfterStep { get; internal set; }
    /// <summary>Stopwatch ticks spent inside <see cref="IComponent.Step"/> (when profiled).</summary>
    internal long StepTicks { get; private set; }
    /// <summary>Result of the last <see cref="Step"/> (read after the parallel section).</summary>
    internal StepResult LastResult { get; private set; }

    /// <summary>Slot of a managed input variable, or -1.</summary>
    public int InputSlot(int variable) => Array.BinarySearch(InputVars, variable) is var i and >= 0 ? i : -1;

    /// <summary>Slot of a read output variable, or -1.</summary>
    public int OutputSlot(int variable) => Array.BinarySearch(OutputVars, variable) is var i and >= 0 ? i : -1;

    /// <summary>Whether the slot's input has a connection.</summary>
    public bool IsConnected(int slot) => _connected[slot];

    /// <summary>Remembers the published outputs at the start of a Gauss-Seidel sweep.</summary>
    internal void BeginSweep()
    {
        Outputs.AsSpan().CopyTo(SweepStartOutputs);
        SteppedThisSweep = false;
    }

    /// <summary>
    /// Steps the component from <paramref name="from"/> to <paramref name="to"/> (<see cref="Stepping.Step"/>: early returns
    /// continued) and keeps the result in <see cref="LastResult"/>; with <paramref name="profile"/> the time inside is added
    /// to <see cref="StepTicks"/> (two clock reads a step, kept off the hot path unless asked for).
    /// </summary>
    internal StepResult Step(SimTime from, SimTime to, bool profile)
    {
        var start = profile ? Stopwatch.GetTimestamp() : 0;
        LastResult = Stepping.Step(Instance, from, to);
        if (profile) StepTicks += Stopwatch.GetTimestamp() - start;
        return LastResult;
    }

    /// <summary>A Gauss-Seidel step done: the outputs are read (published at once) and later consumers of this sweep may hold their mean.</summary>
    internal void EndSweepStep()
    {
        ReadOutputs();
        SteppedThisSweep = true;
    }

    /// <summary>Computes the managed inputs at <paramref name="time"/> from the providers' published outputs.</summary>
    internal void ComputeInputs(SimTime time)
    {
        foreach (var c in Incoming)
            Inputs[c.TargetSlot] = c.Factor * c.Source.Outputs[c.SourceSlot] + c.Offset;
        if (_overrideCount > 0) ApplyOverrides(time);
    }

    /// <summary>
    /// Gauss-Seidel with the mean hold: a continuous input whose provider has already stepped in this
    /// sweep, and that does not feed an output of this component directly, holds the mean of the
    /// provider's outputs at both ends of the step (the best constant approximation of a signal known
    /// at t and t+h); other inputs are as <see cref="ComputeInputs"/>. A feedthrough input must see the
    /// provider's end value, or a direct-feedthrough chain would not reproduce its source.
    /// </summary>
    internal void ComputeInputsMeanHold(SimTime time)
    {
        foreach (var c in Incoming)
        {
            var end = c.Source.Outputs[c.SourceSlot];
            var mean = c.Continuous && !c.Feedthrough && c.Source.SteppedThisSweep && Multiple == 1 && c.Source.Multiple == 1;
            var value = mean ? 0.5 * (c.Source.SweepStartOutputs[c.SourceSlot] + end) : end;
            Inputs[c.TargetSlot] = c.Factor * value + c.Offset;
        }
        if (_overrideCount > 0) ApplyOverrides(time);
    }

    /// <summary>Computes the inputs from the providers' outputs read after this step, not yet published (<see cref="PendingOutputs"/>).</summary>
    internal void ComputeInputsFromPending(SimTime time)
    {
        foreach (var c in Incoming)
            Inputs[c.TargetSlot] = c.Factor * c.Source.PendingOutputs[c.SourceSlot] + c.Offset;
        if (_overrideCount > 0) ApplyOverrides(time);
    }

    /// <summary>The value a connected input takes for a given incoming value (its override applied); used by the loop solver.</summary>
    internal double InputValue(int slot, double incoming, SimTime time) =>
        _overrides[slot] is { } o ? o.Apply(time, incoming) : incoming;

    /// <summary>Sets an unconnected input's value (it holds until set again); for a connected input the connection wins.</summary>
    internal void SetBase(int slot, double value)
    {
        ManipulatedInputs[slot] = value;
        if (!_connected[slot] && _overrides[slot] == null) Inputs[slot] = value;
    }

    /// <summary>Installs or removes an input override.</summary>
    internal void SetOverride(int slot, IInputOverride? o)
    {
        if (_overrides[slot] != null) _overrideCount--;
        _overrides[slot] = o;
        if (o != null) _overrideCount++;
        else if (!_connected[slot]) Inputs[slot] = ManipulatedInputs[slot];
    }

    private void ApplyOverrides(SimTime time)
    {
        for (var s = 0; s < _overrides.Length; s++)
            if (_overrides[s] is { } o)
                Inputs[s] = o.Apply(time, _connected[s] ? Inputs[s] : ManipulatedInputs[s]);
    }

    /// <summary>Reads the managed inputs' current values (start values) into <see cref="ManipulatedInputs"/> and <see cref="Inputs"/>.</summary>
    internal void ReadStartInputs()
    {
        if (InputVars.Length == 0) return;
        InputAccessor.Read(ManipulatedInputs);
        ManipulatedInputs.AsSpan().CopyTo(Inputs);
    }

    /// <summary>Records the inputs just written as the values held over the step.</summary>
    internal void Hold() => Inputs.AsSpan().CopyTo(HeldInputs);

    /// <summary>
    /// The coupling error of the step just taken: the largest change of a connected input between the value
    /// held over the step and its value at the step end (from the providers' <see cref="Outputs"/>, or
    /// <see cref="PendingOutputs"/> when <paramref name="fromPending"/>), relative to 1 + |held value|. NaN gives infinity.
    /// </summary>
    internal double HeldInputChange(bool fromPending)
    {
        var worst = 0.0;
        foreach (var c in Incoming)
        {
            if (!c.Continuous) continue;
            var source = fromPending ? c.Source.PendingOutputs : c.Source.Outputs;
            var held = HeldInputs[c.TargetSlot];
            var change = Math.Abs(c.Factor * source[c.SourceSlot] + c.Offset - held) / (1 + Math.Abs(held));
            if (double.IsNaN(change)) return double.PositiveInfinity;
            if (change > worst) worst = change;
        }
        return worst;
    }

    /// <summary>Writes the managed inputs to the component.</summary>
    internal void WriteInputs()
    {
        if (Inputs.Length > 0) InputAccessor.Write(Inputs);
    }

    /// <summary>Reads the outputs and publishes them at once (<see cref="Outputs"/>).</summary>
    internal void ReadOutputs() => Read(Outputs);

    /// <summary>Reads the outputs after a parallel step, unpublished until <see cref="PublishPendingOutputs"/>.</summary>
    internal void ReadPendingOutputs() => Read(PendingOutputs);

    /// <summary>Publishes the outputs read by <see cref="ReadPendingOutputs"/>.</summary>
    internal void PublishPendingOutputs() => PendingOutputs.AsSpan().CopyTo(Outputs);

    private void Read(double[] into)
    {
        if (into.Length > 0) OutputAccessor.Read(into);
    }

    /// <summary>The managed input in <paramref name="slot"/> as last computed (the loop solver's start).</summary>
    internal double Input(int slot) => Inputs[slot];

    /// <summary>Sets the managed input in <paramref name="slot"/> (the loop solver's iterate; written by <see cref="WriteInputs"/>).</summary>
    internal void SetInput(int slot, double value) => Inputs[slot] = value;

    public string InputName(int slot) => $"{Name}.{Instance.Variables[InputVars[slot]].Name}";
    public string OutputName(int slot) => $"{Name}.{Instance.Variables[OutputVars[slot]].Name}";
}
