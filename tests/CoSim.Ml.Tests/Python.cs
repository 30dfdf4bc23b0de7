using System.Diagnostics;

namespace CoSim.Ml.Tests;

/// <summary>
/// Runs Debian's python3 with python3-onnx and numpy: the independent side of the checks (ONNX's own
/// checker, models built with ONNX's own helpers, numpy arithmetic). /usr/bin/python3, not the python3
/// first on PATH (which may be a build without Debian's modules). Without the module the test is
/// ignored on a developer machine where scripts/setup was not run, and fails in CI (CI=true), where setup installs it.
/// </summary>
internal static class Python
{
    private const string Interpreter = "/usr/bin/python3";
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} is missing";
        var (code, _, err) = Execute(["-c", "import onnx, numpy"]);
        return code == 0 ? null : $"{Interpreter} cannot import onnx and numpy ({err.Trim()}); scripts/setup installs python3-onnx";
    });

    public static void RequireOnnx()
    {
        if (Missing.Value == null) return;
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail(Missing.Value);
        Assert.Ignore(Missing.Value);
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; returns its stdout, fails the test with its stderr.</summary>
    public static string Run(string script, params string[] args)
    {
        RequireOnnx();
        var file = Path.Combine(Path.GetTempPath(), $"cosim-ml-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        try
        {
            var (code, output, error) = Execute([file, .. args]);
            if (code != 0) Assert.Fail($"python failed (exit {code}):\n{error}");
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (int Code, string Out, string Err) Execute(string[] args)
    {
        var psi = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("python did not finish within a minute");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Checks an ONNX file with onnx.checker (full check: types and shapes inferred), then evaluates
    /// its graph with numpy node by node (Gemm, Tanh, Sub, Div, Mul, Add, MatMul) on the rows of the
    /// JSON file argv[2]; prints the outputs as JSON {"y": rows, "names": {tensor: metadata names}}.
    /// </summary>
    public const string CheckAndEvaluate = """
        import json, sys
        import numpy as np
        import onnx
        from onnx import helper, numpy_helper
        model = onnx.load(sys.argv[1])
        onnx.checker.check_model(model, full_check=True)
        env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
        env[model.graph.input[0].name] = np.array(json.load(open(sys.argv[2])), dtype=np.float64)
        for node in model.graph.node:
            a = [env[i] for i in node.input]
            attrs = {at.name: helper.get_attribute_value(at) for at in node.attribute}
            op = node.op_type
            if op == "Gemm":
                b = a[1].T if attrs.get("transB", 0) else a[1]
                r = a[0] @ b + (a[2] if len(a) > 2 else 0.0)
            elif op == "MatMul": r = a[0] @ a[1]
            elif op == "Tanh": r = np.tanh(a[0])
            elif op == "Sub": r = a[0] - a[1]
            elif op == "Div": r = a[0] / a[1]
            elif op == "Mul": r = a[0] * a[1]
            elif op == "Add": r = a[0] + a[1]
            else: raise SystemExit("unexpected operator " + op)
            env[node.output[0]] = r
        names = {p.key: p.value for p in model.metadata_props}
        print(json.dumps({"y": env[model.graph.output[0].name].tolist(), "names": names, "ir": model.ir_version,
                          "opset": [o.version for o in model.opset_import]}))
        """;
}
