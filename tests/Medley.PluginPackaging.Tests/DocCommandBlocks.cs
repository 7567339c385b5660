using System.Text.RegularExpressions;

namespace Medley.PluginPackaging.Tests;

/// <summary>
/// The ```bash blocks of a docs page marked to run in CI: a block right after a <c>&lt;!-- ci:run --&gt;</c> line.
/// <c>&lt;!-- ci:run needs=X --&gt;</c> marks a block that needs X (such as the medley CLI) and is skipped until the
/// test supplies X.
/// </summary>
public static partial class DocCommandBlocks
{
    public static IReadOnlyList<DocCommandBlock> Read(string markdown) =>
        BlockPattern().Matches(markdown.ReplaceLineEndings("\n"))
            .Select(m => new DocCommandBlock(m.Groups["needs"].Success ? m.Groups["needs"].Value : null, m.Groups["body"].Value.TrimEnd('\n')))
            .ToList();

    [GeneratedRegex(@"^<!--\s*ci:run(?:\s+needs=(?<needs>[\w-]+))?\s*-->\n```bash\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BlockPattern();
}
