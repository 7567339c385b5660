using System.CommandLine;
using System.Globalization;
using Medley.Cli.Infrastructure;
using Medley.Host.Requests;
using Medley.Sdk.Decoding;

namespace Medley.Cli.Commands;

/// <summary><c>medley generate --model DIR --prompt TEXT</c>: one model, streamed to the terminal.</summary>
internal static class GenerateCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Option<string>("--model", "-m") { Description = "An ONNX model folder (model.onnx with its tokenizer files)", Required = true, HelpName = "DIR" };
        var prompt = new Option<string>("--prompt", "-p") { Description = "The prompt", Required = true };
        var chat = new Option<bool>("--chat") { Description = "Wrap the prompt in the model's chat template as a user turn" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens to generate", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature", "-t") { Description = "Sampling temperature; 0 is greedy decoding", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling: keep the most likely tokens up to this probability", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep only the k most likely tokens (0: all)", DefaultValueFactory = _ => 0 };
        var minP = new Option<double>("--min-p") { Description = "Drop tokens below this share of the most likely token's probability", DefaultValueFactory = _ => 0.0 };
        var repetition = new Option<double>("--repetition-penalty") { Description = "Penalise tokens already present (1: off)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong?>("--seed") { Description = "Seed for reproducible sampling" };
        var stop = new Option<string[]>("--stop") { Description = "Stop before this text (repeatable)" };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda[:N] or dml[:N]", DefaultValueFactory = _ => "cpu" };
        var command = new Command("generate", "Generate text with one model, streaming tokens as they come")
        {
            model, prompt, chat, maxTokens, temperature, topP, topK, minP, repetition, seed, stop, device,
        };

        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var sampling = new SamplingOptions
            {
                MaxTokens = parse.GetValue(maxTokens),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                MinP = parse.GetValue(minP),
                RepetitionPenalty = parse.GetValue(repetition),
                Seed = parse.GetValue(seed),
                StopStrings = parse.GetValue(stop) ?? [],
            };
            var request = new Generate(parse.GetValue(model)!, parse.GetValue(prompt)!, sampling)
            {
                Chat = parse.GetValue(chat),
                Device = parse.GetValue(device)!,
            };

            await using var host = context.CreateHost();
            var text = await context.StreamTextAsync(host.Mediator.CreateStream(request, cancellationToken), cancellationToken).ConfigureAwait(false);

            var stats = request.Statistics;
            if (context.Json)
            {
                context.WriteJson(new { text, statistics = stats });
                return ExitCodes.Ok;
            }

            await context.Stdout.WriteLineAsync().ConfigureAwait(false);
            await context.Stderr.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"[{stats.Device}] prefill {stats.PromptTokens} tokens in {stats.PrefillSeconds * 1000:0.0} ms ({stats.PrefillTokensPerSecond:0.0} tok/s); decode {stats.GeneratedTokens} tokens in {stats.DecodeSeconds:0.000} s ({stats.DecodeTokensPerSecond:0.0} tok/s); stopped: {stats.StopReason}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
