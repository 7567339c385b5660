using System.CommandLine;
using Medley.Cli.Infrastructure;
using Medley.Host.Onnx.Export;
using Medley.Host.Requests;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley export-onnx CHECKPOINT -o OUT [--dtype fp32|fp16] [--force]</c>: a Hugging Face checkpoint as an ONNX decoder.</summary>
internal static class ExportOnnxCommand
{
    public static Command Create(CommandRunner runner)
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A Hugging Face checkpoint folder (config.json and safetensors) of a GPT-2, Llama, Mistral or Qwen2 model" };
        var output = new Option<string>("--output", "-o") { Description = "The folder to create (model.onnx and the tokenizer files)", Required = true, HelpName = "OUT" };
        var dtype = new Option<string>("--dtype")
        {
            Description = "Weight storage: fp32, or fp16 (half the size; computed in fp32)",
            DefaultValueFactory = _ => "fp32",
        };
        dtype.AcceptOnlyFromAmong("fp32", "fp16");
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists" };
        var command = new Command("export-onnx", "Export a Hugging Face checkpoint to an ONNX model with a KV cache") { checkpoint, output, dtype, force };
        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var request = new ExportOnnx(
                context.ParseResult.GetValue(checkpoint)!,
                context.ParseResult.GetValue(output)!,
                context.ParseResult.GetValue(dtype) == "fp16" ? OnnxExportDtype.Float16 : OnnxExportDtype.Float32,
                context.ParseResult.GetValue(force));
            await using var host = context.CreateHost();
            var result = await host.Mediator.Send(request, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }

            var size = result.ModelBytes + result.ExternalDataBytes;
            context.Console.MarkupLine(
                $"[green]exported[/] {Markup.Escape(result.Architecture)} ({result.Layers} layers, {result.Parameters:N0} parameters, {result.Dtype}) "
                + $"to [bold]{Markup.Escape(result.Output)}[/]: {size / 1048576.0:F1} MiB in {result.Seconds:F1} s");
            return ExitCodes.Ok;
        });
        return command;
    }
}
