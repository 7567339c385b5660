using System.Text.Json.Nodes;
using Medley.Cli;

namespace Medley.Chat.Tests;

/// <summary>Runs <c>medley generate</c> in-process, the reference the chat client must agree with.</summary>
public static class Cli
{
    public static async Task<(string Text, JsonNode Statistics)> GenerateChat(string model, string prompt, params string[] options)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = ["generate", "--model", model, "--prompt", prompt, "--chat", "--json", .. options, "--no-default-plugins"];
        var code = await MedleyCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        Assert.True(code == 0, stderr.ToString() + stdout);
        var json = JsonNode.Parse(stdout.ToString())!;
        return (json["text"]!.GetValue<string>(), json["statistics"]!);
    }
}
