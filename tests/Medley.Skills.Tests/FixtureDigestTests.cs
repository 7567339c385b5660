using System.Security.Cryptography;
using System.Text.Json;

namespace Medley.Skills.Tests;

/// <summary>The committed models and task files are exactly the ones the trainer's manifest describes.</summary>
public sealed class FixtureDigestTests
{
    private static readonly JsonElement Manifest = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(SkillsFolder.Path, "manifest.json"))).RootElement;

    public static TheoryData<string, long, string> Files()
    {
        var data = new TheoryData<string, long, string>();
        foreach (var task in Manifest.GetProperty("tasks").EnumerateObject())
        {
            data.Add(task.Value.GetProperty("path").GetString()!, task.Value.GetProperty("bytes").GetInt64(), task.Value.GetProperty("sha256").GetString()!);
        }

        foreach (var model in Manifest.GetProperty("models").EnumerateObject())
        {
            var folder = model.Value.GetProperty("path").GetString()!;
            foreach (var file in model.Value.GetProperty("files").EnumerateObject())
            {
                data.Add($"{folder}/{file.Name}", file.Value.GetProperty("bytes").GetInt64(), file.Value.GetProperty("sha256").GetString()!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_file_matches_its_size_and_digest(string path, long bytes, string sha256)
    {
        var full = System.IO.Path.Combine(SkillsFolder.Path, path);
        Assert.True(File.Exists(full), $"{full} is missing");
        var content = File.ReadAllBytes(full);
        Assert.Equal(bytes, content.LongLength);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    [Fact]
    public void The_suite_has_every_model_the_demo_needs_and_stays_small()
    {
        var tasks = Manifest.GetProperty("tasks").EnumerateObject().Select(t => t.Name).ToList();
        var models = Manifest.GetProperty("models").EnumerateObject().Select(m => m.Name).ToHashSet();
        Assert.Equal(5, tasks.Count);
        string[] needed = ["base", "large", "small", "amateur", .. tasks.Select(t => "ft-" + t)];
        Assert.All(needed, name => Assert.Contains(name, models));

        var total = Directory.EnumerateFiles(SkillsFolder.Path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(total <= 25L * 1024 * 1024, $"the skills suite is {total} bytes; the budget is 25 MiB");
    }

    [Fact]
    public void Small_is_at_least_four_times_cheaper_per_token_than_large()
    {
        // Per-token cost of a decoder is about twice its parameter count in multiply-adds.
        var large = Manifest.GetProperty("models").GetProperty("large").GetProperty("parameters").GetInt64();
        var small = Manifest.GetProperty("models").GetProperty("small").GetProperty("parameters").GetInt64();
        Assert.True(large >= 4 * small, $"large has {large} parameters, small {small}");
    }
}
