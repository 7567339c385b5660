using Medley.Cli;
using Medley.Tools.GpuCheck;

// "medley ARGS…" runs the CLI in this process: the decode benchmark starts itself this way once per device,
// because a process can load only one ONNX Runtime native library (GPU or CPU build).
if (args is ["medley", .. var cliArgs])
{
    return await MedleyCli.RunAsync(cliArgs, Console.Out, Console.Error, CancellationToken.None);
}

var options = GpuCheckOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(GpuCheckOptions.Usage);
    return 2;
}

return await new GpuCheckReport(options, Console.Out).WriteAsync();
