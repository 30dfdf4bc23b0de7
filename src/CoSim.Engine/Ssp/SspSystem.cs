using CoSim.Engine.Systems;

namespace CoSim.Engine.Ssp;

/// <summary>A system imported from SSP, with the default experiment of its SystemStructure.ssd.</summary>
public sealed class SspSystem(string name, SystemModel system, double? startTime, double? stopTime) : IDisposable
{
    public string Name { get; } = name;
    public SystemModel System { get; } = system;
    public double? StartTime { get; } = startTime;
    public double? StopTime { get; } = stopTime;

    /// <summary>Problems found while reading that did not stop the import (unsupported elements that were skipped).</summary>
    public List<string> Warnings { get; } = [];

    public void Dispose() => System.Dispose();
}
