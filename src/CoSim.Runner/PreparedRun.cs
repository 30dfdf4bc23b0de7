using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Isolation;
using CoSim.Results;
using CoSim.Telemetry.Replay;

namespace CoSim.Runner;

/// <summary>
/// A <see cref="RunSpecification"/> made real: its components created through the registry, the
/// system validated, input tables and the result recorder attached, the defaults applied, and the
/// one <see cref="SystemExecution"/> ready to run. Every problem of the specification, the
/// components, the system, the inputs and the recording is reported at once, in one
/// <see cref="InputException"/>. Disposing releases the components and closes the result file.
/// </summary>
public sealed class PreparedRun : IDisposable
{
    private PreparedRun(RunSpecification spec, SystemModel system, StepSchedule schedule, SystemExecution execution, IResultRecorder? recorder)
    {
        Specification = spec;
        System = system;
        Schedule = schedule;
        Execution = execution;
        Recorder = recorder;
    }

    /// <summary>What was asked for.</summary>
    public RunSpecification Specification { get; }

    /// <summary>The system of components (owned: disposed with this run).</summary>
    public SystemModel System { get; }

    /// <summary>Start, stop and step in force.</summary>
    public StepSchedule Schedule { get; }

    /// <summary>The execution; its report says how the run ended.</summary>
    public SystemExecution Execution { get; }

    /// <summary>The result file's recorder, when the specification names an output.</summary>
    public IResultRecorder? Recorder { get; }

    /// <summary>The component factories every front end ships with: FMUs, in process or isolated in a host process; ONNX models; C# plugins.</summary>
    public static ComponentRegistry DefaultRegistry() => new ComponentRegistry().Register(new IsolatingFmuComponentFactory())
        .Register(new CoSim.Ml.OnnxComponentFactory()).Register(new CoSim.Plugins.PluginComponentFactory());

    /// <summary>Runs to the end (or until stopped, or a failure, which is thrown after the results are flushed).</summary>
    public RunReport Run(CancellationToken cancel = default) => Execution.Run(cancel);

    /// <summary>Builds the run; throws <see cref="InputException"/> listing every problem found.</summary>
    public static PreparedRun Prepare(RunSpecification spec, ComponentRegistry registry, ILogSink log, Action<double>? progress = null,
        CheckpointPolicy? checkpoints = null, SystemCheckpoint? resume = null)
    {
        var problems = spec.Problems().ToList();
        var system = new SystemModel();
        IResultRecorder? recorder = null;
        try
        {
            var strong = new StrongGrouping(spec);
            foreach (var c in spec.Components)
            {
                try
                {
                    var member = strong.IsMember(c.Name);
                    var unit = c.Instance ?? registry.Create(member ? strong.MemberRequest(c.Request!) : c.Request!, log);
                    if (member) strong.Collect(c.Name, unit);
                    else system.Add(new SystemComponent(unit, spec.SystemUnits) { StepMultiple = c.StepMultiple });
                }
                catch (InputException e)
                {
                    problems.Add($"{(c.Location != null ? c.Location + ": " : "")}component '{c.Name}': {e.Message}");
                }
            }
            foreach (var group in strong.Build(spec, spec.SystemUnits, problems)) system.Add(new SystemComponent(group, spec.SystemUnits));
            if (system.Components.Count < strong.ComponentCount(spec))
            {
                strong.DisposeLeftovers();
                throw Problems(spec, problems);
            }

            foreach (var conn in spec.Connections.Where(c => !strong.IsInternal(c))) system.Connect(strong.Map(conn.From), strong.Map(conn.To), conn.Transform);
            foreach (var p in spec.Parameters) system.SetParameter(strong.Map(p.Target), p.Value);
            StepSchedule schedule = default;
            try
            {
                schedule = RunDefaults.Schedule(spec, system.Components.Select(c => c.Instance).ToList());
            }
            catch (InputException e)
            {
                problems.Add(e.Message);
            }

            // One planning pass: each observer and manipulator is attached here, once; the execution keeps their handles.
            var plan = new ExecutionPlan(system);
            foreach (var o in spec.Observers) plan.Observe(o);
            var single = system.Components.Count == 1 ? system.Components[0].Name : null;
            foreach (var input in spec.Inputs)
            {
                try
                {
                    plan.Manipulate(new TableInput(InputTable.Load(input.Path), input.Path, input.Component ?? single));
                }
                catch (InputException e)
                {
                    problems.Add(e.Message);
                }
            }
            foreach (var m in spec.Manipulators) plan.Manipulate(m);
            problems.AddRange(plan.Problems);

            // Inputs that a table or a scenario drives are not "unconnected".
            var validation = system.Validate(plan.DrivenInputs);
            problems.AddRange(validation.Errors.Select(e => e.Message));
            // A broken system is shown whole: its warnings (e.g. unconnected inputs) often explain its errors.
            if (validation.Errors.Any())
                foreach (var w in validation.Warnings.Select(w => w.Message).Distinct()) log.Log(LogLevel.Warning, spec.Name, w);

            var signals = SignalSelection.Select(system, spec.Record.Select(strong.MapGlob).ToList(), problems);
            try
            {
                if (spec.Output != null) ResultRecorders.FormatOf(spec.Output, spec.OutputFormat);
            }
            catch (InputException e)
            {
                problems.Add(e.Message);
            }
            if (problems.Count > 0) throw Problems(spec, problems);
            // Warnings only for a run that goes ahead, each once: an error is then the one line the user sees.
            var warnings = system.Components.SelectMany(c => c.Instance.Warnings.Select(w => (Source: c.Name, Text: w)))
                .Concat(validation.Warnings.Select(w => (Source: spec.Name, Text: w.Message))).Distinct();
            foreach (var (source, text) in warnings) log.Log(LogLevel.Warning, source, text);
            foreach (var detail in validation.Details) log.Log(LogLevel.Debug, spec.Name, detail.Message);

            if (spec.Output != null)
            {
                recorder = ResultRecorders.Create(spec.Output, signals, spec.OutputFormat, new Decimation(spec.RecordEvery, spec.RecordInterval));
                plan.Observe(recorder, first: true);
            }
            var options = new SystemRunOptions
            {
                Schedule = schedule,
                Algorithm = spec.Algorithm,
                GaussSeidelHold = spec.GaussSeidelHold,
                VariableStep = spec.VariableStep,
                Threads = RunDefaults.Threads(spec),
                RealTimeFactor = spec.RealTimeFactor,
                ComponentTolerance = spec.Tolerance,
                ProfileComponents = spec.ProfileComponents,
                Checkpoints = checkpoints,
                Resume = resume,
            };
            var execution = new SystemExecution(plan, options) { Progress = progress };
            return new PreparedRun(spec, system, schedule, execution, recorder);
        }
        catch
        {
            recorder?.Dispose();
            system.Dispose();
            throw;
        }
    }

    private static InputException Problems(RunSpecification spec, List<string> problems) =>
        problems.Count == 1
            ? new InputException(problems[0])
            : new InputException($"{spec.Source ?? spec.Name}: {problems.Count} problems:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Recorder?.Dispose();
        }
        finally
        {
            System.Dispose();
        }
    }
}
